import pytest

from bankcore.codes import luhn_is_valid
from customers.models import Customer, CustomerChange, CustomerDocument, ExtensionAttribute
from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/customers/"
PERSONAL_URL = "/api/v1/customers/personal/"
CORPORATE_URL = "/api/v1/customers/corporate/"


def personal_payload(number="11010519491231002X", **overrides):
    payload = {
        "name": "Zhang San",
        "home_branch": "BJ01",
        "vip_level": 1,
        "opening_document": {"document_type": "101", "number": number, "expiry_date": "2035-06-30"},
        "contact_channels": [{"kind": "mobile", "value": "13800000000", "is_primary": True}],
        "addresses": [{"kind": "residential", "line": "1 Chaoyang Rd", "region_code": "110105"}],
    }
    payload.update(overrides)
    return payload


def corporate_payload(number="91350100M000100Y43", **overrides):
    payload = {
        "name": "Fuzhou Trading Co., Ltd.",
        "home_branch": "BJ01",
        "industry_code": "F51",
        "economic_type": "150",
        "registration_region_code": "350100",
        "opening_document": {"document_type": "201", "number": number},
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def client(integrator, api_client_for):
    return api_client_for(integrator)


def test_creating_a_personal_customer_returns_a_number_whose_check_digit_validates(client):
    response = client.post(PERSONAL_URL, personal_payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["customer_no"]) == 12 and body["customer_no"][0] == "1"
    assert luhn_is_valid(body["customer_no"])
    assert body["basic"]["name"] == "Zhang San"
    assert body["basic"]["birth_date"] == "1949-12-31"  # taken from the resident ID
    assert body["documents"][0]["number"] == "11010519491231002X"
    assert body["documents"][0]["is_opening_document"] is True


def test_lowercase_x_check_character_is_accepted_and_stored_upper_case(client):
    response = client.post(PERSONAL_URL, personal_payload("11010519491231002x"), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["documents"][0]["number"] == "11010519491231002X"


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check character
        "110105194902300020",  # check character right, but February 30 is no date
        "11010519491231002",  # 17 characters
    ],
)
def test_invalid_resident_id_is_refused_naming_the_field(client, number):
    response = client.post(PERSONAL_URL, personal_payload(number), format="json")

    assert response.status_code == 400
    assert "number" in response.json()["error"]["fields"]["opening_document"]
    assert not Customer.objects.exists()


