"""Evaluate: strict amounts, who acted is who is logged in, no stale permission, deep JSON
(issue 13, items 8, 9, 11 and 16)."""

import pytest

from authorization.models import EvaluatedTransaction
from bankcore.roles import Role
from tests.authorization.conftest import money
from tests.authorization.factories import WITHDRAWAL_DESK, desks, processing, rule, rule_set

pytestmark = pytest.mark.django_db
URL = "/api/v1/authorization/evaluate"


def withdrawal(amount, **extra) -> dict:
    return {
        "transaction_code": "CASH_WITHDRAWAL",
        "channel": "counter",
        "elements": {"amount": amount},
        **extra,
    }


# --- Item 8: amounts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    [
        money("-60000.00"),  # a negative amount skipped the >= 50,000 rule
        money("0"),
        money("1e5"),
        money("60_000"),
        money("\uff16\uff10\uff10\uff10\uff10"),
        {"amount": 60000, "currency": "CNY"},  # a bare JSON number
        {"amount": 60000.0, "currency": "CNY"},
        money("60000.001"),  # more places than CNY has
        money("60000.5", "JPY"),  # yen has no minor unit
        "-60000.00 CNY",
    ],
)
def test_evaluate_refuses_a_negative_or_loosely_written_amount(
    withdrawal_rules, integrator, api_client_for, amount
):
    response = api_client_for(integrator).post(
        URL, withdrawal(amount, branch_code="BJ01"), format="json"
    )

    assert response.status_code == 400, response.json()
    assert "elements.amount" in response.json()["error"]["fields"]
    assert not EvaluatedTransaction.objects.exists()


