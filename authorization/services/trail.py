"""The request trail (业务轨迹): append-only events, hash-chained per request.

Each event's hash is SHA-256 over the canonical JSON of its recorded fields together with
the previous event's hash, so editing any event, deleting one, or reordering them breaks
the chain from that point on; the request keeps the chain's length and head, so deleting the
last event is noticed too. `trail_verify` recomputes every chain and names what broke.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Subquery

from bankcore import prepared

from ..models import AuthorizationRequest, RequestEvent, RequestEventKind


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, and from where: the trail records it with every step. `user` is None for
    the system (a task, the evidence arriving)."""

    user: Any = None
    ip_address: str = ""
    user_agent: str = ""
    terminal: str = ""


SYSTEM = Actor()

_MILLI = Decimal("0.001")


def _canonical(event: dict[str, Any]) -> bytes:
    return json.dumps(
        event, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def event_hash(*, reference: str, event: RequestEvent) -> str:
    """The hash of `event` as recorded (its own fields and prev_hash)."""
    body = {
        "request": reference,
        "seq": event.seq,
        "kind": event.kind,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": event.actor_username,
        "actor_unit": event.actor_unit_code,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "seconds_since_previous": str(Decimal(event.seconds_since_previous).quantize(_MILLI)),
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "terminal": event.terminal,
        "mode": event.mode,
        "level": event.level,
        "reason_code": event.reason_code,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(_canonical(body)).hexdigest()


_NOTIFIED_WITHOUT_STATE_CHANGE = (RequestEventKind.ESCALATED, RequestEventKind.TRANSFERRED)


# The trail's head as read with the request row, under its lock: (length, head hash, time of
# the last event). Kept on the instance by trail_head_remember and used up by the next event,
# so the head is read in the same query as the row instead of by one more.
_HEAD = "_trail_head"


def trail_head_at() -> Subquery:
    """Annotation for a request query: when the trail's last event occurred (the unique
    (request, seq) index finds it)."""
    return Subquery(
        RequestEvent.objects.filter(request=OuterRef("pk"), seq=OuterRef("trail_length")).values(
            "occurred_at"
        )[:1]
    )


def trail_webhook_subscribed() -> Exists:
    """Annotation for a request query: whether any active webhook subscription matches the
    request (its submitter or channel), so that a transition without subscribers skips the
    notification instead of looking them up once more."""
    from ..webhooks import subscriptions_matching

    return Exists(
        subscriptions_matching(submitter=OuterRef("submitted_by_id"), channel=OuterRef("channel"))
    )


_READ_ANNOTATIONS: dict[str, Any] = {}


def trail_read_annotations() -> dict[str, Any]:
    """What a request query under the row lock reads along with the row, for the next event:
    the trail head's time and whether anyone subscribed (see trail_head_remember). Built once
    (annotate() resolves a copy of each expression, so they can be shared)."""
    if not _READ_ANNOTATIONS:
        _READ_ANNOTATIONS.update(
            trail_head_at=trail_head_at(), webhook_subscribed=trail_webhook_subscribed()
        )
    return _READ_ANNOTATIONS


def trail_head_remember(
    request: AuthorizationRequest, head_at: datetime | None, subscribed: bool | None = None
) -> None:
    """Note the head of `request`'s trail, read with the row under its lock in the current
    transaction (trail_length and trail_head_hash as loaded, `head_at` from trail_head_at),
    and whether a webhook subscription matches it (None: unknown, look it up). Used up by
    the next event."""
    request.__dict__[_HEAD] = (request.trail_length, request.trail_head_hash, head_at, subscribed)


def trail_head_remember_read(request: AuthorizationRequest) -> None:
    """trail_head_remember with the values of trail_read_annotations on `request`."""
    trail_head_remember(request, request.trail_head_at, request.webhook_subscribed)


def _head_of(request: AuthorizationRequest) -> tuple[tuple[int, str, datetime] | None, bool | None]:
    """((seq, hash, occurred_at) of the last event or None for an empty trail, subscribed).
    Uses the head noted with the locked row once; otherwise (or if the noted head is
    incomplete) reads it."""
    noted = request.__dict__.pop(_HEAD, None)
    subscribed = None
    if noted is not None:
        length, head_hash, head_at, subscribed = noted
        if length == 0:
            return None, subscribed
        if head_at is not None:
            return (length, head_hash, head_at), subscribed
    head = (
        RequestEvent.objects.filter(request=request)
        .order_by("-seq")
        .values_list("seq", "hash", "occurred_at")
        .first()
    )
    return head, subscribed


def trail_event_new(
    *,
    request: AuthorizationRequest,
    kind: str,
    actor: Actor,
    now: datetime,
    from_state: str = "",
    to_state: str = "",
    reason_code: str = "",
    details: dict[str, Any] | None = None,
    previous_at: datetime | None = None,
) -> RequestEvent:
    """The next event of the request's trail, hashed onto the chain's head, not yet saved
    (see trail_event_record). Its mode and level are the request's as they are now."""
    head, subscribed = _head_of(request)
    if head is None:
        seq, prev_hash = 1, ""
        since = previous_at or request.submitted_at
    else:
        seq, prev_hash, since = head[0] + 1, head[1], head[2]
    user = actor.user
    event = RequestEvent(
        request=request,
        seq=seq,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=user,
        actor_username=user.username if user else "",
        actor_unit_code=(user.org_unit.code if user and user.org_unit_id else ""),
        occurred_at=now,
        seconds_since_previous=Decimal(max((now - since).total_seconds(), 0)).quantize(_MILLI),
        ip_address=(actor.ip_address or "")[:45],
        user_agent=(actor.user_agent or "")[:255],
        terminal=(actor.terminal or "")[:60],
        mode=request.mode,
        level=request.level,
        reason_code=reason_code,
        details=details or {},
        prev_hash=prev_hash,
    )
    event.hash = event_hash(reference=request.reference, event=event)
    event.webhook_subscribed = subscribed
    return event


def trail_event_record(request: AuthorizationRequest, event: RequestEvent) -> None:
    """Save `event` once the request row carries it as its head (trail_length = event.seq,
    trail_head_hash = event.hash, written by the caller under the row lock), and notify."""
    # One INSERT prepared once per connection (bankcore.prepared): events are append-only
    # rows without save() logic, and this is the review queue's hot path.
    prepared.insert(event)
    request.trail_length = event.seq
    request.trail_head_hash = event.hash
    # Channels hear of each state change, and of an escalation or a transfer (the request
    # stays in its state but changes level or mode).
    notified = event.from_state != event.to_state or event.kind in _NOTIFIED_WITHOUT_STATE_CHANGE
    if notified and event.webhook_subscribed is not False:
        _notify_state_change(request, event)


def trail_append(
    *,
    request: AuthorizationRequest,
    kind: str,
    actor: Actor,
    now: datetime,
    from_state: str = "",
    to_state: str = "",
    reason_code: str = "",
    details: dict[str, Any] | None = None,
    previous_at: datetime | None = None,
) -> RequestEvent:
    """Append one event to the request's trail. Call inside the transaction that made the
    change, after the request row is locked (a compare-and-set UPDATE or select_for_update),
    so that events of one request are appended one at a time."""
    event = trail_event_new(
        request=request,
        kind=kind,
        actor=actor,
        now=now,
        from_state=from_state,
        to_state=to_state,
        reason_code=reason_code,
        details=details,
        previous_at=previous_at,
    )
    AuthorizationRequest.objects.filter(pk=request.pk).update(
        trail_length=F("trail_length") + 1, trail_head_hash=event.hash
    )
    trail_event_record(request, event)
    return event


def _notify_state_change(request: AuthorizationRequest, event: RequestEvent) -> None:
    """Channels subscribed to the request hear of each state change (webhooks, sent once
    this transaction commits)."""
    from ..webhooks import webhook_notify_state_change

    webhook_notify_state_change(
        request_reference=request.reference,
        payload={
            "reference": request.reference,
            "event": event.kind,
            "seq": event.seq,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "actor": event.actor_username,
            "occurred_at": event.occurred_at.isoformat(),
            "mode": request.mode,
            "level": request.level,
            "reason_code": event.reason_code,
        },
    )


@dataclass(frozen=True, slots=True)
class TrailProblem:
    reference: str
    seq: int | None
    event_id: int | None
    problem: str  # "edited" | "missing" | "truncated" | "head_mismatch"
    message: str


@dataclass(slots=True)
class TrailReport:
    requests_checked: int = 0
    events_checked: int = 0
    problems: list[TrailProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def trail_verify(*, references: list[str] | None = None, batch_size: int = 500) -> TrailReport:
    """Recompute every request's hash chain (or those of `references`) and report each
    edited event, each missing (deleted) one and each chain whose end was cut off."""
    report = TrailReport()
    requests = AuthorizationRequest.objects.order_by("id").values_list(
        "id", "reference", "trail_length", "trail_head_hash"
    )
    if references:
        requests = requests.filter(reference__in=references)
    last_id = 0
    while True:
        chunk = list(requests.filter(id__gt=last_id)[:batch_size])
        if not chunk:
            break
        last_id = chunk[-1][0]
        by_request: dict[int, list[RequestEvent]] = {pk: [] for pk, *_rest in chunk}
        for event in RequestEvent.objects.filter(request_id__in=by_request).order_by(
            "request_id", "seq"
        ):
            by_request[event.request_id].append(event)
        for pk, reference, length, head in chunk:
            report.requests_checked += 1
            _verify_chain(report, reference, by_request[pk], length, head)
    return report


def _verify_chain(
    report: TrailReport, reference: str, events: list[RequestEvent], length: int, head: str
) -> None:
    expected_seq, prev_hash = 1, ""
    for event in events:
        report.events_checked += 1
        while event.seq > expected_seq:
            report.problems.append(
                TrailProblem(
                    reference,
                    expected_seq,
                    None,
                    "missing",
                    f"{reference} event #{expected_seq} is missing (deleted)",
                )
            )
            expected_seq += 1
            prev_hash = None  # the link to the deleted event cannot be checked
        if event.hash != event_hash(reference=reference, event=event):
            report.problems.append(
                TrailProblem(
                    reference,
                    event.seq,
                    event.pk,
                    "edited",
                    f"{reference} event #{event.seq} (id {event.pk}, {event.kind}) was edited",
                )
            )
        elif prev_hash is not None and event.prev_hash != prev_hash:
            report.problems.append(
                TrailProblem(
                    reference,
                    event.seq,
                    event.pk,
                    "edited",
                    f"{reference} event #{event.seq} (id {event.pk}, {event.kind}) does not "
                    f"follow the event before it",
                )
            )
        prev_hash = event.hash
        expected_seq = event.seq + 1
    if length > expected_seq - 1:
        report.problems.append(
            TrailProblem(
                reference,
                expected_seq,
                None,
                "truncated",
                f"{reference} events #{expected_seq} to #{length} are missing (deleted)",
            )
        )
    elif (
        events
        and head != events[-1].hash
        and not any(p.reference == reference for p in report.problems)
    ):
        report.problems.append(
            TrailProblem(
                reference,
                events[-1].seq,
                events[-1].pk,
                "head_mismatch",
                f"{reference} trail head does not match its last event",
            )
        )
