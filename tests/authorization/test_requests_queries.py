"""What claim next and a decision cost in queries (issue 9's benchmark: bench/bench_review_queue.py),
so the savings stay: the row, its trail head and whether anyone subscribed to webhooks are read
in one query, under the row lock; a transition is one compare-and-set UPDATE (which also moves
the trail's head) and the event's INSERT; the claim query does not grow with the queue."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from authorization.models import ReasonCode, RequestState, WebhookDelivery, WebhookSubscription
from authorization.services.requests import (
    CommentRequired,
    UnknownReasonCode,
    request_approve,
    request_claim_next,
    request_reject,
    request_verdicts_record,
)
from authorization.services.trail import Actor, trail_verify
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import all_points_pass

# The authorizer's scope (its limits and the delegations either way, one query), the roles of a user read afresh
# (as on each API call), the claim query with the trail's head, the compare-and-set UPDATE,
# the event's INSERT, the actor's unit (for the trail), and the savepoint pair of the
# transaction inside the test's own.
CLAIM_NEXT_QUERIES = 8
# The request read and locked with its trail head, the user's permissions (who may see it:
# two queries on a fresh user), the scope (limits and delegations; roles), the approval gate
# (images ready, the verdicts), the actor's unit, the UPDATE, the INSERT, the savepoint pair.
APPROVE_QUERIES = 11
# The same without the approval gate: the reason code is checked by the UPDATE itself (an
# active one of the catalogue).
REJECT_QUERIES = 9


def _as_on_a_request(user):
    """The user as an API request loads it: no roles or permissions cached yet."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize("queued", [1, 6])
def test_claim_next_costs_the_same_few_queries_whatever_the_queue(
    queued, submit_withdrawal, with_evidence, teller1, authorizer1, django_assert_num_queries
):
    requests = [with_evidence(submit_withdrawal(teller1), seed=n) for n in range(queued)]
    actor = Actor(user=_as_on_a_request(authorizer1))

    with django_assert_num_queries(CLAIM_NEXT_QUERIES):
        claimed = request_claim_next(actor=actor)

    assert claimed.pk == requests[0].pk  # the oldest
    claimed.refresh_from_db()
    assert claimed.state == RequestState.IN_REVIEW and claimed.claimed_by_id == authorizer1.pk
    assert trail_verify(references=[claimed.reference]).ok


def test_approve_and_reject_cost_a_fixed_number_of_queries(
    submit_withdrawal, with_evidence, teller1, authorizer1, django_assert_num_queries
):
    first, second = (with_evidence(submit_withdrawal(teller1), seed=n) for n in (1, 2))
    for _ in (first, second):
        request_claim_next(actor=Actor(user=authorizer1))
    request_verdicts_record(
        reference=first.reference, verdicts=all_points_pass(), actor=Actor(user=authorizer1)
    )

    approver, rejecter = (Actor(user=_as_on_a_request(authorizer1)) for _ in range(2))
    with django_assert_num_queries(APPROVE_QUERIES):
        approved = request_approve(reference=first.reference, actor=approver)
    with django_assert_num_queries(REJECT_QUERIES):
        request_reject(
            reference=second.reference,
            actor=rejecter,
            reason_code="IDENTITY_DOUBT",
            comment="The photo does not match.",
        )

    assert approved.state == RequestState.APPROVED and approved.decided_by_id == authorizer1.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (RequestState.APPROVED, RequestState.REJECTED)
    assert first.trail_length == approved.trail_length  # what the service answered is stored
    assert trail_verify(references=[first.reference, second.reference]).ok


def test_a_subscribed_channel_still_hears_of_each_claim_and_decision(
    submit_withdrawal, with_evidence, teller1, authorizer1, django_capture_on_commit_callbacks
):
    """Transitions skip the webhook lookup only when no subscription matches the request,
    which the row query tells: a subscription added while requests wait is honoured."""
    request = with_evidence(submit_withdrawal(teller1))
    WebhookSubscription.objects.create(
        name="counter channel",
        channel=request.channel,
        url="http://127.0.0.1:9/hook",
        secret="s" * 32,
        created_at=timezone.now(),
    )
    actor = Actor(user=authorizer1)
    with django_capture_on_commit_callbacks(execute=False):
        request_claim_next(actor=actor)
        request_reject(
            reference=request.reference,
            actor=actor,
            reason_code="IDENTITY_DOUBT",
            comment="The photo does not match.",
        )

    events = sorted(
        d.payload["event"]
        for d in WebhookDelivery.objects.filter(request_reference=request.reference)
    )
    assert events == ["claimed", "rejected"]


def test_a_reason_code_withdrawn_from_the_catalogue_refuses_the_decision_and_changes_nothing(
    submit_withdrawal, with_evidence, teller1, authorizer1
):
    """The reason code is checked by the decision's compare-and-set UPDATE itself: a code
    deactivated after the authorizer opened the request is refused, and the request stays
    claimed with its trail as it was."""
    request = with_evidence(submit_withdrawal(teller1))
    actor = Actor(user=authorizer1)
    request_claim_next(actor=actor)
    request.refresh_from_db()
    ReasonCode.objects.filter(code="IDENTITY_DOUBT").update(is_active=False)

    with pytest.raises(UnknownReasonCode):
        request_reject(
            reference=request.reference,
            actor=actor,
            reason_code="IDENTITY_DOUBT",
            comment="The photo does not match.",
        )
    with pytest.raises(UnknownReasonCode):  # named before the missing comment
        request_reject(
            reference=request.reference, actor=actor, reason_code="IDENTITY_DOUBT", comment=" "
        )

    trail_length = request.trail_length
    request.refresh_from_db()
    assert request.state == RequestState.IN_REVIEW and request.claimed_by_id == authorizer1.pk
    assert request.trail_length == trail_length and trail_verify(references=[request.reference]).ok


def test_a_known_reason_code_without_a_comment_is_refused_for_the_comment(
    submit_withdrawal, with_evidence, teller1, authorizer1
):
    request = with_evidence(submit_withdrawal(teller1))
    actor = Actor(user=authorizer1)
    request_claim_next(actor=actor)

    with pytest.raises(CommentRequired):
        request_reject(
            reference=request.reference, actor=actor, reason_code="IDENTITY_DOUBT", comment=""
        )
