"""Celery tasks of the authorization app (thin: fetch by id, call a service).

All are `acks_late`: a worker killed mid-task leaves the message unacknowledged, so the broker
hands it to another worker; each task's work is one transaction and a compare-and-set, so a
task run twice (or re-run after a kill) does its work once.
"""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from authorization.services.requests import (
    request_escalate,
    requests_due,
    requests_leases_expire,
)
from authorization.webhooks import webhook_delivery_attempt


def _moment(now: str | None) -> datetime:
    """Tasks take the time as ISO text (JSON-serialisable); None means the clock now."""
    if not now:
        return timezone.now()
    moment = parse_datetime(now)
    if moment is None or timezone.is_naive(moment):
        raise ValueError(f"not an aware ISO 8601 datetime: {now!r}")
    return moment


@shared_task(acks_late=True, ignore_result=True)
def requests_escalate_due_task(*, now: str | None = None) -> int:
    """Beat (every minute): each open request past its time limit gets its own escalation task,
    enqueued once this read commits. Returns how many were enqueued."""
    references = requests_due(now=_moment(now))

    def enqueue() -> None:
        for reference in references:
            request_escalate_task.delay(reference=reference, now=now)

    transaction.on_commit(enqueue)
    return len(references)


@shared_task(acks_late=True, ignore_result=True)
def request_escalate_task(*, reference: str, now: str | None = None) -> bool:
    """Escalate one request past its time limit (or expire it). Does nothing when the request
    is no longer due: already escalated (its clock restarted), decided, or expired."""
    return request_escalate(reference=reference, now=_moment(now)) is not None


@shared_task(acks_late=True, ignore_result=True)
def requests_leases_expire_task() -> int:
    """Beat (every minute): requests whose claim lease ran out return to the queue."""
    return requests_leases_expire()


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def webhook_deliver_task(self, *, delivery_id: int):
    """One attempt at a webhook delivery; failures come back with exponential backoff until
    WEBHOOK_MAX_ATTEMPTS (counted on the delivery row, not by Celery)."""
    attempt = webhook_delivery_attempt(delivery_id=delivery_id)
    if attempt is not None and attempt.retry_in is not None:
        # Returned, not raised: a worker has already published the delayed retry and acks this
        # message; run eagerly (the embedded default), Celery applies the retry at once.
        return self.retry(countdown=attempt.retry_in, throw=False)
    return None
