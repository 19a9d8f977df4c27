"""Transfer of a request to another authorization mode: one request, one trail."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ...models import AuthorizationMode, AuthorizationRequest, RequestEventKind, RequestState
from ..trail import Actor
from .clock import clock
from .errors import AlreadyInMode, NotTheHolder, RequestNotFound, UnknownMode
from .reads import request_get
from .transitions import UNCLAIMED, request_lock, role_for_mode, transition

WAITING = (RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED)


def request_transfer(
    *,
    reference: str,
    mode: str,
    actor: Actor,
    comment: str = "",
    now: datetime | None = None,
) -> AuthorizationRequest:
    """Move the request to another authorization mode, keeping one request and one trail:
    by its holder (in review), by the submitter while no one holds it (e.g. no supervisor on
    site → remote centralized), or by the system on time-out (actor SYSTEM)."""
    now = clock(now)
    if mode not in AuthorizationMode.values:
        raise UnknownMode(
            fields={
                "mode": [
                    _("Unknown mode; known: %(modes)s.")
                    % {"modes": ", ".join(AuthorizationMode.values)}
                ]
            }
        )
    user = actor.user
    if user is None:
        request = AuthorizationRequest.objects.filter(reference=reference).first()
        if request is None:
            raise RequestNotFound()
    else:
        request = request_get(reference=reference, user=user)
    if request.mode == mode:
        raise AlreadyInMode(fields={"mode": [_("The request is already in this mode.")]})
    if user is None:
        expected, extra = (*WAITING, RequestState.IN_REVIEW), {}
    elif request.state == RequestState.IN_REVIEW and request.claimed_by_id == user.pk:
        expected, extra = (RequestState.IN_REVIEW,), {"claimed_by": user}
    elif request.state in WAITING and request.submitted_by_id == user.pk:
        expected, extra = WAITING, {}
    else:
        raise NotTheHolder(_("Only the request's current holder may transfer it."))
    # What was seen is what may change: a request that moved meanwhile is a conflict.
    seen = (request.state,) if request.state in expected else ()
    with transaction.atomic():
        request_lock(request)
        to_queue = request.state == RequestState.IN_REVIEW
        transition(
            request,
            kind=RequestEventKind.TRANSFERRED,
            actor=actor,
            now=now,
            expected_states=seen,
            extra=extra,
            details={"to_mode": mode, **({"comment": comment[:500]} if comment else {})},
            state=RequestState.QUEUED if to_queue else request.state,
            mode=mode,
            authorizer_role=role_for_mode(mode),
            queued_at=now if to_queue else request.queued_at,
            **UNCLAIMED,
        )
    return request
