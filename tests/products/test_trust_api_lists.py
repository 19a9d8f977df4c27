"""Product and account lists refuse what they do not understand (issue 13, item 12)."""

import pytest

from tests.customers.factories import PersonalCustomerFactory
from tests.products.factories import account_open_for_test, time_deposit_product_for_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(integrator, api_client_for):
    return api_client_for(integrator)


def refused_fields(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("/api/v1/products/products/", {"status": "bogus"}, "status"),
        ("/api/v1/products/products/", {"is_interbank": "true"}, "is_interbank"),
        ("/api/v1/products/products/", {"page_size": "null"}, "page_size"),
        ("/api/v1/products/accounts/", {"customer": "x"}, "customer"),
        ("/api/v1/products/accounts/", {"status": "asleep"}, "status"),
        ("/api/v1/products/accounts/", {"page": "0"}, "page"),
        ("/api/v1/products/parameters/", {"zone": "x"}, "zone"),
        ("/api/v1/products/templates/", {"line": "x"}, "line"),
        ("/api/v1/products/lines/", {"page": "2"}, "page"),  # not paginated at all
    ],
)
def test_lists_refuse_unknown_parameters_and_invalid_values(client, org, url, query, field):
    assert field in refused_fields(client.get(url, query))


def test_account_filters_filter(client, org):
    product = time_deposit_product_for_test()
    mine = PersonalCustomerFactory(home_branch=org["BJ01"])
    other = PersonalCustomerFactory(home_branch=org["BJ01"])
    account = account_open_for_test(product=product, customer_no=mine.customer_no)
    account_open_for_test(product=product, customer_no=other.customer_no)

    response = client.get(
        "/api/v1/products/accounts/", {"customer_no": mine.customer_no, "status": "active"}
    )

    assert response.status_code == 200, response.content
    assert [row["account_no"] for row in response.json()["results"]] == [account.account_no]


def test_product_filters_filter(client, org):
    active = time_deposit_product_for_test()
    time_deposit_product_for_test(publish=False)

    response = client.get("/api/v1/products/products/", {"status": "active"})

    assert response.status_code == 200
    assert [row["product_code"] for row in response.json()["results"]] == [active.product_code]
