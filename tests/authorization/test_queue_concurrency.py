"""The review queue under real concurrency (PostgreSQL, real threads, one connection each):
every request claimed and decided exactly once, and two racing decisions → one wins, the other
gets 409 and changes nothing."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from authorization.models import AuthorizationRequest, EvaluatedTransaction, RequestEvent
from authorization.services.requests import request_claim_next, request_reject
from authorization.services.trail import Actor, trail_verify
from bankcore.roles import Role
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import all_points_pass, limit
from tests.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

THREADS = 16
REQUESTS = 500
API = "/api/v1/authorization"


def queued_copies(template: AuthorizationRequest, count: int) -> list[str]:
    """`count` queued requests like `template` (a real submission through the services): the
    same decision snapshot, each with its own evaluation and reference, oldest first."""
    now = timezone.now()
    evaluation = template.evaluation
    evaluations = EvaluatedTransaction.objects.bulk_create(
        [
            EvaluatedTransaction(
                version_id=evaluation.version_id,
                transaction_code=evaluation.transaction_code,
                channel=evaluation.channel,
                branch_code=evaluation.branch_code,
                teller=evaluation.teller,
                elements=evaluation.elements,
                required=True,
                mode=evaluation.mode,
                level=evaluation.level,
                reason_codes=evaluation.reason_codes,
                rule_codes=evaluation.rule_codes,
                scene_code=evaluation.scene_code,
                evaluated_at=now,
                evaluated_by_id=evaluation.evaluated_by_id,
            )
            for _ in range(count)
        ]
    )
    fields = {
        field.name: getattr(template, field.attname)
        for field in AuthorizationRequest._meta.concrete_fields
        if field.name
        not in {
            "id",
            "reference",
            "evaluation",
            "state",
            "queued_at",
            "trail_length",
            "trail_head_hash",
        }
    }
    fields = {
        (f"{name}_id" if AuthorizationRequest._meta.get_field(name).is_relation else name): value
        for name, value in fields.items()
    }
    copies = [
        AuthorizationRequest(
            **fields,
            reference=f"ARC{index:011d}",
            evaluation=evaluations[index],
            state="queued",
            queued_at=now - timedelta(seconds=count - index),
        )
        for index in range(count)
    ]
    AuthorizationRequest.objects.bulk_create(copies)
    return [copy.reference for copy in copies]


def run_threads(target, count: int) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def body(index: int) -> None:
        try:
            start.wait()
            target(index)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def test_sixteen_authorizers_claim_and_decide_five_hundred_requests_each_exactly_once(
    submit_withdrawal, teller1, make_user
):
    template = submit_withdrawal(teller1)
    references = set(queued_copies(template, REQUESTS))
    authorizers = []
    for index in range(THREADS):
        user = make_user(Role.REMOTE_AUTHORIZER, "RAC", level=1, username=f"auth{index:02d}")
        limit(user, "100000.00")
        authorizers.append(user)
    decided: list[list[str]] = [[] for _ in range(THREADS)]

    def work(index: int) -> None:
        actor = Actor(user=authorizers[index])
        while True:
            claimed = request_claim_next(actor=actor)
            if claimed is None:
                return
            request_reject(
                reference=claimed.reference,
                actor=actor,
                reason_code="IDENTITY_DOUBT",
                comment="Concurrency test",
            )
            decided[index].append(claimed.reference)

    errors = run_threads(work, THREADS)

    assert errors == []
    everything = [reference for mine in decided for reference in mine]
    assert len(everything) == len(set(everything))  # nobody decided a request twice
    assert set(everything) == references  # none lost (the template waits for evidence)
    assert sum(1 for mine in decided if mine) > 1  # the work really was shared
    states = Counter(
        AuthorizationRequest.objects.filter(reference__in=references).values_list(
            "state", flat=True
        )
    )
    assert states == {"rejected": REQUESTS}
    per_request = Counter(
        RequestEvent.objects.filter(request__reference__in=references).values_list(
            "request__reference", "kind"
        )
    )
    assert {count for (_ref, kind), count in per_request.items() if kind == "claimed"} == {1}
    assert {count for (_ref, kind), count in per_request.items() if kind == "rejected"} == {1}
    # The holder of each claim is the one who decided it.
    holders = dict(
        RequestEvent.objects.filter(request__reference__in=references, kind="claimed").values_list(
            "request__reference", "actor_id"
        )
    )
    deciders = dict(
        AuthorizationRequest.objects.filter(reference__in=references).values_list(
            "reference", "decided_by_id"
        )
    )
    assert holders == deciders
    assert trail_verify(references=sorted(references)).ok


def test_approve_and_reject_racing_on_one_request_one_wins_the_other_gets_409(
    submit_withdrawal, with_evidence, teller1, authorizer1, api_client_for
):
    request = with_evidence(submit_withdrawal(teller1))
    api = api_client_for(authorizer1)
    assert api.post(f"{API}/requests/claim-next").json()["reference"] == request.reference
    verdicts = [{"review_point": p.review_point, "passed": True} for p in all_points_pass()]
    assert api.post(
        f"{API}/requests/{request.reference}/verdicts", {"verdicts": verdicts}, format="json"
    ).status_code in (200, 201)
    calls = {
        "approve": ("approve", {"comment": "All checked"}),
        "reject": ("reject", {"reason_code": "IDENTITY_DOUBT", "comment": "Photo unlike"}),
    }
    answers: dict[str, object] = {}
    names = list(calls)

    def decide(index: int) -> None:
        name = names[index]
        action, body = calls[name]
        client = api_client_for(authorizer1)  # the holder, from two terminals at once
        answers[name] = client.post(
            f"{API}/requests/{request.reference}/{action}", body, format="json"
        )

    errors = run_threads(decide, 2)

    assert errors == []
    statuses = sorted(answers[name].status_code for name in names)
    assert statuses == [200, 409]
    winner = next(name for name in names if answers[name].status_code == 200)
    loser = next(name for name in names if answers[name].status_code == 409)
    assert answers[loser].json()["error"]["code"] == "state_conflict"
    request.refresh_from_db()
    assert request.state == {"approve": "approved", "reject": "rejected"}[winner]
    assert request.decided_by == authorizer1
    kinds = list(RequestEvent.objects.filter(request=request).values_list("kind", flat=True))
    assert kinds.count("approved") + kinds.count("rejected") == 1
    assert trail_verify(references=[request.reference]).ok


def test_a_second_authorizer_cannot_decide_a_request_another_holds_and_changes_nothing(
    submit_withdrawal, with_evidence, teller1, authorizer1, make_user, api_client_for
):
    """Two authorizers at once: the holder approves while the other tries to reject."""
    other = make_user(Role.REMOTE_AUTHORIZER, "RAC", level=1, username="authorizer9")
    limit(other, "100000.00")
    request = with_evidence(submit_withdrawal(teller1))
    holder_api, other_api = api_client_for(authorizer1), api_client_for(other)
    holder_api.post(f"{API}/requests/claim-next")
    verdicts = [{"review_point": p.review_point, "passed": True} for p in all_points_pass()]
    holder_api.post(
        f"{API}/requests/{request.reference}/verdicts", {"verdicts": verdicts}, format="json"
    )
    answers: dict[str, object] = {}

    def decide(index: int) -> None:
        if index == 0:
            answers["holder"] = holder_api.post(
                f"{API}/requests/{request.reference}/approve", {}, format="json"
            )
        else:
            answers["other"] = other_api.post(
                f"{API}/requests/{request.reference}/reject",
                {"reason_code": "IDENTITY_DOUBT", "comment": "Not mine to decide"},
                format="json",
            )

    errors = run_threads(decide, 2)

    assert errors == []
    assert answers["holder"].status_code == 200
    assert answers["other"].status_code == 409
    request.refresh_from_db()
    assert request.state == "approved" and request.decided_by == authorizer1
    assert not RequestEvent.objects.filter(request=request, kind="rejected").exists()
