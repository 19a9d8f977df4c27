"""The state machine's other paths: on-site step-up, routing to supervisors, transfer, return
and resubmission, cancel, leases, delegation, scoping, reason codes, compare-and-set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from authorization.models import Delegation, RequestEvent, RequestState
from authorization.services.requests import (
    EvidenceIncomplete,
    InvalidDecisionInput,
    MandatoryPointFailed,
    RequestNotFound,
    RequestStateConflict,
    StepUpFailed,
    VerdictInput,
    request_approve,
    request_cancel,
    request_claim_next,
    request_escalate,
    request_get,
    request_image_attach,
    request_on_site_decide,
    request_reject,
    request_resubmit,
    request_return,
    request_submit,
    request_transfer,
    request_verdicts_record,
)
from authorization.services.trail import Actor
from bankcore.roles import Role
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import all_points_pass, limit, upload
from tests.conftest import requires_postgres

API = "/api/v1/authorization"


def _reversal(teller, django_capture_on_commit_callbacks):
    """An on-site request (every reversal needs the branch supervisor) with its images."""
    from authorization.services import TransactionInput, evaluate

    evaluation = evaluate(
        transaction=TransactionInput(
            transaction_code="REVERSAL",
            channel="counter",
            branch_code="BJ01",
            teller=teller.username,
            elements={
                "original_reference": "TX-1",
                "amount": {"amount": "800.00", "currency": "CNY"},
            },
        )
    )
    request = request_submit(evaluation_reference=evaluation.reference, actor=Actor(user=teller))
    with django_capture_on_commit_callbacks(execute=True):
        for seed, code in enumerate(("REVERSAL_APPLICATION", "ORIGINAL_VOUCHER")):
            request_image_attach(
                reference=request.reference,
                image_type_code=code,
                upload=upload(40 + seed),
                actor=Actor(user=teller),
            )
    request.refresh_from_db()
    return request


@pytest.fixture
def supervisor1(make_user):
    user = make_user(Role.BRANCH_SUPERVISOR, "BJ01", level=1, username="supervisor1")
    limit(user, "50000.00")
    return user


def test_on_site_supervisor_authorizes_at_the_tellers_terminal(
    reversal_rules, teller1, supervisor1, password, rf, django_capture_on_commit_callbacks
):
    request = _reversal(teller1, django_capture_on_commit_callbacks)
    assert (request.mode, request.state) == ("on_site", RequestState.QUEUED)
    assert request_claim_next(actor=Actor(user=supervisor1)) is None  # not a queue item

    decided = request_on_site_decide(
        reference=request.reference,
        supervisor_username="supervisor1",
        supervisor_password=password,
        action="approve",
        verdicts=[VerdictInput("REASON_STATED", True)],
        actor=Actor(user=teller1, terminal="BJ01-T07"),
        auth_request=rf.post("/"),
    )

    assert decided.state == RequestState.APPROVED and decided.decided_by == supervisor1
    approved = RequestEvent.objects.get(request=request, kind="approved")
    assert approved.actor == supervisor1 and approved.terminal == "BJ01-T07"


def test_on_site_wrong_password_changes_nothing(
    reversal_rules, teller1, supervisor1, rf, django_capture_on_commit_callbacks
):
    request = _reversal(teller1, django_capture_on_commit_callbacks)
    with pytest.raises(StepUpFailed):
        request_on_site_decide(
            reference=request.reference,
            supervisor_username="supervisor1",
            supervisor_password="wrong",
            action="approve",
            actor=Actor(user=teller1),
            auth_request=rf.post("/"),
        )
    request.refresh_from_db()
    assert request.state == RequestState.QUEUED and request.claimed_by is None


def test_on_site_approval_refused_by_the_gate_leaves_it_queued(
    reversal_rules, teller1, supervisor1, password, rf, django_capture_on_commit_callbacks
):
    request = _reversal(teller1, django_capture_on_commit_callbacks)
    with pytest.raises(EvidenceIncomplete) as refused:
        request_on_site_decide(
            reference=request.reference,
            supervisor_username="supervisor1",
            supervisor_password=password,
            action="approve",
            actor=Actor(user=teller1),
            auth_request=rf.post("/"),
        )
    assert "REASON_STATED" in str(refused.value.fields)
    request.refresh_from_db()
    assert request.state == RequestState.QUEUED and request.claimed_by is None


def test_transferred_to_cross_terminal_it_reaches_the_supervisors_own_queue(
    reversal_rules, teller1, supervisor1, make_user, django_capture_on_commit_callbacks
):
    request = _reversal(teller1, django_capture_on_commit_callbacks)
    other_branch = make_user(Role.BRANCH_SUPERVISOR, "SH01", level=1, username="sh_supervisor")
    limit(other_branch, "50000.00")

    request_transfer(reference=request.reference, mode="cross_terminal", actor=Actor(user=teller1))

    assert request_claim_next(actor=Actor(user=other_branch)) is None
    assert request_claim_next(actor=Actor(user=supervisor1)).pk == request.pk
    assert list(
        RequestEvent.objects.filter(request=request).order_by("seq").values_list("kind", flat=True)
    )[-2:] == ["transferred", "claimed"]


def test_on_site_without_supervisor_transferred_to_remote_center(
    reversal_rules, teller1, authorizer1, django_capture_on_commit_callbacks
):
    request = _reversal(teller1, django_capture_on_commit_callbacks)
    request_transfer(
        reference=request.reference,
        mode="remote_centralized",
        actor=Actor(user=teller1),
        comment="No supervisor on site",
    )
    claimed = request_claim_next(actor=Actor(user=authorizer1))
    assert claimed.pk == request.pk and claimed.authorizer_role == "remote_authorizer"


def test_returned_request_is_supplemented_and_resubmitted(
    submit_withdrawal, with_evidence, teller1, authorizer1, django_capture_on_commit_callbacks
):
    request = with_evidence(submit_withdrawal(teller1))
    actor = Actor(user=authorizer1)
    request_claim_next(actor=actor)
    returned = request_return(
        reference=request.reference,
        actor=actor,
        reason_code="IMAGE_UNCLEAR",
        comment="The slip is cut off",
    )
    assert (
        returned.state == RequestState.RETURNED and returned.decision_reason_code == "IMAGE_UNCLEAR"
    )

    with django_capture_on_commit_callbacks(execute=True):
        request_image_attach(
            reference=request.reference,
            image_type_code="WITHDRAWAL_SLIP",
            upload=upload(99),
            actor=Actor(user=teller1),
        )
    resubmitted = request_resubmit(
        reference=request.reference, actor=Actor(user=teller1), comment="Slip photographed again"
    )
    assert resubmitted.state == RequestState.QUEUED and resubmitted.round == 2

    # The verdicts of the first round do not count for the second.
    assert request_claim_next(actor=actor).pk == request.pk
    with pytest.raises(EvidenceIncomplete):
        request_approve(reference=request.reference, actor=actor)


def test_corrected_amount_is_decided_again(submit_withdrawal, with_evidence, teller1, authorizer1):
    request = with_evidence(submit_withdrawal(teller1))
    actor = Actor(user=authorizer1)
    request_claim_next(actor=actor)
    request_return(
        reference=request.reference, actor=actor, reason_code="IMAGE_UNCLEAR", comment="Amount?"
    )
    resubmitted = request_resubmit(
        reference=request.reference,
        actor=Actor(user=teller1),
        corrected_elements={"amount": {"amount": "260000.00", "currency": "CNY"}},
    )
    assert resubmitted.level == 2 and resubmitted.authorizers_required == 2
    supplemented = RequestEvent.objects.get(request=request, kind="supplemented")
    assert supplemented.details["elements"]["amount"]["old"]["amount"] == "60000.00"
    assert request_claim_next(actor=actor) is None  # now above level 1


def test_failed_mandatory_point_allows_only_reject_or_return(
    submit_withdrawal, with_evidence, teller1, authorizer1
):
    request = with_evidence(submit_withdrawal(teller1))
    actor = Actor(user=authorizer1)
    request_claim_next(actor=actor)
    verdicts = [*all_points_pass()[:-1], VerdictInput("SLIP_SIGNED", False, "No signature")]
    request_verdicts_record(reference=request.reference, verdicts=verdicts, actor=actor)

    with pytest.raises(MandatoryPointFailed):
        request_approve(reference=request.reference, actor=actor)
    rejected = request_reject(
        reference=request.reference,
        actor=actor,
        reason_code="IDENTITY_DOUBT",
        comment="Unsigned slip, customer left",
    )
    assert rejected.state == RequestState.REJECTED and rejected.decided_by == authorizer1


def test_a_failed_point_needs_a_comment_and_reason_codes_come_from_the_catalogue(
    submit_withdrawal, with_evidence, teller1, authorizer1
):
    request = with_evidence(submit_withdrawal(teller1))
    actor = Actor(user=authorizer1)
    request_claim_next(actor=actor)
    with pytest.raises(InvalidDecisionInput) as no_comment:
        request_verdicts_record(
            reference=request.reference, verdicts=[VerdictInput("ID_VALID", False)], actor=actor
        )
    assert "verdicts[0].comment" in no_comment.value.fields
    with pytest.raises(InvalidDecisionInput) as unknown:
        request_reject(reference=request.reference, actor=actor, reason_code="NOPE", comment="x")
    assert "IDENTITY_DOUBT" in unknown.value.fields["reason_code"][0]
    with pytest.raises(InvalidDecisionInput):  # a return reason is not a reject reason
        request_reject(
            reference=request.reference, actor=actor, reason_code="IMAGE_UNCLEAR", comment="x"
        )


def test_submitter_cancels_before_a_claim_not_after(
    submit_withdrawal, with_evidence, teller1, authorizer1
):
    waiting = submit_withdrawal(teller1)
    assert request_cancel(reference=waiting.reference, actor=Actor(user=teller1)).state == (
        RequestState.CANCELLED
    )
    claimed = with_evidence(submit_withdrawal(teller1), seed=2)
    request_claim_next(actor=Actor(user=authorizer1))
    with pytest.raises(RequestStateConflict):
        request_cancel(reference=claimed.reference, actor=Actor(user=teller1))


def test_a_decision_on_a_stale_state_changes_nothing(
    submit_withdrawal, with_evidence, teller1, authorizer1
):
    request = with_evidence(submit_withdrawal(teller1))
    actor = Actor(user=authorizer1)
    request_claim_next(actor=actor)
    request_verdicts_record(reference=request.reference, verdicts=all_points_pass(), actor=actor)
    request_approve(reference=request.reference, actor=actor)

    with pytest.raises(RequestStateConflict):
        request_reject(
            reference=request.reference, actor=actor, reason_code="IDENTITY_DOUBT", comment="late"
        )
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    assert RequestEvent.objects.filter(request=request, kind="rejected").count() == 0


def test_silent_authorizers_claim_returns_to_the_queue_when_the_lease_runs_out(
    submit_withdrawal, with_evidence, teller1, authorizer1, make_user, settings
):
    settings.AUTHORIZATION_CLAIM_LEASE_SECONDS = 60
    request = with_evidence(submit_withdrawal(teller1))
    now = timezone.now()
    request_claim_next(actor=Actor(user=authorizer1), now=now)
    colleague = make_user(Role.REMOTE_AUTHORIZER, "RAC", level=1, username="colleague")
    limit(colleague, "100000.00")

    assert request_claim_next(actor=Actor(user=colleague), now=now + timedelta(seconds=30)) is None
    taken = request_claim_next(actor=Actor(user=colleague), now=now + timedelta(seconds=61))

    assert taken.pk == request.pk and taken.claimed_by == colleague
    kinds = RequestEvent.objects.filter(request=request).order_by("seq")
    assert list(kinds.values_list("kind", flat=True))[-3:] == [
        "claimed",
        "lease_expired",
        "claimed",
    ]


def test_delegation_hands_the_delegators_queue_to_the_substitute(
    reversal_rules, teller1, supervisor1, make_user, django_capture_on_commit_callbacks
):
    request = _reversal(teller1, django_capture_on_commit_callbacks)
    request_transfer(reference=request.reference, mode="cross_terminal", actor=Actor(user=teller1))
    substitute = make_user(Role.BRANCH_SUPERVISOR, "SH01", level=1, username="substitute")
    limit(substitute, "50000.00")
    now = timezone.now()
    Delegation.objects.create(
        delegator=supervisor1,
        substitute=substitute,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
        created_at=now,
        created_by=supervisor1,
    )

    assert request_claim_next(actor=Actor(user=supervisor1)) is None  # away
    assert request_claim_next(actor=Actor(user=substitute)).pk == request.pk


def test_another_branchs_teller_cannot_see_the_request(
    submit_withdrawal, teller1, make_user, api_client_for
):
    request = submit_withdrawal(teller1)
    stranger = make_user(Role.TELLER, "SH01", username="sh_teller")
    with pytest.raises(RequestNotFound):
        request_get(reference=request.reference, user=stranger)
    api = api_client_for(stranger)
    assert api.get(f"{API}/requests/{request.reference}").status_code == 404
    assert api.get(f"{API}/requests").json()["count"] == 0
    assert api_client_for(teller1).get(f"{API}/requests").json()["count"] == 1


def test_past_its_time_limit_a_request_escalates_once_then_expires(submit_withdrawal, teller1):
    request = submit_withdrawal(teller1)  # 15 minutes, escalation to level 2
    late = request.due_at + timedelta(seconds=1)

    escalated = request_escalate(reference=request.reference, now=late)
    assert escalated.level == 2 and escalated.escalated_at == late
    assert request_escalate(reference=request.reference, now=late) is None  # not twice

    expired = request_escalate(reference=request.reference, now=late + timedelta(minutes=16))
    assert expired.state == RequestState.EXPIRED


def test_api_decisions_replay_with_the_same_idempotency_key(
    submit_withdrawal, with_evidence, teller1, authorizer1, api_client_for
):
    request = with_evidence(submit_withdrawal(teller1))
    api = api_client_for(authorizer1)
    api.post(f"{API}/requests/claim-next")
    api.post(
        f"{API}/requests/{request.reference}/verdicts",
        {"verdicts": [{"review_point": p.review_point, "passed": True} for p in all_points_pass()]},
        format="json",
    )
    url = f"{API}/requests/{request.reference}/approve"
    first = api.post(url, {"comment": "ok"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(url, {"comment": "ok"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    changed = api.post(url, {"comment": "other"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert changed.status_code == 422
    assert RequestEvent.objects.filter(request=request, kind="approved").count() == 1


@requires_postgres
def test_postgresql_refuses_to_update_or_delete_trail_events(submit_withdrawal, teller1):
    from django.db import DatabaseError, transaction

    request = submit_withdrawal(teller1)
    event = RequestEvent.objects.get(request=request, seq=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RequestEvent.objects.filter(pk=event.pk).update(actor_username="someone_else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RequestEvent.objects.filter(pk=event.pk).delete()
    assert RequestEvent.objects.get(pk=event.pk).actor_username == "teller1"
