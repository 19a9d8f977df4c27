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

from django.db.models import F

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
    head = (
        RequestEvent.objects.filter(request=request)
        .order_by("-seq")
        .values_list("seq", "hash", "occurred_at")
        .first()
    )
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
    event.save(force_insert=True)
    AuthorizationRequest.objects.filter(pk=request.pk).update(
        trail_length=F("trail_length") + 1, trail_head_hash=event.hash
    )
    request.trail_length = seq
    request.trail_head_hash = event.hash
    # Channels hear of each state change, and of an escalation or a transfer (the request
    # stays in its state but changes level or mode).
    if from_state != to_state or kind in _NOTIFIED_WITHOUT_STATE_CHANGE:
        _notify_state_change(request, event)
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
