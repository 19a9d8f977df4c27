"""Webhooks: channel systems are told of each state change of their authorization requests.

A subscription (admin: Webhook subscriptions) names an integrator user and/or a channel, a URL
and a signing secret. Each state change of a request submitted by that user or through that
channel becomes one delivery per active subscription: an HTTP POST of JSON

    {"id": "<event uuid>", "type": "authorization_request.state_changed",
     "request_reference": "AR…", "created_at": "<ISO 8601>", "data": {…the state change…}}

with the headers

    Content-Type: application/json
    X-Webhook-Id: <event uuid>            (the same on every retry: deduplicate by it)
    X-Webhook-Timestamp: <Unix seconds>   (when this attempt was signed)
    X-Webhook-Signature: sha256=<hex>     HMAC-SHA256(secret, "<timestamp>.<raw body>")

The receiver recomputes the signature over the timestamp, a dot and the raw body bytes,
compares in constant time (`webhook_signature_verify` does exactly that) and refuses old
timestamps (replays). Any 2xx answer counts as delivered. Otherwise (another status, a
refused connection, a time-out) Celery retries with exponential backoff
(`WEBHOOK_RETRY_BASE_SECONDS` · 2^(attempt-1), at most `WEBHOOK_RETRY_MAX_SECONDS`) up to
`WEBHOOK_MAX_ATTEMPTS` attempts, then the delivery is marked failed. Each delivery records its
attempts, last status and last error. Delivery is at least once (the task is `acks_late`: a
worker killed mid-request delivers again), hence the id.

The requests' transitions call `webhook_notify_state_change` inside their transaction: the
delivery rows are written with the state change and the deliveries start once it commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Subquery
from django.utils import timezone

from authorization.models import (
    AuthorizationRequest,
    WebhookDelivery,
    WebhookDeliveryState,
    WebhookSubscription,
)

EVENT_TYPE = "authorization_request.state_changed"
ID_HEADER = "X-Webhook-Id"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
SIGNATURE_HEADER = "X-Webhook-Signature"


def webhook_secret_generate() -> str:
    return secrets.token_urlsafe(32)


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The `X-Webhook-Signature` value for this body signed at `timestamp`."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_signature_verify(
    *,
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    now: dt.datetime | None = None,
    tolerance_seconds: int = 300,
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        signed_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = (now or timezone.now()).timestamp()
    if abs(current - signed_at) > tolerance_seconds:
        return False
    expected = webhook_signature(secret=secret, timestamp=signed_at, body=body)
    return hmac.compare_digest(expected, signature)


def webhook_backoff_seconds(attempt: int) -> float:
    """How long to wait after failed attempt number `attempt` (1-based) before the next."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return min(base * 2 ** (attempt - 1), settings.WEBHOOK_RETRY_MAX_SECONDS)


def subscriptions_matching(*, submitter, channel):
    """Active subscriptions that hear of the requests of `submitter` (a user id) submitted
    through `channel`; both may be expressions (OuterRef, Subquery). The requests' services
    also ask it inside their row query (Exists), to skip the notification when none match."""
    return WebhookSubscription.objects.filter(is_active=True).filter(
        Q(integrator_id=submitter) | (Q(channel=channel) & ~Q(channel=""))
    )


def webhook_notify_state_change(*, request_reference: str, payload: dict[str, Any]) -> list[int]:
    """Record a delivery of this state change to each matching active subscription and send
    them once the current transaction commits. Returns the delivery ids (none when nobody
    subscribed). `payload` must be JSON-serialisable (e.g. reference, from/to state, event
    kind, actor, occurred_at as ISO text)."""
    # One query: the request's submitter and channel are looked up inside it.
    request = AuthorizationRequest.objects.filter(reference=request_reference)
    submitter = Subquery(request.values("submitted_by_id")[:1])
    channel = Subquery(request.values("channel")[:1])
    subscriptions = list(
        subscriptions_matching(submitter=submitter, channel=channel).order_by("pk")
    )
    if not subscriptions:
        return []
    now = timezone.now()
    body_data = json.loads(json.dumps(payload, default=str))
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=subscription,
                event_id=uuid.uuid4(),
                request_reference=request_reference,
                payload=body_data,
                created_at=now,
            )
            for subscription in subscriptions
        ]
    )
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        from authorization.tasks import webhook_deliver_task

        def enqueue() -> None:
            for delivery_id in ids:
                webhook_deliver_task.delay(delivery_id=delivery_id)

        transaction.on_commit(enqueue)
    return ids


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    """What one attempt did: `retry_in` seconds when another attempt should follow."""

    delivered: bool
    status_code: int | None
    error: str
    retry_in: float | None


def _body(delivery: WebhookDelivery) -> bytes:
    document = {
        "id": str(delivery.event_id),
        "type": EVENT_TYPE,
        "request_reference": delivery.request_reference,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def _post(*, url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310 (http/https only, by a check constraint)
            request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
        ) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return None, str(getattr(error, "reason", error))[:500]


def webhook_delivery_attempt(*, delivery_id: int) -> DeliveryAttempt | None:
    """Make one attempt at a pending delivery and record it. None when there is nothing to do
    (already delivered or given up: a redelivered task message)."""
    delivery = (
        WebhookDelivery.objects.select_related("subscription")
        .filter(pk=delivery_id, state=WebhookDeliveryState.PENDING)
        .first()
    )
    if delivery is None:
        return None
    body = _body(delivery)
    timestamp = int(timezone.now().timestamp())
    status_code, error = _post(
        url=delivery.subscription.url,
        body=body,
        headers={
            "Content-Type": "application/json",
            "User-Agent": "bank-authorization-center-webhooks/1",
            ID_HEADER: str(delivery.event_id),
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: webhook_signature(
                secret=delivery.subscription.secret, timestamp=timestamp, body=body
            ),
        },
    )
    now = timezone.now()
    delivered = status_code is not None and 200 <= status_code < 300
    attempts = delivery.attempts + 1
    gave_up = not delivered and attempts >= settings.WEBHOOK_MAX_ATTEMPTS
    if delivered:
        state = WebhookDeliveryState.DELIVERED
    elif gave_up:
        state = WebhookDeliveryState.FAILED
    else:
        state = WebhookDeliveryState.PENDING
    WebhookDelivery.objects.filter(pk=delivery.pk, state=WebhookDeliveryState.PENDING).update(
        attempts=F("attempts") + 1,
        last_status_code=status_code,
        last_error=error,
        last_attempt_at=now,
        state=state,
        delivered_at=now if delivered else None,
    )
    retry_in = None if delivered or gave_up else webhook_backoff_seconds(attempts)
    return DeliveryAttempt(
        delivered=delivered, status_code=status_code, error=error, retry_in=retry_in
    )
