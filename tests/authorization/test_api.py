import pytest

from tests.authorization.conftest import money
from tests.authorization.factories import EXPIRED_ID_DESK, WITHDRAWAL_DESK, desks, rule_set
from tests.customers.factories import PersonalCustomerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/authorization/evaluate"


@pytest.fixture
def rules_reading_the_customer(param_admin, second_param_admin):
    """The withdrawal desk and a rule that reads the customer's documents, so a withdrawal
    naming a customer makes evaluation look them up."""
    return rule_set((param_admin, second_param_admin), **desks(WITHDRAWAL_DESK, EXPIRED_ID_DESK))


def test_evaluate_endpoint_answers_the_decision_and_version(
    withdrawal_rules, integrator, api_client_for, org
):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    response = api_client_for(integrator).post(
        URL,
        {
            "transaction_code": "CASH_WITHDRAWAL",
            "channel": "counter",
            "branch_code": "BJ01",
            "elements": {"amount": money("60000.00"), "customer_no": customer.customer_no},
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["required"] is True and body["mode"] == "remote_centralized" and body["level"] == 1
    assert body["scene"]["code"] == "CASH_WITHDRAWAL"
    assert [i["code"] for i in body["required_image_types"]] == [
        "ID_CARD_FRONT",
        "ID_CARD_BACK",
        "WITHDRAWAL_SLIP",
    ]
    assert body["reasons"][0]["rule"] == "CASH_50K"
    assert "60,000.00 CNY" in body["reasons"][0]["explanation"]
    assert body["rule_set_version"]["number"] == withdrawal_rules.number
    assert body["reference"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"transaction_code": "NOPE", "channel": "counter"}, "transaction_code"),
        (
            {
                "transaction_code": "CASH_WITHDRAWAL",
                "channel": "counter",
                "elements": {"amount": "abc"},
            },
            "elements.amount",
        ),
        (
            {
                "transaction_code": "CASH_WITHDRAWAL",
                "channel": "counter",
                "elements": {"amount": money("1.00"), "customer_no": "999999999999"},
            },
            "elements.customer_no",
        ),
        ({"transaction_code": "CASH_WITHDRAWAL", "chanel": "counter"}, "chanel"),
    ],
)
def test_bad_input_gets_400_naming_the_field(
    rules_reading_the_customer, integrator, api_client_for, payload, field
):
    response = api_client_for(integrator).post(URL, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_manager_may_not_evaluate(withdrawal_rules, manager, api_client_for):
    response = api_client_for(manager).post(
        URL, {"transaction_code": "REVERSAL", "channel": "counter"}, format="json"
    )
    assert response.status_code == 403


def test_no_published_rule_set_is_a_clear_error(integrator, api_client_for):
    response = api_client_for(integrator).post(
        URL, {"transaction_code": "REVERSAL", "channel": "counter"}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_published_rule_set"
