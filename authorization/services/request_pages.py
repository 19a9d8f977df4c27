"""Writes the tellers' and reviewers' pages make in one step, built on the request services:

- `request_review_conclude`: the verdicts given on the task screen and the decision taken
  with them, in one transaction (a refused approval keeps no verdict either, so the page
  shows the reviewer exactly what they sent, nothing half-written);
- `request_image_attach_checked`: an image measured first; with quality warnings it is not
  attached until the teller says so (they see "looks blurred" before the authorizer does)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AuthorizationRequest
from .requests import (
    InvalidDecisionInput,
    VerdictInput,
    request_approve,
    request_get,
    request_image_attach,
    request_reject,
    request_return,
    request_verdicts_record,
)
from .trail import Actor

REVIEW_ACTIONS = ("save", "approve", "reject", "return")


def request_review_conclude(
    *,
    reference: str,
    verdicts: list[VerdictInput],
    action: str,
    actor: Actor,
    reason_code: str = "",
    comment: str = "",
    now: datetime | None = None,
) -> AuthorizationRequest:
    """Record the holder's `verdicts` (if any) and then `action`: "save" (verdicts only),
    "approve", "reject" or "return" (the last two with a reason code and a comment). Every
    rule of the underlying services holds; any refusal undoes the whole step."""
    now = now or timezone.now()
    if action not in REVIEW_ACTIONS:
        raise InvalidDecisionInput(
            fields={
                "action": [
                    _("Must be one of: %(actions)s.") % {"actions": ", ".join(REVIEW_ACTIONS)}
                ]
            }
        )
    with transaction.atomic():
        if verdicts:
            request_verdicts_record(reference=reference, verdicts=verdicts, actor=actor, now=now)
        if action == "approve":
            return request_approve(reference=reference, actor=actor, comment=comment, now=now)
        if action == "reject":
            return request_reject(
                reference=reference,
                actor=actor,
                reason_code=reason_code,
                comment=comment,
                now=now,
            )
        if action == "return":
            return request_return(
                reference=reference,
                actor=actor,
                reason_code=reason_code,
                comment=comment,
                now=now,
            )
        if not verdicts:
            raise InvalidDecisionInput(fields={"verdicts": [_("Give at least one verdict.")]})
        return request_get(reference=reference, user=actor.user)


def request_image_attach_checked(
    *,
    reference: str,
    image_type_code: str,
    upload,
    actor: Actor,
    accept_warnings: bool = False,
    now: datetime | None = None,
):
    """Attach `upload` to the request unless imaging finds quality problems and the teller
    has not accepted them. Returns (ImageFacts or None, quality warnings as (code, message,
    value)); a file imaging refuses raises InvalidDecisionInput on "file", nothing stored."""
    from imaging import facade as imaging_facade

    if not accept_warnings:
        try:
            warnings = imaging_facade.image_quality_check(
                image_type_code=image_type_code, upload=upload
            )
        except imaging_facade.ImageRefused as refused:
            raise InvalidDecisionInput(
                str(refused.message), fields={"file": [str(refused.message)]}
            ) from None
        if warnings:
            # Checked against the request first, so a wrong type is said before any warning.
            request_get(reference=reference, user=actor.user)
            return None, warnings
    facts = request_image_attach(
        reference=reference, image_type_code=image_type_code, upload=upload, actor=actor, now=now
    )
    return facts, ()
