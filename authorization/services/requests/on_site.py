"""On-site authorization: a supervisor decides at the teller's terminal (step-up)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ...models import AuthorizationMode, AuthorizationRequest, RequestState
from ..trail import Actor
from .clock import clock
from .decide import (
    VerdictInput,
    eligible_check,
    request_approve,
    request_reject,
    request_return,
    request_verdicts_record,
)
from .errors import (
    NotAllowed,
    NotEligible,
    RequestStateConflict,
    StepUpFailed,
    StepUpLocked,
    UnknownAction,
)
from .queue import request_claim
from .reads import request_get
from .transitions import request_lock


def request_on_site_decide(
    *,
    reference: str,
    supervisor_username: str,
    supervisor_password: str,
    action: str,
    actor: Actor,
    auth_request,
    verdicts: list[VerdictInput] | None = None,
    reason_code: str = "",
    comment: str = "",
    now: datetime | None = None,
) -> AuthorizationRequest:
    """A supervisor authorizes at the teller's terminal by entering their own credentials.

    `actor` is the teller whose session is used (untouched); `auth_request` is the HTTP
    request, so that django-axes counts failures and locks the supervisor's account out. The
    supervisor becomes the holder and the decider of record; claim, verdicts and the decision
    are one transaction (a refused approval leaves the request queued)."""
    from axes.exceptions import AxesBackendPermissionDenied
    from django.contrib.auth import authenticate

    now = clock(now)
    teller = actor.user
    request = request_get(reference=reference, user=teller)
    if action not in ("approve", "reject", "return"):
        raise UnknownAction(fields={"action": [_("Must be one of: approve, reject, return.")]})
    if supervisor_username == teller.username or supervisor_username == (
        request.submitted_by.username
    ):
        raise NotEligible(
            _("The teller cannot authorize with their own credentials: a supervisor must.")
        )
    try:
        supervisor = authenticate(
            auth_request, username=supervisor_username, password=supervisor_password
        )
    except AxesBackendPermissionDenied:
        raise StepUpLocked() from None
    if getattr(auth_request, "axes_locked_out", False):
        raise StepUpLocked()
    if supervisor is None or not supervisor.is_active:
        raise StepUpFailed()
    if request.mode != AuthorizationMode.ON_SITE:
        raise NotAllowed(_("Only on-site requests are authorized at the teller's terminal."))
    eligible_check(request, supervisor, now)
    supervisor_actor = Actor(
        user=supervisor,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
        terminal=actor.terminal or request.terminal,
    )
    with transaction.atomic():
        request_lock(request)
        if request.state != RequestState.QUEUED:
            raise RequestStateConflict(
                _("The request is not queued (it waits for evidence or was decided).")
            )
        request_claim(request, actor=supervisor_actor, now=now)
        if verdicts:
            request_verdicts_record(
                reference=reference, verdicts=verdicts, actor=supervisor_actor, now=now
            )
        if action == "approve":
            return request_approve(
                reference=reference, actor=supervisor_actor, comment=comment, now=now
            )
        if action == "reject":
            return request_reject(
                reference=reference,
                actor=supervisor_actor,
                reason_code=reason_code,
                comment=comment,
                now=now,
            )
        return request_return(
            reference=reference,
            actor=supervisor_actor,
            reason_code=reason_code,
            comment=comment,
            now=now,
        )
