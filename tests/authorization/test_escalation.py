"""Time limits: the beat task escalates requests past their limit (or expires them), once, even
when it runs twice; a worker killed mid-escalation leaves nothing half-done."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from authorization.models import AuthorizationRequest, RequestEvent, RequestState
from authorization.services.trail import trail_verify
from authorization.tasks import requests_escalate_due_task, requests_leases_expire_task
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.conftest import requires_postgres

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


def _queue_keys_clear() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")


def _start_worker(tmp_path: Path, *, pause: bool) -> subprocess.Popen:
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "ESCALATION_TEST_MARKER": str(tmp_path / "escalation-started"),
        "ESCALATION_TEST_PAUSE": "1" if pause else "0",
    }
    log = open(tmp_path / f"worker-{'a' if pause else 'b'}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603
        [sys.executable, str(WORKER)], env=environment, stdout=log, stderr=subprocess.STDOUT
    )


def _wait_for(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.mark.redis
@requires_postgres  # the worker process must see the test's committed rows
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis broker (REDIS_URL)")
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_escalation_leaves_nothing_half_done_and_redelivery_completes_it(
    tmp_path, submit_withdrawal, teller1
):
    from bankcore.celery import app

    request = submit_withdrawal(teller1)
    AuthorizationRequest.objects.filter(pk=request.pk).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    _queue_keys_clear()
    first = _start_worker(tmp_path, pause=True)
    second = None
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        requests_escalate_due_task.delay()  # what beat sends every minute, via the real broker
        _wait_for(
            (tmp_path / "escalation-started").exists,
            seconds=90,
            what="the first worker to be inside the escalation",
        )

        os.kill(first.pid, signal.SIGKILL)  # kill -9, with the escalation written, uncommitted
        first.wait(timeout=10)
        assert first.returncode == -signal.SIGKILL
        request.refresh_from_db()
        assert (request.level, request.escalated_at) == (1, None)  # nothing half-done
        assert "escalated" not in kinds(request)

        second = _start_worker(tmp_path, pause=False)
        _wait_for(
            lambda: AuthorizationRequest.objects.filter(pk=request.pk, level=2).exists(),
            seconds=120,
            what="the redelivered escalation to finish",
        )
        time.sleep(6)  # past the visibility timeout: nothing may escalate it a second time
    finally:
        app.conf.task_always_eager = eager
        _stop(first)
        if second is not None:
            _stop(second)
        _queue_keys_clear()

    request.refresh_from_db()
    assert request.level == 2 and request.escalated_at is not None
    assert request.state == RequestState.WAITING_FOR_EVIDENCE
    assert kinds(request).count("escalated") == 1
    assert trail_verify(references=[request.reference]).ok
