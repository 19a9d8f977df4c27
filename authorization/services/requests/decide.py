"""Review and decisions by the request's holder: verdicts on review points, approve (the
evidence gate; dual approval), reject and return with a reason from the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, Q, QuerySet
from django.utils.translation import gettext as _

from bankcore.prepared import Param

from ...models import (
    AuthorizationMode,
    AuthorizationRequest,
    ReasonCode,
    RequestEventKind,
    RequestState,
    ReviewVerdict,
)
from ..eligibility import authorizer_scope, eligibility_problem
from ..trail import Actor
from .clock import clock
from .errors import (
    CommentRequired,
    EvidenceIncomplete,
    InvalidVerdicts,
    MandatoryPointFailed,
    NotEligible,
    RequestStateConflict,
    UnknownReasonCode,
)
from .reads import missing_images, request_get, verdicts_of
from .transitions import (
    UNCLAIMED,
    Guard,
    on_final,
    request_for_update,
    request_lock,
    transition,
)


@dataclass(frozen=True, slots=True)
class VerdictInput:
    review_point: str
    passed: bool
    comment: str = ""


def held_by(request: AuthorizationRequest, user) -> None:
    """Only the holder may review and decide (the submitter is told why not: four-eyes)."""
    if request.state != RequestState.IN_REVIEW or request.claimed_by_id != user.pk:
        if request.submitted_by_id == user.pk:
            raise NotEligible(
                _("You submitted this request: someone else must decide it (four-eyes).")
            )
        raise RequestStateConflict(
            _("Claim the request first: only its holder may review and decide it.")
        )


def eligible_check(request: AuthorizationRequest, user, now: datetime) -> None:
    problem = eligibility_problem(
        authorizer_scope(user=user, now=now),
        request,
        on_site=request.mode == AuthorizationMode.ON_SITE,
    )
    if problem:
        raise NotEligible(problem)


def _usable_reason_codes(kind) -> QuerySet:
    """The reason codes a decision of `kind` may give: the catalogue's active ones of that kind
    (said once, for the guard and for the check below)."""
    return ReasonCode.objects.filter(kind=kind, is_active=True)


def _active_reason_code() -> Q:
    """The decision's reason code is an active one of the catalogue for its kind: a guard of
    the decision's compare-and-set UPDATE (no statement of its own)."""
    field = ReasonCode._meta.get_field
    return Q(
        Exists(
            _usable_reason_codes(Param("reason_kind", field("kind"))).filter(
                code=Param("reason_code", field("code"))
            )
        )
    )


def _reason_code_check(*, code: str, kind: str) -> None:
    """UnknownReasonCode unless the code is an active one of the catalogue for `kind`: why a
    decision was refused (its UPDATE's guard did not hold, or it had no comment either)."""
    usable = _usable_reason_codes(kind)
    if usable.filter(code=code).exists():
        return
    known = ", ".join(usable.order_by("position", "code").values_list("code", flat=True))
    raise UnknownReasonCode(
        fields={"reason_code": [_("Unknown reason code; known: %(codes)s.") % {"codes": known}]},
    )


def request_verdicts_record(
    *,
    reference: str,
    verdicts: list[VerdictInput],
    actor: Actor,
    now: datetime | None = None,
) -> AuthorizationRequest:
    """The holder records pass/fail (a failure needs a comment) on review points of the
    request's scene; a later verdict on the same point replaces the earlier one."""
    now = clock(now)
    request = request_get(reference=reference, user=actor.user)
    held_by(request, actor.user)
    points = {point["code"]: point for point in request.decision.get("review_points", [])}
    errors: dict[str, list[str]] = {}
    for index, verdict in enumerate(verdicts):
        if verdict.review_point not in points:
            errors[f"verdicts[{index}].review_point"] = [
                _("Not a review point of this request; known: %(codes)s.")
                % {"codes": ", ".join(points) or "-"}
            ]
        elif not verdict.passed and not verdict.comment.strip():
            errors[f"verdicts[{index}].comment"] = [_("A failed point needs a comment.")]
    if not verdicts:
        errors["verdicts"] = [_("Give at least one verdict.")]
    if errors:
        raise InvalidVerdicts(fields=errors)
    with transaction.atomic():
        request_lock(request)
        held_by(request, actor.user)
        for verdict in verdicts:
            ReviewVerdict.objects.update_or_create(
                request=request,
                round=request.round,
                recorded_by=actor.user,
                review_point_code=verdict.review_point,
                defaults={
                    "passed": verdict.passed,
                    "comment": verdict.comment.strip()[:500],
                    "recorded_at": now,
                },
            )
        transition(
            request,
            kind=RequestEventKind.VERDICTS_RECORDED,
            actor=actor,
            now=now,
            expected_states=(RequestState.IN_REVIEW,),
            extra={"claimed_by": actor.user},
            details={
                "verdicts": [
                    {
                        "point": v.review_point,
                        "passed": v.passed,
                        "comment": v.comment.strip()[:500],
                    }
                    for v in verdicts
                ]
            },
        )
    return request


