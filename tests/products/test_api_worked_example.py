"""Acceptance: the source's worked example, built and used through the API only.

A corporate interbank time-deposit certificate: term 21 days, minimum opening amount
80,000 CNY, minimum retained balance 20,000 CNY, 3 early withdrawals allowed, 5 renewals.
Only the customers and users are set up outside the API.
"""

import pytest

from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory
from tests.products.conftest import approve_over_api

pytestmark = pytest.mark.django_db

CERTIFICATE = {
    "template": "time_deposit",
    "name": "Interbank time-deposit certificate 21 days",
    "customer_group": "corporate",
    "parameters": {
        "term": {"value": "21D", "principle_level": "product"},
        "min_opening_amount": "80000.00 CNY",
        "min_retained_balance": "20000.00 CNY",
        "early_withdrawals_allowed": {
            "value": "3",
            "principle_level": "default",
            "free_min": "0",
            "free_max": "3",
            "negotiable_max": "5",
        },
        "renewal_count": {
            "value": "5",
            "principle_level": "default",
            "free_min": "0",
            "free_max": "5",
        },
        "allowed_customer_types": ["corporate"],
        "interbank_only": "true",
        "allowed_media": ["certificate"],
    },
}


@pytest.fixture
def certificate(param_admin, second_admin_api, api_client_for):
    admin = api_client_for(param_admin)
    created = admin.post("/api/v1/products/products/", CERTIFICATE, format="json")
    assert created.status_code == 201, created.json()
    code = created.json()["product_code"]
    proposed = admin.post(f"/api/v1/products/products/{code}/publish/")
    published = approve_over_api(proposed, second_admin_api)
    assert published.status_code == 200, published.json()
    return published.json()


@pytest.fixture
def interbank(org):
    return CorporateCustomerFactory(home_branch=org["BJ01"], is_interbank=True)


@pytest.fixture
def teller_api(teller, api_client_for):
    return api_client_for(teller)


def open_account(client, product_code, customer_no, amount, **extra):
    body = {
        "product_code": product_code,
        "customer_no": customer_no,
        "currency": "CNY",
        "opening_amount": amount,
        "channel": "counter",
        **extra,
    }
    return client.post("/api/v1/products/accounts/", body, format="json")


def test_the_certificate_is_configured_through_the_api(certificate):
    values = {p["code"]: p for p in certificate["parameters"]}

    assert certificate["status"] == "active"
    assert certificate["line"] == "time_deposit"
    assert certificate["customer_group"] == "corporate"
    assert certificate["product_code"].startswith("2022")  # time deposit, corporate, liability
    assert values["term"]["value"] == "21D"
    assert values["term"]["principle_level"] == "product"
    assert values["min_opening_amount"]["value"] == "80000.00 CNY"
    assert values["min_retained_balance"]["value"] == "20000.00 CNY"
    assert values["early_withdrawals_allowed"]["value"] == "3"
    assert values["renewal_count"]["value"] == "5"
    assert values["allowed_customer_types"]["value"] == "corporate"


def test_opening_below_the_minimum_is_refused_naming_the_minimum(
    certificate, interbank, teller_api
):
    response = open_account(
        teller_api, certificate["product_code"], interbank.customer_no, "70000.00"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "below_minimum_opening_amount"
    assert "80,000.00 CNY" in error["fields"]["opening_amount"][0]


def test_opening_at_the_minimum_succeeds_with_the_products_values(
    certificate, interbank, teller_api
):
    response = open_account(
        teller_api, certificate["product_code"], interbank.customer_no, "80000.00"
    )

    assert response.status_code == 201, response.json()
    account = response.json()
    assert account["status"] == "active"
    assert account["authorization_required"] is False
    assert account["opening_amount"] == "80000.00"
    assert account["product_version"] == 1
    assert account["parameters"]["term"] == "21D"
    assert account["parameters"]["early_withdrawals_allowed"] == "3"
    assert account["branch"] == "BJ01"


def test_a_personal_customer_is_refused_by_the_customer_type_control(certificate, org, teller_api):
    person = PersonalCustomerFactory(home_branch=org["BJ01"])

    response = open_account(teller_api, certificate["product_code"], person.customer_no, "90000.00")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "customer_type_not_allowed"
    assert "customer-type control" in error["fields"]["customer_no"][0]


def test_a_corporate_customer_who_is_not_interbank_is_refused(certificate, org, teller_api):
    company = CorporateCustomerFactory(home_branch=org["BJ01"], is_interbank=False)

    response = open_account(
        teller_api, certificate["product_code"], company.customer_no, "90000.00"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "interbank_only"


def test_overriding_a_system_principle_parameter_is_refused(certificate, interbank, teller_api):
    response = open_account(
        teller_api,
        certificate["product_code"],
        interbank.customer_no,
        "80000.00",
        parameters={"balance_direction": "debit"},
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "system_principle_parameter"
    assert "system principle" in error["fields"]["parameters.balance_direction"][0]


def test_overriding_a_product_principle_parameter_is_refused(certificate, interbank, teller_api):
    response = open_account(
        teller_api,
        certificate["product_code"],
        interbank.customer_no,
        "80000.00",
        parameters={"term": "30D"},
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "product_principle_parameter"


def test_overriding_a_default_within_bounds_succeeds(certificate, interbank, teller_api):
    response = open_account(
        teller_api,
        certificate["product_code"],
        interbank.customer_no,
        "80000.00",
        parameters={"renewal_count": "2", "early_withdrawals_allowed": "1"},
    )

    assert response.status_code == 201, response.json()
    account = response.json()
    assert account["status"] == "active"
    assert account["parameters"]["renewal_count"] == "2"
    assert account["parameters"]["early_withdrawals_allowed"] == "1"


def test_a_value_in_the_negotiable_range_opens_pending_authorization(
    certificate, interbank, teller_api
):
    response = open_account(
        teller_api,
        certificate["product_code"],
        interbank.customer_no,
        "80000.00",
        parameters={"early_withdrawals_allowed": "5"},
    )

    assert response.status_code == 201, response.json()
    account = response.json()
    assert account["status"] == "pending_authorization"
    assert account["authorization_required"] is True
    assert account["negotiated_parameters"] == ["early_withdrawals_allowed"]
    assert account["parameters"]["early_withdrawals_allowed"] == "5"


def test_a_value_outside_the_negotiable_range_is_refused(certificate, interbank, teller_api):
    response = open_account(
        teller_api,
        certificate["product_code"],
        interbank.customer_no,
        "80000.00",
        parameters={"early_withdrawals_allowed": "6"},
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "outside_negotiable_range"
    assert "negotiable range" in error["fields"]["parameters.early_withdrawals_allowed"][0]


def test_every_broken_rule_is_named(certificate, org, teller_api):
    person = PersonalCustomerFactory(home_branch=org["BJ01"])

    response = open_account(
        teller_api,
        certificate["product_code"],
        person.customer_no,
        "100.00",
        currency="USD",
        parameters={"balance_direction": "debit"},
    )

    fields = response.json()["error"]["fields"]
    assert set(fields) == {
        "customer_no",
        "currency",
        "opening_amount",
        "parameters.balance_direction",
    }


def test_an_unknown_customer_is_refused_naming_the_customer_no(certificate, teller_api):
    response = open_account(teller_api, certificate["product_code"], "100000000000", "80000.00")

    assert response.status_code == 400
    assert "customer_no" in response.json()["error"]["fields"]
