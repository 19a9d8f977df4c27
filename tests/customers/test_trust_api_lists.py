"""Customer lists refuse what they do not understand (issue 13, item 12)."""

import pytest

from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory

pytestmark = pytest.mark.django_db
LIST_URL = "/api/v1/customers/"


@pytest.fixture
def client(integrator, api_client_for):
    return api_client_for(integrator)


@pytest.fixture
def customers(org):
    return {
        "personal": PersonalCustomerFactory(home_branch=org["BJ01"]),
        "corporate": CorporateCustomerFactory(home_branch=org["BJ01"]),
    }


def refused_fields(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


def test_an_unsupported_filter_is_refused_instead_of_answering_everyone(client, customers):
    fields = refused_fields(client.get(LIST_URL, {"is_interbank": "true"}))
    assert list(fields) == ["is_interbank"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "null"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "100000"}, "page_size"),
        ({"customer_type": "martian"}, "customer_type"),
        ({"vip_level": "1.5"}, "vip_level"),
        ({"vip_level": "42"}, "vip_level"),
        ({"status": "gone"}, "status"),
        ({"customer_no": "123"}, "customer_no"),
    ],
)
def test_an_invalid_page_or_filter_value_is_a_400_naming_it(client, customers, query, field):
    assert field in refused_fields(client.get(LIST_URL, query))


def test_known_filters_and_pages_still_work(client, customers):
    corporate = client.get(LIST_URL, {"customer_type": "corporate", "page": "1", "page_size": "5"})

    assert corporate.status_code == 200
    numbers = [row["customer_no"] for row in corporate.json()["results"]]
    assert numbers == [customers["corporate"].customer_no]


def test_a_page_past_the_last_is_404(client, customers):
    assert client.get(LIST_URL, {"page": "99"}).status_code == 404


def test_the_change_history_list_refuses_unknown_parameters(client, customers):
    url = f"{LIST_URL}{customers['personal'].customer_no}/history/"
    assert client.get(url).status_code == 200
    assert "since" in refused_fields(client.get(url, {"since": "2026-01-01"}))


def test_the_schema_states_the_page_bounds_the_list_enforces(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/customers/"]["get"]["parameters"]
    }

    assert parameters["page"]["minimum"] == 1
    assert parameters["customer_no"]["pattern"] == "^[129][0-9]{11}$"
    assert (parameters["vip_level"]["minimum"], parameters["vip_level"]["maximum"]) == (0, 9)
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 200)
    assert "customer_type" in parameters and "is_interbank" not in parameters


def test_a_customer_number_with_a_wrong_check_digit_is_refused_by_its_own_code(client, customers):
    number = customers["personal"].customer_no
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)

    response = client.get(LIST_URL, {"customer_no": wrong})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "customer_no_invalid"
    assert client.get(LIST_URL, {"customer_no": number}).json()["count"] == 1
