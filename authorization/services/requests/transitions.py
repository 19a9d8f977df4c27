"""The one way a request changes: read it under its row lock with its trail's head, check,
then `transition` (a compare-and-set UPDATE that also moves the trail's head, and the event's
INSERT). Shared by every service of the package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from bankcore import prepared
from bankcore.prepared import Param
from bankcore.roles import Role, user_has_role
from bankcore.scoping import user_can_see_unit

from ...models import (
    AuthorizationMode,
    AuthorizationRequest,
    AuthorizerRole,
    RequestEventKind,
    RequestState,
)
from ..subjects import subject_apply
from ..trail import (
    SYSTEM,
    Actor,
    trail_event_new,
    trail_event_record,
    trail_head_remember,
    trail_head_remember_read,
    trail_read_annotations,
)
from .errors import RequestNotFound, RequestStateConflict, SubmitterOnly
from .reads import missing_images, user_may_see_request


def lease_seconds() -> int:
    return int(getattr(settings, "AUTHORIZATION_CLAIM_LEASE_SECONDS", 600))


def role_for_mode(mode: str) -> str:
    return (
        AuthorizerRole.REMOTE_AUTHORIZER
        if mode == AuthorizationMode.REMOTE_CENTRALIZED
        else AuthorizerRole.BRANCH_SUPERVISOR
    )


_field = AuthorizationRequest._meta.get_field


def _locked_by(lookup: str):
    """Build the prepared query reading one request by `lookup` under its row lock, with its
    trail's head (and its branch)."""

    def build():
        return (
            AuthorizationRequest.objects.select_for_update(of=("self",))
            .select_related("branch")
            .annotate(**trail_read_annotations())
            .filter(**{lookup: Param(lookup, _field(lookup))})
        )

    return build


def request_lock(request: AuthorizationRequest) -> AuthorizationRequest:
    """Read the request's row again into `request`, locked (PostgreSQL; SQLite's transaction
    is serialized) with its trail's head, in one query: what `transition` needs."""
    [fresh] = prepared.select("request.lock", _locked_by("id"), {"id": request.pk})
    for field in request._meta.concrete_fields:
        value = getattr(fresh, field.attname)
        if (
            field.is_relation
            and field.is_cached(request)
            and getattr(request, field.attname) != value
        ):
            field.delete_cached_value(request)
        setattr(request, field.attname, value)
    trail_head_remember(request, fresh.trail_head_at, fresh.webhook_subscribed)
    return request


def request_for_update(*, reference: str, user) -> AuthorizationRequest:
    """request_get, with the row locked and the trail's head read in the same query: for a
    decision inside its transaction."""
    found = prepared.select("request.for_update", _locked_by("reference"), {"reference": reference})
    request = found[0] if found else None
    if request is None or not user_may_see_request(user=user, request=request):
        raise RequestNotFound()
    trail_head_remember_read(request)
    return request


@dataclass(frozen=True, slots=True)
class Guard:
    """One more condition of a transition's compare-and-set UPDATE, on other tables (e.g. the
    reason code is an active one of the catalogue), so that checking it costs no statement
    of its own: `build()` answers a Q with Params named as in `values`; `name` stands for
    its SQL text. When the UPDATE is refused, the caller finds out which condition failed."""

    name: str
    build: Callable[[], Q]
    values: dict[str, Any]


def _shape(extra: dict[str, Any], guard: Guard | None) -> tuple:
    """What of a transition's condition changes its SQL text: which `extra` lookups (a None
    or isnull value is written into the SQL) and the guard."""
    shape: list[Any] = [
        (lookup, value) if lookup.endswith("__isnull") or value is None else lookup
        for lookup, value in sorted(extra.items())
    ]
    if guard is not None:
        shape.append(("guard", guard.name))
    return tuple(shape)


def _condition(extra: dict[str, Any], guard: Guard | None) -> Q:
    """The compare-and-set condition of a transition (its request, state and trail length,
    `extra` lookups and the guard) with Params: built once per connection and shape."""
    condition = Q(
        pk=Param("id", _field("id")),
        state=Param("state", _field("state")),
        trail_length=Param("trail_length", _field("trail_length")),
    )
    for lookup, value in sorted(extra.items()):
        if lookup.endswith("__isnull") or value is None:
            condition &= Q(**{lookup: value})  # literal: part of the SQL text
        else:
            condition &= Q(**{lookup: Param(lookup, _field(lookup.split("__")[0]))})
    if guard is not None:
        condition &= guard.build()
    return condition


