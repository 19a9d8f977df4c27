"""The review queue: claim next (with a lease), release, leases running out."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from bankcore import prepared

from ...models import AuthorizationRequest, RequestEventKind, RequestState
from ..eligibility import (
    AuthorizerScope,
    authorizer_scope,
    claimable_q,
    scope_shape,
    scope_values,
)
from ..trail import Actor, trail_head_remember_read, trail_read_annotations
from .clock import clock
from .errors import NotAllowed, RequestStateConflict
from .reads import request_get
from .transitions import UNCLAIMED, lease_expire, lease_seconds, request_lock, transition


def _claim_candidate(scope: AuthorizerScope, now: datetime) -> AuthorizationRequest | None:
    """The highest-priority, oldest request open to `scope`, locked (PostgreSQL: SKIP LOCKED,
    so concurrent authorizers pass each other's rows by) with its trail's head. One
    statement, prepared once per connection and scope shape (bankcore.prepared)."""

    def build():
        return (
            AuthorizationRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .annotate(**trail_read_annotations())
            .filter(claimable_q(scope, None, params=True))
            .order_by("-priority", "queued_at", "id")[:1]
        )

    found = prepared.select(
        ("claim_next", scope_shape(scope)), build, {**scope_values(scope), "now": now}
    )
    return found[0] if found else None


def request_claim_next(*, actor: Actor, now: datetime | None = None) -> AuthorizationRequest | None:
    """Give `actor` the highest-priority, oldest request they may decide, claimed with a lease
    (AUTHORIZATION_CLAIM_LEASE_SECONDS). None when nothing is waiting for them.

    PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so concurrent authorizers each get a
    different request without waiting for each other; SQLite: the transaction is serialized
    (IMMEDIATE). Either way the claim itself is a compare-and-set."""
    now = clock(now)
    scope = authorizer_scope(user=actor.user, now=now)
    if scope.delegated_away:
        return None  # a substitute receives them meanwhile
    if not scope.can_review:
        raise NotAllowed(_("You receive no authorization requests."))
    for _attempt in range(5):
        with transaction.atomic():
            candidate = _claim_candidate(scope, now)
            if candidate is None:
                return None
            trail_head_remember_read(candidate)
            try:
                request_claim(candidate, actor=actor, now=now)
            except RequestStateConflict:
                continue
            return candidate
    return None


def request_claim(request: AuthorizationRequest, *, actor: Actor, now: datetime) -> None:
    """Claim `request`, read under its row lock in this transaction (claim next; the on-site
    step-up)."""
    if request.state == RequestState.IN_REVIEW:
        lease_expire(request, now=now)
    transition(
        request,
        kind=RequestEventKind.CLAIMED,
        actor=actor,
        now=now,
        expected_states=(RequestState.QUEUED,),
        state=RequestState.IN_REVIEW,
        claimed_by=actor.user,
        claimed_at=now,
        lease_expires_at=now + timedelta(seconds=lease_seconds()),
    )


def request_release(
    *, reference: str, actor: Actor, now: datetime | None = None
) -> AuthorizationRequest:
    """The holder gives the request back to the queue."""
    now = clock(now)
    request = request_get(reference=reference, user=actor.user)
    with transaction.atomic():
        request_lock(request)
        transition(
            request,
            kind=RequestEventKind.RELEASED,
            actor=actor,
            now=now,
            expected_states=(RequestState.IN_REVIEW,),
            extra={"claimed_by": actor.user},
            state=RequestState.QUEUED,
            **UNCLAIMED,
        )
    return request


def requests_leases_expire(*, now: datetime | None = None) -> int:
    """Return requests whose claim lease ran out to the queue (for the queue's display; claim
    next takes them anyway). Returns how many."""
    now = clock(now)
    count = 0
    for request in AuthorizationRequest.objects.filter(
        state=RequestState.IN_REVIEW, lease_expires_at__lt=now
    ).select_related("claimed_by"):
        try:
            with transaction.atomic():
                request_lock(request)
                lease_expire(request, now=now)
            count += 1
        except RequestStateConflict:
            continue
    return count