def test_corporate_customer_with_valid_uscc_is_created(client):
    response = client.post(CORPORATE_URL, corporate_payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["customer_no"][0] == "2" and luhn_is_valid(body["customer_no"])
    assert body["basic"]["industry_code"] == "F51"
    assert body["documents"][0]["document_type"] == "201"


def test_corporate_customer_with_wrong_uscc_check_character_is_refused(client):
    response = client.post(CORPORATE_URL, corporate_payload("91350100M000100Y44"), format="json")

    assert response.status_code == 400
    assert "number" in response.json()["error"]["fields"]["opening_document"]
    assert not Customer.objects.exists()


def test_same_document_for_a_second_customer_is_a_conflict_and_changes_nothing(client):
    assert client.post(PERSONAL_URL, personal_payload(), format="json").status_code == 201
    counts = (
        Customer.objects.count(),
        CustomerDocument.objects.count(),
        CustomerChange.objects.count(),
    )

    response = client.post(PERSONAL_URL, personal_payload(name="Li Si"), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "document_already_registered"
    assert "number" in response.json()["error"]["fields"]
    assert counts == (
        Customer.objects.count(),
        CustomerDocument.objects.count(),
        CustomerChange.objects.count(),
    )


def test_resident_id_cannot_open_a_corporate_customer(client):
    payload = corporate_payload()
    payload["opening_document"] = {"document_type": "101", "number": "11010519491231002X"}

    response = client.post(CORPORATE_URL, payload, format="json")

    assert response.status_code == 400
    assert "document_type" in response.json()["error"]["fields"]


def test_unknown_fields_are_refused(client):
    response = client.post(PERSONAL_URL, personal_payload(vip_levle=3), format="json")

    assert response.status_code == 400
    assert "vip_levle" in response.json()["error"]["fields"]


def test_detail_shows_all_four_layers(client, org):
    created = client.post(PERSONAL_URL, personal_payload(), format="json").json()

    body = client.get(f"{LIST_URL}{created['customer_no']}/").json()

    assert body["customer_type"] == "personal" and body["home_branch"] == "BJ01"  # index
    assert body["basic"]["vip_level"] == 1  # basic
    assert body["documents"][0]["expiry_date"] == "2035-06-30"  # classified
    assert body["contact_channels"][0]["value"] == "13800000000"
    assert body["addresses"][0]["line"] == "1 Chaoyang Rd"
    assert body["relationships"] == []
    assert body["extensions"] == []  # extended


def test_extension_attribute_defined_by_admin_appears_and_rejects_wrong_type(
    api_client_for, param_admin, client
):
    admin_client = api_client_for(param_admin)
    definition = {
        "scope": "personal",
        "code": "annual_income",
        "label": "Annual income (CNY)",
        "data_type": "decimal",
        "min_value": "0",
    }
    assert (
        admin_client.post(f"{LIST_URL}extension-attributes/", definition, format="json").status_code
        == 201
    )
    customer_no = client.post(PERSONAL_URL, personal_payload(), format="json").json()["customer_no"]
    url = f"{LIST_URL}{customer_no}/extensions/"

    wrong = client.put(url, {"values": {"annual_income": "a lot"}}, format="json")
    right = client.put(url, {"values": {"annual_income": "350000.00"}}, format="json")
    detail = client.get(f"{LIST_URL}{customer_no}/").json()

    assert wrong.status_code == 400
    assert "annual_income" in wrong.json()["error"]["fields"]
    assert right.status_code == 200
    assert detail["extensions"] == [
        {
            "code": "annual_income",
            "label": "Annual income (CNY)",
            "scope": "personal",
            "data_type": "decimal",
            "value": "350000.00",
        }
    ]


def test_extension_values_can_be_given_at_creation_and_are_validated(client):
    ExtensionAttribute.objects.create(
        scope="personal", code="children", label="Children", data_type="integer", max_value="20"
    )

    refused = client.post(
        PERSONAL_URL, personal_payload(extensions={"children": "two"}), format="json"
    )
    created = client.post(PERSONAL_URL, personal_payload(extensions={"children": 2}), format="json")

    assert refused.status_code == 400 and "children" in refused.json()["error"]["fields"]
    assert created.status_code == 201
    assert created.json()["extensions"][0]["value"] == 2


def test_patch_changes_basic_fields_and_records_who(client, integrator):
    customer = PersonalCustomerFactory(vip_level=0)

    response = client.patch(
        f"{LIST_URL}{customer.customer_no}/", {"vip_level": 3, "is_employee": True}, format="json"
    )

    assert response.status_code == 200, response.json()
    basic = response.json()["basic"]
    assert basic["vip_level"] == 3 and basic["is_employee"] is True
    change = CustomerChange.objects.filter(customer=customer, action="updated").get()
    assert change.changed_by == integrator
    assert change.changes == {"vip_level": [0, 3], "is_employee": [False, True]}


def test_patch_refuses_a_field_the_customer_type_does_not_have(client):
    customer = PersonalCustomerFactory()

    response = client.patch(
        f"{LIST_URL}{customer.customer_no}/", {"is_interbank": True}, format="json"
    )

    assert response.status_code == 400
    assert "is_interbank" in response.json()["error"]["fields"]


def test_documents_sub_resource_adds_and_lists(client):
    customer = PersonalCustomerFactory()
    url = f"{LIST_URL}{customer.customer_no}/documents/"

    added = client.post(
        url,
        {"document_type": "110", "number": "E12345678", "expiry_date": "2020-01-01"},
        format="json",
    )
    listed = client.get(url).json()

    assert added.status_code == 201, added.json()
    assert added.json()["is_expired"] is True
    assert [d["is_opening_document"] for d in listed] == [True, False]


def test_mistyped_customer_number_is_400_naming_the_field(client):
    customer = PersonalCustomerFactory()
    number = customer.customer_no
    mistyped = number[:-1] + str((int(number[-1]) + 1) % 10)

    detail = client.get(f"{LIST_URL}{mistyped}/")
    listed = client.get(LIST_URL, {"customer_no": mistyped})

    assert detail.status_code == 400 and "customer_no" in detail.json()["error"]["fields"]
    assert listed.status_code == 400 and "customer_no" in listed.json()["error"]["fields"]


def test_list_filters(client, org):
    vip = PersonalCustomerFactory(home_branch=org["BJ01"], vip_level=2, name="Wang Wu")
    PersonalCustomerFactory(home_branch=org["BJ02"], vip_level=0)
    bank = CorporateCustomerFactory(home_branch=org["SH01"], is_interbank=True)
    document = vip.documents.get()

    def numbers(**params):
        return {row["customer_no"] for row in client.get(LIST_URL, params).json()["results"]}

    assert numbers(vip_level=2) == {vip.customer_no}
    assert numbers(customer_type="corporate") == {bank.customer_no}
    assert numbers(home_branch="SH01") == {bank.customer_no}
    assert numbers(name="wang") == {vip.customer_no}
    assert numbers(document_number=document.number) == {vip.customer_no}
    assert numbers(status="dormant") == set()


def test_teller_sees_only_their_branch_subtree(api_client_for, teller, org):
    mine = PersonalCustomerFactory(home_branch=org["BJ01"])
    other = PersonalCustomerFactory(home_branch=org["SH01"])
    client = api_client_for(teller)

    listed = {row["customer_no"] for row in client.get(LIST_URL).json()["results"]}

    assert listed == {mine.customer_no}
    assert client.get(f"{LIST_URL}{other.customer_no}/").status_code == 404
    assert client.get(f"{LIST_URL}{mine.customer_no}/").status_code == 200


def test_teller_cannot_create_a_customer_for_another_branch(api_client_for, teller):
    response = api_client_for(teller).post(
        PERSONAL_URL, personal_payload(home_branch="SH01"), format="json"
    )

    assert response.status_code == 400
    assert "home_branch" in response.json()["error"]["fields"]


def test_manager_may_look_but_not_create(api_client_for, manager):
    client = api_client_for(manager)

    assert client.get(LIST_URL).status_code == 200
    assert client.post(PERSONAL_URL, personal_payload(), format="json").status_code == 403


def test_anonymous_is_refused(api_client):
    assert api_client.get(LIST_URL).status_code == 401


@pytest.mark.parametrize("count", [1, 20])
def test_list_endpoint_runs_a_constant_number_of_queries(
    client, org, count, django_assert_num_queries
):
    for i in range(count):
        if i % 2:
            CorporateCustomerFactory(home_branch=org["BJ01"])
        else:
            PersonalCustomerFactory(home_branch=org["BJ02"])
    client.get(LIST_URL)  # warm the token/user caches

    # token + user, permissions (own and groups' in one statement), count, page, opening
    # documents: the same for 1 and 20
    with django_assert_num_queries(5):
        response = client.get(LIST_URL, {"page_size": 50})

    assert len(response.json()["results"]) == count


def test_document_types_are_the_national_standard_ones(client):
    codes = {
        row["code"]: row["validator"] for row in client.get(f"{LIST_URL}document-types/").json()
    }

    assert codes["101"] == "resident_id" and codes["201"] == "uscc" and "110" in codes