def test_evaluate_takes_a_plain_positive_amount(withdrawal_rules, integrator, api_client_for):
    response = api_client_for(integrator).post(
        URL, withdrawal(money("60000.00"), branch_code="BJ01"), format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["required"] is True


# --- Item 9: who acted -----------------------------------------------------------------------


def test_evaluate_records_the_logged_in_teller_not_the_one_sent(
    withdrawal_rules, teller, make_user, api_client_for
):
    other = make_user(Role.TELLER, "BJ01", username="someone-else")

    response = api_client_for(teller).post(
        URL, withdrawal(money("100.00"), teller=other.username), format="json"
    )

    assert response.status_code == 400
    assert "teller" in response.json()["error"]["fields"]
    assert not EvaluatedTransaction.objects.exists()


def test_a_branch_user_cannot_evaluate_for_another_branch(withdrawal_rules, teller, api_client_for):
    response = api_client_for(teller).post(
        URL, withdrawal(money("100.00"), branch_code="SH01"), format="json"
    )

    assert response.status_code == 400
    assert "branch_code" in response.json()["error"]["fields"]


def test_a_branch_users_branch_and_name_are_filled_in_and_recorded(
    withdrawal_rules, teller, api_client_for
):
    response = api_client_for(teller).post(URL, withdrawal(money("100.00")), format="json")

    assert response.status_code == 200, response.json()
    row = EvaluatedTransaction.objects.get(reference=response.json()["reference"])
    assert (row.branch_code, row.teller, row.evaluated_by) == ("BJ01", "teller", teller)


def test_an_integrator_naming_a_teller_of_another_branch_is_refused(
    withdrawal_rules, integrator, make_user, api_client_for
):
    shanghai_teller = make_user(Role.TELLER, "SH01", username="sh-teller")

    response = api_client_for(integrator).post(
        URL,
        withdrawal(money("100.00"), branch_code="BJ01", teller=shanghai_teller.username),
        format="json",
    )

    assert response.status_code == 400
    assert "teller" in response.json()["error"]["fields"]


@pytest.mark.parametrize("teller_name", ["nobody-of-that-name", "inactive-teller"])
def test_an_integrator_naming_an_unknown_or_inactive_teller_is_refused(
    withdrawal_rules, integrator, make_user, api_client_for, teller_name
):
    make_user(Role.TELLER, "BJ01", username="inactive-teller", is_active=False)

    response = api_client_for(integrator).post(
        URL, withdrawal(money("100.00"), branch_code="BJ01", teller=teller_name), format="json"
    )

    assert response.status_code == 400
    assert "teller" in response.json()["error"]["fields"]


def test_an_integrator_naming_an_unknown_branch_is_refused(
    withdrawal_rules, integrator, api_client_for
):
    response = api_client_for(integrator).post(
        URL, withdrawal(money("100.00"), branch_code="XX99"), format="json"
    )
    assert response.status_code == 400
    assert "branch_code" in response.json()["error"]["fields"]


def test_the_integrator_is_recorded_beside_the_teller_it_names(
    withdrawal_rules, integrator, teller, api_client_for
):
    response = api_client_for(integrator).post(
        URL, withdrawal(money("100.00"), branch_code="BJ", teller=teller.username), format="json"
    )

    assert response.status_code == 200, response.json()
    row = EvaluatedTransaction.objects.get(reference=response.json()["reference"])
    assert (row.branch_code, row.teller, row.evaluated_by) == ("BJ", "teller", integrator)


# --- Item 16: the permission answer is not kept after a role is removed -----------------------


def test_removing_the_role_stops_evaluate_at_once(withdrawal_rules, teller, api_client_for):
    client = api_client_for(teller)
    assert client.post(URL, withdrawal(money("100.00")), format="json").status_code == 200

    teller.groups.clear()

    assert client.post(URL, withdrawal(money("100.00")), format="json").status_code == 403


# --- Item 11: deep JSON ----------------------------------------------------------------------


def test_a_deeply_nested_body_is_400_not_a_server_error(
    withdrawal_rules, integrator, api_client_for
):
    body = "[" * 2048 + "]" * 2048
    response = api_client_for(integrator).post(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


# --- Explanations in plain language (issue 14) --------------------------------------------


@pytest.fixture
def rules_in_two_languages(param_admin, second_param_admin):
    """Withdrawals from 50,000 CNY and any transaction for an employee, the amount's label
    given in Chinese too."""
    employee = rule(
        "EMPLOYEE",
        reason="EMPLOYEE_CUSTOMER",
        transaction=None,
        condition={"field": "customer.is_employee", "op": "eq", "value": True},
    )
    return rule_set(
        (param_admin, second_param_admin),
        **desks(
            WITHDRAWAL_DESK,
            {
                "rules": [employee],
                "processing": [processing("P_EMPLOYEE", reason="EMPLOYEE_CUSTOMER")],
            },
            zh_hans={"Amount": "金额"},
        ),
    )


@pytest.mark.parametrize(
    ("language", "amount_condition", "amount_explanation", "employee"),
    [
        (
            "en",
            "Amount is at least 50,000.00 CNY",
            "Amount is 60,000.00 CNY (rule: is at least 50,000.00 CNY)",
            "Internal employee: Yes",
        ),
        (
            "zh-hans",
            "金额 大于或等于 50,000.00 CNY",
            "金额为 60,000.00 CNY（规则：大于或等于 50,000.00 CNY）",
            "内部员工：是",
        ),
    ],
)
def test_evaluate_explains_with_labels_in_the_callers_language(
    rules_in_two_languages,
    integrator,
    api_client_for,
    org,
    language,
    amount_condition,
    amount_explanation,
    employee,
):
    from tests.customers.factories import PersonalCustomerFactory

    customer = PersonalCustomerFactory(home_branch=org["BJ01"], is_employee=True)
    body = withdrawal(money("60000.00"), branch_code="BJ01")
    body["elements"]["customer_no"] = customer.customer_no

    response = api_client_for(integrator).post(
        URL, body, format="json", HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 200, response.json()
    reasons = {reason["rule"]: reason for reason in response.json()["reasons"]}
    cash, staff = reasons["CASH_50K"], reasons["EMPLOYEE"]
    assert (cash["condition"], cash["explanation"]) == (amount_condition, amount_explanation)
    assert (staff["condition"], staff["explanation"]) == (employee, employee)
    # No path of the condition language where people read; the paths stay for integrators,
    # the same in every language.
    for reason in reasons.values():
        for text in (reason["condition"], reason["explanation"]):
            assert "elements." not in text and "customer." not in text and "true" not in text
    assert cash["condition_expression"] == "elements.amount ≥ 50,000.00 CNY"
    assert staff["condition_expression"] == "customer.is_employee = true"