def approval_gate(*, request: AuthorizationRequest, user) -> dict[str, list[str]]:
    """What still stands between `user` and approving: missing images, mandatory review
    points without `user`'s verdict, and failed mandatory points."""
    missing = missing_images(request=request)
    verdicts = verdicts_of(request=request, user=user)
    mandatory = [p for p in request.decision.get("review_points", []) if p["mandatory"]]
    gate: dict[str, list[str]] = {}
    if missing:
        gate["images"] = [
            _("%(name)s (%(code)s): %(ready)d of %(min)d ready")
            % {"name": m["name"], "code": m["code"], "ready": m["ready"], "min": m["min_count"]}
            for m in missing
        ]
    unanswered = [p for p in mandatory if p["code"] not in verdicts]
    if unanswered:
        gate["review_points"] = [f"{p['code']}: {p['text']}" for p in unanswered]
    failed = [p for p in mandatory if p["code"] in verdicts and not verdicts[p["code"]].passed]
    if failed:
        gate["failed_review_points"] = [f"{p['code']}: {p['text']}" for p in failed]
    return gate


def request_approve(
    *, reference: str, actor: Actor, comment: str = "", now: datetime | None = None
) -> AuthorizationRequest:
    """The holder approves. Refused (409, naming what is missing) until every required image
    type has its minimum of ready images and the holder has a verdict on every mandatory
    review point; a failed mandatory point allows only reject or return. A dual request's
    first approval sends it back to the queue for a second, different authorizer."""
    now = clock(now)
    with transaction.atomic():
        request = request_for_update(reference=reference, user=actor.user)
        held_by(request, actor.user)
        eligible_check(request, actor.user, now)
        gate = approval_gate(request=request, user=actor.user)
        if "failed_review_points" in gate:
            raise MandatoryPointFailed(fields={"review_points": gate["failed_review_points"]})
        if gate:
            parts = []
            if "images" in gate:
                parts.append(_("images missing: %(list)s") % {"list": "; ".join(gate["images"])})
            if "review_points" in gate:
                parts.append(
                    _("mandatory review points without a verdict: %(list)s")
                    % {"list": "; ".join(gate["review_points"])}
                )
            raise EvidenceIncomplete(
                _("The request cannot be approved yet: %(what)s.") % {"what": "; ".join(parts)},
                fields=gate,
            )
        if request.is_dual and request.first_approver_id is None:
            kind = RequestEventKind.FIRST_APPROVED
            changes: dict[str, Any] = {
                "state": RequestState.QUEUED,
                "first_approver": actor.user,
                "first_approved_at": now,
                **UNCLAIMED,
            }
        else:
            kind = RequestEventKind.APPROVED
            changes = {
                "state": RequestState.APPROVED,
                "decided_by": actor.user,
                "decided_at": now,
                "decision_comment": comment[:500],
            }
        transition(
            request,
            kind=kind,
            actor=actor,
            now=now,
            expected_states=(RequestState.IN_REVIEW,),
            extra={"claimed_by": actor.user},
            details={"comment": comment[:500]} if comment else {},
            **changes,
        )
        if request.state == RequestState.APPROVED:
            on_final(request)
    return request


def _decide_negative(
    *,
    reference: str,
    actor: Actor,
    reason_code: str,
    comment: str,
    kind: str,
    now: datetime | None,
) -> AuthorizationRequest:
    now = clock(now)
    returning = kind == "return"
    with transaction.atomic():
        request = request_for_update(reference=reference, user=actor.user)
        held_by(request, actor.user)
        eligible_check(request, actor.user, now)
        if not comment.strip():
            _reason_code_check(code=reason_code, kind=kind)  # an unknown code is named first
            raise CommentRequired(fields={"comment": [_("Say why, for the teller.")]})
        if returning:
            changes: dict[str, Any] = {"state": RequestState.RETURNED, **UNCLAIMED}
        else:
            changes = {"state": RequestState.REJECTED, "decided_by": actor.user, "decided_at": now}
        try:
            transition(
                request,
                kind=RequestEventKind.RETURNED if returning else RequestEventKind.REJECTED,
                actor=actor,
                now=now,
                expected_states=(RequestState.IN_REVIEW,),
                extra={"claimed_by": actor.user},
                guard=Guard(
                    "reason_code.active",
                    _active_reason_code,
                    {"reason_code": reason_code, "reason_kind": kind},
                ),
                reason_code=reason_code,
                details={"comment": comment.strip()[:500]},
                decision_reason_code=reason_code,
                decision_comment=comment.strip()[:500],
                **changes,
            )
        except RequestStateConflict:
            _reason_code_check(code=reason_code, kind=kind)  # refused for its reason code?
            raise
        if not returning:
            on_final(request)
    return request


def request_reject(
    *, reference: str, actor: Actor, reason_code: str, comment: str, now: datetime | None = None
) -> AuthorizationRequest:
    """The holder rejects, with a reason from the catalogue (kind "reject") and a comment."""
    return _decide_negative(
        reference=reference,
        actor=actor,
        reason_code=reason_code,
        comment=comment,
        kind="reject",
        now=now,
    )


def request_return(
    *, reference: str, actor: Actor, reason_code: str, comment: str, now: datetime | None = None
) -> AuthorizationRequest:
    """The holder returns the request to the teller for supplement, with a reason from the
    catalogue (kind "return") and a comment."""
    return _decide_negative(
        reference=reference,
        actor=actor,
        reason_code=reason_code,
        comment=comment,
        kind="return",
        now=now,
    )
