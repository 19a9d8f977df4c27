"""The submitter's side after submitting: cancel before a claim, resubmit after a return."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ...models import AuthorizationRequest, RequestEventKind, RequestState
from ..evaluation import TransactionInput
from ..trail import Actor
from .clock import clock
from .errors import InvalidSubmission, RequestStateConflict
from .reads import request_get
from .submit import amount_of, decide_again
from .transitions import (
    on_final,
    queue_state_of,
    request_lock,
    require_participant_may_submit,
    role_for_mode,
    transition,
)

CANCELLABLE = (RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED, RequestState.RETURNED)


def request_cancel(
    *, reference: str, actor: Actor, comment: str = "", now: datetime | None = None
) -> AuthorizationRequest:
    """The submitter withdraws the request before anyone claimed it."""
    now = clock(now)
    request = request_get(reference=reference, user=actor.user)
    require_participant_may_submit(actor.user, request)
    if request.state not in CANCELLABLE:
        raise RequestStateConflict(_("Only a request nobody has claimed can be cancelled."))
    with transaction.atomic():
        request_lock(request)
        transition(
            request,
            kind=RequestEventKind.CANCELLED,
            actor=actor,
            now=now,
            expected_states=CANCELLABLE,
            extra={"claimed_by__isnull": True},
            details={"comment": comment[:500]} if comment else {},
            state=RequestState.CANCELLED,
        )
        on_final(request)
    return request


def _corrections(
    request: AuthorizationRequest, corrected_elements: dict[str, Any], now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the request's new fields, {element: {old, new}}) for corrected elements, decided
    again under the request's rule-set version."""
    elements = {**request.elements, **corrected_elements}
    element_changes = {
        name: {"old": request.elements.get(name), "new": value}
        for name, value in corrected_elements.items()
        if request.elements.get(name) != value
    }
    decision, parsed, snapshot = decide_again(
        version_id=request.version_id,
        transaction=TransactionInput(
            transaction_code=request.transaction_code,
            channel=request.channel,
            elements=elements,
            branch_code=request.branch.code,
            teller=request.submitted_by.username,
        ),
        now=now,
    )
    if decision.refused:
        raise InvalidSubmission(
            _("The corrected transaction is not allowed at all (refused)."),
            fields={"elements": [_("The decision refused the corrected transaction.")]},
        )
    amount, currency = amount_of(parsed)
    updates: dict[str, Any] = {"elements": elements, "amount": amount, "currency": currency}
    if decision.required:
        updates.update(
            decision=snapshot,
            reason_codes=sorted({r.reason_code for r in decision.reasons}),
            scene_code=decision.scene.code if decision.scene else "",
            mode=decision.mode,
            authorizer_role=decision.authorizer_role or role_for_mode(decision.mode),
            # Never lower than the request already was (an escalation stays).
            level=max(decision.level or 1, request.level),
            authorizers_required=max(
                decision.authorizers_required or 1, request.authorizers_required
            ),
        )
    return updates, element_changes


def request_resubmit(
    *,
    reference: str,
    actor: Actor,
    comment: str = "",
    corrected_elements: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuthorizationRequest:
    """The submitter resubmits a returned request after supplementing it (more images through
    request_image_attach, corrected elements here). Corrected elements are decided again
    under the request's rule-set version and the request takes the new requirements; the
    approvals start over (a new round)."""
    now = clock(now)
    request = request_get(reference=reference, user=actor.user)
    require_participant_may_submit(actor.user, request)
    if request.state != RequestState.RETURNED:
        raise RequestStateConflict(_("Only a returned request can be resubmitted."))
    updates, element_changes = (
        _corrections(request, corrected_elements, now) if corrected_elements else ({}, {})
    )
    returned = (RequestState.RETURNED,)
    with transaction.atomic():
        request_lock(request)
        if element_changes:
            transition(
                request,
                kind=RequestEventKind.SUPPLEMENTED,
                actor=actor,
                now=now,
                expected_states=returned,
                details={"elements": element_changes},
                **updates,
            )
        transition(
            request,
            kind=RequestEventKind.RESUBMITTED,
            actor=actor,
            now=now,
            expected_states=returned,
            details={"comment": comment[:500]} if comment else {},
            state=queue_state_of(request),
            round=request.round + 1,
            first_approver=None,
            first_approved_at=None,
            decision_reason_code="",
            decision_comment="",
            queued_at=now,
        )
    return request
