"""Time limits: the beat task escalates requests past their limit (or expires them), once, even
when it runs twice; a worker killed mid-escalation leaves nothing half-done."""

from __future__ import annotations

import json
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from authorization.models import AuthorizationRequest, RequestEvent, RequestState
from authorization.services.trail import trail_verify
from authorization.tasks import requests_escalate_due_task, requests_leases_expire_task
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.conftest import requires_postgres
from tests.harness import celery_workers, kill_9, wait_for

WORKER = Path(__file__).with_name("worker_for_escalation_test.py")


def run_beat(django_capture_on_commit_callbacks, now) -> None:
    """What beat does every minute, at a frozen `now` (the per-request tasks it enqueues on
    commit run in-process here)."""
    with django_capture_on_commit_callbacks(execute=True):
        requests_escalate_due_task.delay(now=now.isoformat())


def kinds(request) -> list[str]:
    return list(
        RequestEvent.objects.filter(request=request).order_by("seq").values_list("kind", flat=True)
    )


@pytest.mark.django_db
def test_a_request_past_its_limit_is_escalated_once_even_when_the_task_runs_twice(
    submit_withdrawal, teller1, django_capture_on_commit_callbacks
):
    request = submit_withdrawal(teller1)  # 15 minutes, then escalation to level 2
    assert (request.level, request.escalation_level) == (1, 2)
    late = request.due_at + timedelta(seconds=1)

    run_beat(django_capture_on_commit_callbacks, late)
    run_beat(django_capture_on_commit_callbacks, late)

    request.refresh_from_db()
    assert request.level == 2 and request.escalated_at == late
    assert request.state == RequestState.WAITING_FOR_EVIDENCE  # still open, now level 2
    assert request.due_at == late + timedelta(minutes=15)  # the clock starts again
    assert kinds(request).count("escalated") == 1
    escalated = RequestEvent.objects.get(request=request, kind="escalated")
    assert escalated.actor is None and escalated.details == {"to_level": 2}
    assert trail_verify(references=[request.reference]).ok


def test_a_request_not_yet_due_is_left_alone(
    submit_withdrawal, teller1, django_capture_on_commit_callbacks
):
    request = submit_withdrawal(teller1)

    run_beat(django_capture_on_commit_callbacks, request.due_at - timedelta(seconds=1))

    request.refresh_from_db()
    assert request.level == 1 and request.escalated_at is None
    assert "escalated" not in kinds(request)


def test_past_the_escalated_limit_it_expires_once(
    submit_withdrawal, teller1, django_capture_on_commit_callbacks
):
    request = submit_withdrawal(teller1)
    late = request.due_at + timedelta(seconds=1)
    run_beat(django_capture_on_commit_callbacks, late)
    later = late + timedelta(minutes=15, seconds=1)

    run_beat(django_capture_on_commit_callbacks, later)
    run_beat(django_capture_on_commit_callbacks, later + timedelta(hours=1))

    request.refresh_from_db()
    assert request.state == RequestState.EXPIRED
    assert kinds(request).count("escalated") == 1 and kinds(request).count("expired") == 1
    assert trail_verify(references=[request.reference]).ok


def test_a_decided_request_is_never_escalated(
    submit_withdrawal, teller1, django_capture_on_commit_callbacks
):
    from authorization.services.requests import request_cancel
    from authorization.services.trail import Actor

    request = submit_withdrawal(teller1)
    request_cancel(reference=request.reference, actor=Actor(user=teller1))

    run_beat(django_capture_on_commit_callbacks, request.due_at + timedelta(hours=1))

    request.refresh_from_db()
    assert request.state == RequestState.CANCELLED and request.level == 1
    assert "escalated" not in kinds(request) and "expired" not in kinds(request)


def test_an_escalation_is_sent_to_the_channels_webhook(
    submit_withdrawal, teller1, django_capture_on_commit_callbacks
):
    from tests.authorization.test_webhooks import Receiver, subscribe

    request = submit_withdrawal(teller1)
    with Receiver() as receiver:
        subscribe(url=receiver.url, channel="counter")
        run_beat(django_capture_on_commit_callbacks, request.due_at + timedelta(seconds=1))

    sent = [json.loads(call["body"]) for call in receiver.received]
    assert [(s["request_reference"], s["data"]["event"], s["data"]["level"]) for s in sent] == [
        (request.reference, "escalated", 2)
    ]


@pytest.mark.django_db
def test_beat_runs_the_escalation_and_lease_tasks_every_minute():
    schedule = settings.CELERY_BEAT_SCHEDULE

    assert schedule["authorization.requests-escalate-due"] == {
        "task": requests_escalate_due_task.name,
        "schedule": 60.0,
    }
    assert schedule["authorization.requests-leases-expire"]["task"] == (
        requests_leases_expire_task.name
    )
    assert requests_escalate_due_task.acks_late and requests_leases_expire_task.acks_late


# --- A real worker killed mid-escalation (real Redis broker, PostgreSQL) -------------------------


@pytest.mark.redis
@requires_postgres  # the worker process must see the test's committed rows
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis broker (REDIS_URL)")
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_escalation_leaves_nothing_half_done_and_redelivery_completes_it(
    tmp_path, submit_withdrawal, teller1
):
    request = submit_withdrawal(teller1)
    AuthorizationRequest.objects.filter(pk=request.pk).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    with celery_workers(WORKER, tmp_path, queue="celery", env_prefix="ESCALATION_TEST") as workers:
        # Two workers from the start: the one that runs the escalation pauses in it (writes
        # done, not committed) and is killed; the other gets the message back.
        started = [workers.start(pause=True), workers.start(pause=True)]
        requests_escalate_due_task.delay()  # what beat sends every minute, via the real broker
        paused = workers.paused_pid()
        (killed,) = [worker for worker in started if worker.pid == paused]
        (survivor,) = [worker for worker in started if worker is not killed]

        kill_9(killed.pid)  # kill -9, with the escalation written, uncommitted
        killed.wait(timeout=10)
        assert killed.returncode == -signal.SIGKILL
        request.refresh_from_db()
        assert (request.level, request.escalated_at) == (1, None)  # nothing half-done
        assert "escalated" not in kinds(request)

        wait_for(
            lambda: AuthorizationRequest.objects.filter(pk=request.pk, level=2).exists(),
            seconds=120,
            what="the redelivered escalation to finish",
            alive=(survivor,),
        )
        # Acknowledged and nothing queued: no copy of the message is left to escalate twice.
        wait_for(workers.drained, seconds=30, what="the broker to be empty", alive=(survivor,))

    request.refresh_from_db()
    assert request.level == 2 and request.escalated_at is not None
    assert request.state == RequestState.WAITING_FOR_EVIDENCE
    assert kinds(request).count("escalated") == 1
    assert trail_verify(references=[request.reference]).ok
