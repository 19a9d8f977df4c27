"""Submitting: who the submitter is, what cannot become a request, and the on-site step-up's
lockout — through the API."""

from __future__ import annotations

from authorization.models import EvaluatedTransaction, RequestEvent
from bankcore.roles import Role
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import evaluate_withdrawal, limit

API = "/api/v1/authorization"


def test_channel_submits_for_a_teller_of_the_branch(
    withdrawal_rules, reason_catalogue, teller1, integrator, api_client_for
):
    reference = evaluate_withdrawal("60000.00")
    answer = api_client_for(integrator).post(
        f"{API}/requests",
        {"evaluation_reference": str(reference), "teller": "teller1"},
        format="json",
    )

    assert answer.status_code == 201, answer.json()
    assert answer.json()["submitted_by"] == "teller1"
    submitted = RequestEvent.objects.get(request__reference=answer.json()["reference"], seq=1)
    assert submitted.details["submitted_through"] == "integrator"


def test_channel_cannot_name_a_teller_of_another_branch(
    withdrawal_rules, reason_catalogue, teller1, integrator, make_user, api_client_for
):
    make_user(Role.TELLER, "SH01", username="sh_teller")
    reference = evaluate_withdrawal("60000.00")
    answer = api_client_for(integrator).post(
        f"{API}/requests",
        {"evaluation_reference": str(reference), "teller": "sh_teller"},
        format="json",
    )

    assert answer.status_code == 400
    assert "teller" in answer.json()["error"]["fields"]


def test_staff_cannot_submit_in_someone_elses_name(
    withdrawal_rules, reason_catalogue, teller1, api_client_for
):
    reference = evaluate_withdrawal("60000.00")
    answer = api_client_for(teller1).post(
        f"{API}/requests",
        {"evaluation_reference": str(reference), "teller": "supervisor1"},
        format="json",
    )
    assert answer.status_code == 400 and "teller" in answer.json()["error"]["fields"]


def test_a_transaction_that_needs_no_authorization_cannot_become_a_request(
    withdrawal_rules, teller1, api_client_for
):
    from authorization.services import TransactionInput, evaluate

    reference = evaluate(
        transaction=TransactionInput(
            transaction_code="CASH_WITHDRAWAL",
            channel="counter",
            branch_code="BJ01",
            teller="teller1",
            elements={"amount": {"amount": "5000.00", "currency": "CNY"}},
        )
    ).reference
    answer = api_client_for(teller1).post(
        f"{API}/requests", {"evaluation_reference": str(reference)}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_submission"


def test_a_refused_decision_cannot_become_a_request(withdrawal_rules, teller1, api_client_for):
    reference = evaluate_withdrawal("60000.00")
    EvaluatedTransaction.objects.filter(reference=reference).update(refused=True)

    answer = api_client_for(teller1).post(
        f"{API}/requests", {"evaluation_reference": str(reference)}, format="json"
    )
    assert answer.status_code == 400
    assert "refused" in answer.json()["error"]["message"]


def test_one_evaluation_one_request(withdrawal_rules, reason_catalogue, teller1, api_client_for):
    api = api_client_for(teller1)
    body = {"evaluation_reference": str(evaluate_withdrawal("60000.00"))}
    assert api.post(f"{API}/requests", body, format="json").status_code == 201
    again = api.post(f"{API}/requests", body, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_submitted"


def test_unknown_fields_are_refused(withdrawal_rules, teller1, api_client_for):
    answer = api_client_for(teller1).post(
        f"{API}/requests",
        {"evaluation_reference": str(evaluate_withdrawal("60000.00")), "levle": 1},
        format="json",
    )
    assert answer.status_code == 400 and "levle" in answer.json()["error"]["fields"]


def test_on_site_step_up_counts_towards_the_supervisors_lockout(
    reversal_rules,
    reason_catalogue,
    teller1,
    make_user,
    api_client_for,
    settings,
    django_capture_on_commit_callbacks,
):
    from tests.authorization.test_requests_flow import _reversal

    settings.AXES_FAILURE_LIMIT = 3
    supervisor = make_user(Role.BRANCH_SUPERVISOR, "BJ01", level=1, username="supervisor1")
    limit(supervisor, "50000.00")
    request = _reversal(teller1, django_capture_on_commit_callbacks)
    api = api_client_for(teller1)
    url = f"{API}/requests/{request.reference}/on-site-decision"
    body = {"supervisor_username": "supervisor1", "action": "approve"}

    codes = [
        api.post(url, {**body, "supervisor_password": "wrong"}, format="json").status_code
        for _ in range(3)
    ]
    locked = api.post(url, {**body, "supervisor_password": "Test-Pass-2026"}, format="json")

    assert codes == [403, 403, 429]  # the third failure reaches the limit
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "locked_out"
    assert api.get(f"{API}/requests/{request.reference}").json()["state"] == "queued"
    assert api.get(f"{API}/requests").status_code == 200  # the teller's session is untouched
