"""Time limits: requests past their limit are escalated once, then expire."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from ...models import AuthorizationRequest, RequestEventKind, RequestState
from ..trail import SYSTEM, trail_head_remember_read, trail_read_annotations
from .clock import clock
from .transitions import UNCLAIMED, on_final, transition

OPEN = (RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED, RequestState.IN_REVIEW)


def request_escalate(*, reference: str, now: datetime | None = None) -> AuthorizationRequest | None:
    """A request past its time limit: escalated to its escalation level (once; the clock
    starts again), or expired when it has none or was escalated already. Idempotent: a
    request not (or no longer) due is left alone and None returned."""
    now = clock(now)
    with transaction.atomic():
        request = (
            AuthorizationRequest.objects.select_for_update(of=("self",))
            .annotate(**trail_read_annotations())
            .filter(reference=reference, state__in=OPEN, due_at__lte=now)
            .first()
        )
        if request is None:
            return None
        trail_head_remember_read(request)
        due = {"due_at__lte": now}
        if request.escalation_level and request.escalated_at is None:
            level = max(request.level, request.escalation_level)
            transition(
                request,
                kind=RequestEventKind.ESCALATED,
                actor=SYSTEM,
                now=now,
                expected_states=OPEN,
                extra={**due, "escalated_at__isnull": True},
                details={"to_level": level},
                level=level,
                escalated_at=now,
                priority=request.priority + 10,
                due_at=(
                    now + timedelta(minutes=request.time_limit_minutes)
                    if request.time_limit_minutes
                    else None
                ),
            )
        else:
            transition(
                request,
                kind=RequestEventKind.EXPIRED,
                actor=SYSTEM,
                now=now,
                expected_states=OPEN,
                extra=due,
                state=RequestState.EXPIRED,
                **UNCLAIMED,
            )
            on_final(request)
    return request


def requests_due(*, now: datetime, limit: int = 500) -> list[str]:
    """References of open requests past their time limit, oldest deadline first."""
    return list(
        AuthorizationRequest.objects.filter(state__in=OPEN, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("reference", flat=True)[:limit]
    )