def _cas_update(
    request: AuthorizationRequest,
    *,
    from_state: str,
    trail_length: int,
    extra: dict[str, Any],
    guard: Guard | None,
    changes: dict[str, Any],
) -> int:
    """UPDATE … SET `changes` WHERE the request is still as read (and the guard holds);
    prepared once per set of changed fields and shape of `extra` (bankcore.prepared)."""
    names = tuple(sorted(changes))

    def build():
        return (
            AuthorizationRequest.objects.filter(_condition(extra, guard)),
            {name: Param(f"set_{name}", _field(name), save=True) for name in names},
        )

    values = {f"set_{name}": value for name, value in changes.items()}
    values.update(extra, id=request.pk, state=from_state, trail_length=trail_length)
    if guard is not None:
        values.update(guard.values)
    return prepared.update(("request.transition", names, _shape(extra, guard)), build, values)


def transition(
    request: AuthorizationRequest,
    *,
    kind: str,
    actor: Actor,
    now: datetime,
    expected_states: tuple[str, ...],
    extra: dict[str, Any] | None = None,
    guard: Guard | None = None,
    reason_code: str = "",
    details: dict[str, Any] | None = None,
    **changes: Any,
) -> None:
    """One change of the request and its trail event, in two statements: the compare-and-set
    UPDATE, which also moves the trail's head to the new event (refused, RequestStateConflict,
    if the state is not one of `expected_states`, the `extra` lookups no longer match, the
    `guard` does not hold or the trail moved since `request` was read), and the event's
    INSERT. The event goes from the
    state read to `changes`' state (the same when the state stays).

    `request` is read in this transaction under its row lock (claim next's SKIP LOCKED query,
    request_lock, request_for_update); `changes` are plain values, set on `request` too."""
    from_state = request.state
    if from_state not in expected_states:
        raise RequestStateConflict()
    previous = {name: getattr(request, name) for name in changes}
    for name, value in changes.items():
        setattr(request, name, value)
    trail_event = trail_event_new(
        request=request,
        kind=kind,
        actor=actor,
        now=now,
        from_state=from_state,
        to_state=request.state,
        reason_code=reason_code,
        details=details,
    )
    updated = _cas_update(
        request,
        from_state=from_state,
        trail_length=trail_event.seq - 1,
        extra=extra or {},
        guard=guard,
        changes={
            **changes,
            "updated_at": now,
            "trail_length": trail_event.seq,
            "trail_head_hash": trail_event.hash,
        },
    )
    if updated != 1:
        for name, value in previous.items():
            setattr(request, name, value)
        raise RequestStateConflict()
    request.updated_at = now
    trail_event_record(request, trail_event)
    # Still under the row lock: the next event of this transaction chains onto this one.
    trail_head_remember(request, now, trail_event.webhook_subscribed)


UNCLAIMED = {"claimed_by": None, "claimed_at": None, "lease_expires_at": None}


def lease_expire(request: AuthorizationRequest, *, now: datetime) -> None:
    """The holder of `request` (read under its lock) went silent past the lease: the request
    returns to the queue, recorded."""
    holder = request.claimed_by
    transition(
        request,
        kind=RequestEventKind.LEASE_EXPIRED,
        actor=SYSTEM,
        now=now,
        expected_states=(RequestState.IN_REVIEW,),
        extra={"claimed_by": holder, "lease_expires_at__lt": now},
        details={"holder": holder.username if holder else ""},
        state=RequestState.QUEUED,
        **UNCLAIMED,
    )


def require_participant_may_submit(user, request: AuthorizationRequest) -> None:
    """The submitter, or a channel system (integrator) acting for the branch."""
    if user.pk == request.submitted_by_id:
        return
    if user_has_role(user, Role.INTEGRATOR) and user_can_see_unit(user, request.branch):
        return
    raise SubmitterOnly(_("Only the submitter (or the channel acting for them) may do this."))


def queue_state_of(request: AuthorizationRequest) -> str:
    """Where a (re)submitted request goes: waiting for evidence while required images are
    missing, else the queue."""
    return (
        RequestState.WAITING_FOR_EVIDENCE
        if missing_images(request=request)
        else RequestState.QUEUED
    )


def on_final(request: AuthorizationRequest) -> None:
    """The final decision's effect on what the request acts on (a pending account, a
    customer change), inside the deciding transaction."""
    subject_apply(request=request)
