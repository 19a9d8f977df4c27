"""Authorization requests: one service per transition of the state machine.

    submit ──► waiting_for_evidence ──(required images ready)──► queued ◄──────────┐
                      │                                          │  ▲             │
                      └──────────────► queued ◄──── resubmit ────┼──┼── returned  │
                                                                 ▼  │  (release,│
                                     claim next / step-up ──► in_review  lease,   │
                                                                 │     transfer)  │
          approve (dual, first) ─────────────────────────────────┼────────────────┘
          approve ─► approved   reject ─► rejected   return ─► returned
    cancel (submitter, before a claim) ─► cancelled     time-out without escalation ─► expired

Every transition is a conditional UPDATE … WHERE state = <expected> (compare-and-set): of two
concurrent decisions on one request one wins and the other gets RequestStateConflict (409)
and changes nothing. Each writes its trail event in the same transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status

from bankcore.errors import Conflict, DomainError, NotFound
from bankcore.models import OrgUnit
from bankcore.roles import Role, user_has_role
from bankcore.scoping import scope_queryset, user_can_see_unit

from ..models import (
    AuthorizationMode,
    AuthorizationRequest,
    AuthorizerRole,
    EvaluatedTransaction,
    ReasonCode,
    RequestEventKind,
    RequestState,
    ReviewVerdict,
)
from ..rules.compiler import Decision
from ..selectors import rule_set_compiled
from .decisions import decision_as_dict
from .eligibility import (
    AuthorizerScope,
    authorizer_scope,
    eligibility_problem,
    scope_q,
)
from .evaluation import TransactionInput, facts_gather, transaction_parse
from .subjects import (
    CUSTOMER_CHANGE_TRANSACTIONS,
    customer_change_prepare,
    subject_apply,
    subject_of_evaluation,
)
from .trail import (
    SYSTEM,
    Actor,
    trail_append,
    trail_event_new,
    trail_event_record,
    trail_head_remember,
    trail_head_remember_read,
    trail_read_annotations,
)

# --- Errors ------------------------------------------------------------------------------------


class RequestNotFound(NotFound):
    code = "request_not_found"
    default_message = gettext_lazy("No authorization request has this reference.")


class EvaluationNotFound(NotFound):
    code = "evaluation_not_found"
    default_message = gettext_lazy("No evaluated transaction has this reference.")


class InvalidSubmission(DomainError):
    code = "invalid_submission"
    default_message = gettext_lazy("This transaction cannot be submitted for authorization.")


class AlreadySubmitted(Conflict):
    code = "already_submitted"
    default_message = gettext_lazy("This evaluated transaction has already been submitted.")


class EvaluationOutdated(Conflict):
    code = "evaluation_outdated"
    default_message = gettext_lazy(
        "The facts behind this evaluation have changed: evaluate the transaction again."
    )


class RequestStateConflict(Conflict):
    code = "state_conflict"
    default_message = gettext_lazy(
        "The request has changed meanwhile (someone else acted first); nothing was done."
    )


class EvidenceIncomplete(Conflict):
    code = "evidence_incomplete"
    default_message = gettext_lazy("The request cannot be approved yet.")


class MandatoryPointFailed(Conflict):
    code = "mandatory_point_failed"
    default_message = gettext_lazy(
        "A mandatory review point failed: the request can only be rejected or returned."
    )


class NotEligible(DomainError):
    code = "not_eligible"
    http_status = status.HTTP_403_FORBIDDEN
    default_message = gettext_lazy("You may not decide this request.")


class NotAllowed(DomainError):
    code = "not_allowed"
    http_status = status.HTTP_403_FORBIDDEN
    default_message = gettext_lazy("You may not do this with this request.")


class InvalidDecisionInput(DomainError):
    code = "invalid"
    default_message = gettext_lazy("Some fields are invalid.")


class StepUpFailed(DomainError):
    code = "step_up_failed"
    http_status = status.HTTP_403_FORBIDDEN
    default_message = gettext_lazy("The supervisor's username or password is wrong.")


class StepUpLocked(DomainError):
    code = "locked_out"
    http_status = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = gettext_lazy(
        "Too many failed logins: the supervisor's account is locked for now."
    )


# --- Reads used by the services and the API -------------------------------------------------


def requests_visible_to(user):
    """The requests `user` may see: their branch subtree's (bank-wide roles: all), and any
    they claimed or decided."""
    qs = AuthorizationRequest.objects.all()
    scoped = scope_queryset(qs, user, unit_field="branch")
    if not user.is_authenticated:
        return scoped
    return qs.filter(
        Q(pk__in=scoped.values("pk"))
        | Q(claimed_by=user)
        | Q(first_approver=user)
        | Q(decided_by=user)
    )


def request_get(*, reference: str, user) -> AuthorizationRequest:
    """The request, if `user` may see it (otherwise RequestNotFound: no existence leak)."""
    request = (
        AuthorizationRequest.objects.select_related(
            "branch", "submitted_by", "claimed_by", "first_approver", "decided_by"
        )
        .filter(reference=reference)
        .first()
    )
    if request is None or not user_may_see_request(user=user, request=request):
        raise RequestNotFound()
    return request


def user_may_see_request(*, user, request: AuthorizationRequest) -> bool:
    if not user.is_authenticated:
        return False
    if user_can_see_unit(user, request.branch):
        return True
    if user.pk in (request.claimed_by_id, request.first_approver_id, request.decided_by_id):
        return True
    # A branch supervisor of the parent unit, or a substitute: whoever may decide it.
    scope = authorizer_scope(user=user, now=timezone.now())
    return eligibility_problem(scope, request, on_site=request.mode == "on_site") is None


def missing_images(*, request: AuthorizationRequest) -> list[dict[str, Any]]:
    """Required image types with fewer ready images than their minimum count."""
    from imaging import selectors as imaging_selectors

    required = request.decision.get("required_image_types", [])
    if not required:
        return []
    counts = imaging_selectors.ready_image_counts(owner_ref=request.owner_ref)
    return [
        {
            "code": image["code"],
            "name": image["name"],
            "min_count": image["min_count"],
            "ready": counts.get(image["code"], 0),
        }
        for image in required
        if counts.get(image["code"], 0) < image["min_count"]
    ]


def verdicts_of(*, request: AuthorizationRequest, user) -> dict[str, ReviewVerdict]:
    """`user`'s verdicts on the request's review points in the current round."""
    return {
        verdict.review_point_code: verdict
        for verdict in ReviewVerdict.objects.filter(
            request=request, round=request.round, recorded_by=user
        )
    }


# --- Helpers -----------------------------------------------------------------------------------


def _new_reference() -> str:
    return "AR" + secrets.token_hex(7).upper()


def _lease_seconds() -> int:
    return int(getattr(settings, "AUTHORIZATION_CLAIM_LEASE_SECONDS", 600))


def _decide(
    *, version_id: int, transaction: TransactionInput, now: datetime
) -> tuple[Decision, dict[str, Any]]:
    """Decide `transaction` again under the rule-set version that evaluated it."""
    rule_set = rule_set_compiled(version_id=version_id)
    elements = transaction_parse(rule_set=rule_set, transaction=transaction)
    facts = facts_gather(rule_set=rule_set, transaction=transaction, elements=elements, now=now)
    return rule_set.decide(transaction.transaction_code, transaction.channel, facts), elements


def _amount_of(elements: dict[str, Any]) -> tuple[Any, str]:
    """The transaction's amount (the first money element, "amount" preferred)."""
    candidates = sorted(elements.items(), key=lambda item: item[0] != "amount")
    for _name, value in candidates:
        if hasattr(value, "currency") and hasattr(value, "amount"):
            return value.amount, value.currency
    return None, ""


def _role_for_mode(mode: str) -> str:
    return (
        AuthorizerRole.REMOTE_AUTHORIZER
        if mode == AuthorizationMode.REMOTE_CENTRALIZED
        else AuthorizerRole.BRANCH_SUPERVISOR
    )


def _reload(request: AuthorizationRequest, *, lock: bool = False) -> AuthorizationRequest:
    """Read the request's row again into `request` (locked with `lock`), with its trail's
    head, in one query."""
    rows = AuthorizationRequest.objects.annotate(**trail_read_annotations())
    if lock:
        rows = rows.select_for_update(of=("self",))
    fresh = rows.get(pk=request.pk)
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


def _cas(
    request: AuthorizationRequest,
    *,
    expected_states: tuple[str, ...],
    now: datetime,
    extra: Q | None = None,
    **changes: Any,
) -> None:
    """Compare-and-set: apply `changes` only if the request is still in one of
    `expected_states` (and matches `extra`); otherwise RequestStateConflict. The row is
    read again afterwards (expressions such as F("round") + 1 among the changes)."""
    condition = Q(pk=request.pk, state__in=expected_states)
    if extra is not None:
        condition &= extra
    updated = AuthorizationRequest.objects.filter(condition).update(updated_at=now, **changes)
    if updated != 1:
        raise RequestStateConflict()
    _reload(request)


def _transition(
    request: AuthorizationRequest,
    *,
    expected_states: tuple[str, ...],
    now: datetime,
    extra: Q | None = None,
    event: dict[str, Any],
    **changes: Any,
) -> None:
    """One state change and its trail event, in two statements: the compare-and-set UPDATE,
    which also moves the trail's head to the new event (so it is refused, RequestStateConflict,
    if the state, `extra` or the trail changed since `request` was read), and the event's
    INSERT. `request` is read in this transaction, normally under its row lock (claim
    next's SKIP LOCKED query, _lock, _request_for_update); `changes` are plain values, and
    are set on `request` as well. `event`: trail_event_new's arguments but the request."""
    if request.state not in expected_states:
        raise RequestStateConflict()
    previous = {name: getattr(request, name) for name in changes}
    for name, value in changes.items():
        setattr(request, name, value)
    trail_event = trail_event_new(request=request, now=now, **event)
    condition = Q(pk=request.pk, state__in=expected_states, trail_length=trail_event.seq - 1)
    if extra is not None:
        condition &= extra
    updated = AuthorizationRequest.objects.filter(condition).update(
        updated_at=now,
        trail_length=trail_event.seq,
        trail_head_hash=trail_event.hash,
        **changes,
    )
    if updated != 1:
        for name, value in previous.items():
            setattr(request, name, value)
        raise RequestStateConflict()
    request.updated_at = now
    trail_event_record(request, trail_event)
    # Still under the row lock: the next event of this transaction chains onto this one.
    trail_head_remember(request, now, trail_event.webhook_subscribed)


def _lock(request: AuthorizationRequest) -> AuthorizationRequest:
    """Lock the row (PostgreSQL) so that events of one request are appended one at a time,
    and read it again."""
    return _reload(request, lock=True)


def _request_for_update(*, reference: str, user) -> AuthorizationRequest:
    """request_get, with the row locked (PostgreSQL; SQLite's transaction is serialized) and
    the trail's head read in the same query: for a decision inside its transaction."""
    request = (
        AuthorizationRequest.objects.select_for_update(of=("self",))
        .select_related("branch")
        .annotate(**trail_read_annotations())
        .filter(reference=reference)
        .first()
    )
    if request is None or not user_may_see_request(user=user, request=request):
        raise RequestNotFound()
    trail_head_remember_read(request)
    return request


def _require_participant_may_submit(user, request: AuthorizationRequest) -> None:
    """The submitter, or a channel system (integrator) acting for the branch."""
    if user.pk == request.submitted_by_id:
        return
    if user_has_role(user, Role.INTEGRATOR) and user_can_see_unit(user, request.branch):
        return
    raise NotAllowed(_("Only the submitter (or the channel acting for them) may do this."))


def _reason_code_check(*, code: str, kind: str) -> ReasonCode:
    reason = ReasonCode.objects.filter(code=code, kind=kind, is_active=True).first()
    if reason is None:
        known = ", ".join(
            ReasonCode.objects.filter(kind=kind, is_active=True)
            .order_by("position", "code")
            .values_list("code", flat=True)
        )
        raise InvalidDecisionInput(
            _("Unknown reason code."),
            fields={
                "reason_code": [_("Unknown reason code; known: %(codes)s.") % {"codes": known}]
            },
        )
    return reason


def _to_queue_state(request: AuthorizationRequest) -> str:
    return (
        RequestState.WAITING_FOR_EVIDENCE
        if missing_images(request=request)
        else (RequestState.QUEUED)
    )


# --- Submit ------------------------------------------------------------------------------------


def request_submit(
    *,
    evaluation_reference,
    actor: Actor,
    teller_username: str = "",
    customer_changes: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuthorizationRequest:
    """Submit an evaluated transaction for authorization.

    The submitter is the authenticated person; a channel system (integrator) names the
    teller, who must exist, be active and belong to the transaction's branch. The decision is
    worked out again under the version that evaluated it and must be the same (otherwise
    EvaluationOutdated); a refused or not-required decision cannot become a request. The
    request waits for evidence when required images are missing, else it is queued.

    A customer-information change names the new values (`customer_changes`); the request
    keeps each field's old and new value and applies them once approved. An account opening
    waiting for authorization is found from the evaluation and activated once approved."""
    now = now or timezone.now()
    user = actor.user
    evaluated = EvaluatedTransaction.objects.filter(reference=evaluation_reference).first()
    if evaluated is None:
        raise EvaluationNotFound(fields={"evaluation_reference": [_("Unknown reference.")]})
    if evaluated.refused:
        raise InvalidSubmission(
            _("This transaction is not allowed at all (refused): it cannot be authorized."),
            fields={"evaluation_reference": [_("The decision refused the transaction.")]},
        )
    if not evaluated.required:
        raise InvalidSubmission(
            _("This transaction needs no authorization."),
            fields={"evaluation_reference": [_("The decision needs no authorization.")]},
        )
    submitter = _submitter(user=user, evaluated=evaluated, teller_username=teller_username)
    branch = _branch_of(evaluated=evaluated, submitter=submitter)
    transaction_input = TransactionInput(
        transaction_code=evaluated.transaction_code,
        channel=evaluated.channel,
        elements=evaluated.elements,
        branch_code=evaluated.branch_code,
        teller=evaluated.teller,
    )
    decision, elements = _decide(
        version_id=evaluated.version_id, transaction=transaction_input, now=evaluated.evaluated_at
    )
    if (
        not decision.required
        or decision.refused
        or sorted({r.reason_code for r in decision.reasons}) != sorted(evaluated.reason_codes)
        or (decision.mode or "") != evaluated.mode
    ):
        raise EvaluationOutdated()
    amount, currency = _amount_of(elements)
    terminal = str(evaluated.elements.get("terminal") or actor.terminal or "")[:60]
    changes: dict[str, Any] = {}
    if evaluated.transaction_code in CUSTOMER_CHANGE_TRANSACTIONS:
        subject_ref, changes = customer_change_prepare(
            customer_no=str(evaluated.elements.get("customer_no") or ""),
            new_values=customer_changes or {},
            user=submitter,
            now=now,
        )
    elif customer_changes:
        raise InvalidSubmission(
            fields={"changes": [_("Only a customer-information change carries changes.")]}
        )
    else:
        subject_ref = subject_of_evaluation(evaluation_reference=str(evaluated.reference))
    with transaction.atomic():
        if AuthorizationRequest.objects.filter(evaluation=evaluated).exists():
            raise AlreadySubmitted()
        request = AuthorizationRequest(
            reference=_new_reference(),
            evaluation=evaluated,
            version_id=evaluated.version_id,
            transaction_code=evaluated.transaction_code,
            channel=evaluated.channel,
            branch=branch,
            submitted_by=submitter,
            terminal=terminal,
            elements=evaluated.elements,
            amount=amount,
            currency=currency,
            decision=decision_as_dict(decision),
            reason_codes=sorted({r.reason_code for r in decision.reasons}),
            scene_code=decision.scene.code if decision.scene else "",
            mode=decision.mode,
            authorizer_role=decision.authorizer_role or _role_for_mode(decision.mode),
            level=decision.level or 1,
            authorizers_required=decision.authorizers_required or 1,
            time_limit_minutes=decision.time_limit_minutes,
            escalation_level=decision.escalation_level,
            due_at=(
                now + timedelta(minutes=decision.time_limit_minutes)
                if decision.time_limit_minutes
                else None
            ),
            subject_ref=subject_ref,
            changes=changes,
            state=RequestState.WAITING_FOR_EVIDENCE,
            submitted_at=now,
            updated_at=now,
        )
        request.save(force_insert=True)
        trail_head_remember(request, None)  # a new request: its trail is empty
        state = _to_queue_state(request)
        if state != request.state:
            AuthorizationRequest.objects.filter(pk=request.pk).update(state=state, queued_at=now)
            request.state, request.queued_at = state, now
        trail_append(
            request=request,
            kind=RequestEventKind.SUBMITTED,
            actor=Actor(
                user=submitter,
                ip_address=actor.ip_address,
                user_agent=actor.user_agent,
                terminal=terminal,
            ),
            now=now,
            to_state=state,
            previous_at=evaluated.evaluated_at,
            details={
                "evaluation": str(evaluated.reference),
                "submitted_through": user.username if user.pk != submitter.pk else "",
            },
        )
    return request


def _submitter(*, user, evaluated: EvaluatedTransaction, teller_username: str):
    if not user.has_perm("authorization.submit_request"):
        raise NotAllowed(_("You may not submit transactions for authorization."))
    if not user_has_role(user, Role.INTEGRATOR):
        if teller_username and teller_username != user.username:
            raise InvalidSubmission(
                _("The submitter is always the authenticated person."),
                fields={"teller": [_("Must be empty or your own username.")]},
            )
        return user
    username = teller_username or evaluated.teller
    if not username:
        raise InvalidSubmission(
            _("A channel system must name the teller who submits."),
            fields={"teller": [_("This field is required.")]},
        )
    teller = get_user_model().objects.select_related("org_unit").filter(username=username).first()
    if teller is None or not teller.is_active:
        raise InvalidSubmission(
            _("The teller named does not exist or is not active."),
            fields={"teller": [_("No active user has this username.")]},
        )
    return teller


def _branch_of(*, evaluated: EvaluatedTransaction, submitter) -> OrgUnit:
    code = evaluated.branch_code or (submitter.org_unit.code if submitter.org_unit_id else "")
    branch = OrgUnit.objects.filter(code=code).first() if code else None
    if branch is None:
        raise InvalidSubmission(
            _("The transaction names no known branch."),
            fields={"branch_code": [_("Unknown branch.")]},
        )
    if submitter.org_unit_id != branch.pk:
        raise InvalidSubmission(
            _("The teller %(teller)s does not belong to branch %(branch)s.")
            % {"teller": submitter.username, "branch": branch.code},
            fields={"teller": [_("Does not belong to the transaction's branch.")]},
        )
    return branch


# --- Evidence ----------------------------------------------------------------------------------


def request_image_attach(
    *,
    reference: str,
    image_type_code: str,
    upload,
    actor: Actor,
    now: datetime | None = None,
):
    """Attach an image to the request (its submitter, or the channel). The type must be one the
    decision asks for. Returns imaging's ImageFacts; the request leaves "waiting for evidence"
    when imaging reports the required images ready (image_state_changed)."""
    from imaging import services as imaging_services

    now = now or timezone.now()
    request = request_get(reference=reference, user=actor.user)
    _require_participant_may_submit(actor.user, request)
    allowed = {
        image["code"]
        for key in ("required_image_types", "optional_image_types")
        for image in request.decision.get(key, [])
    }
    if image_type_code not in allowed:
        raise InvalidDecisionInput(
            _("This image type is not asked for by the request's decision."),
            fields={
                "image_type": [
                    _("Not an image type of this request; allowed: %(codes)s.")
                    % {"codes": ", ".join(sorted(allowed)) or "-"}
                ]
            },
        )
    open_states = (RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED, RequestState.RETURNED)
    if request.state not in open_states:
        raise RequestStateConflict(
            _("Images can be attached only while the request waits, is queued or returned.")
        )
    with transaction.atomic():
        _lock(request)
        if request.state not in open_states:
            raise RequestStateConflict()
        try:
            facts = imaging_services.image_receive(
                owner_ref=request.owner_ref,
                image_type_code=image_type_code,
                upload=upload,
                uploaded_by=actor.user,
                subject_ref=str(request.elements.get("customer_no") or ""),
            )
        except imaging_services.ImageRefused as refused:
            raise InvalidDecisionInput(
                str(refused.message), fields={"file": [str(refused.message)]}
            ) from None
        trail_append(
            request=request,
            kind=RequestEventKind.IMAGE_ATTACHED,
            actor=actor,
            now=now,
            from_state=request.state,
            to_state=request.state,
            details={"image_type": image_type_code, "image": facts.public_id},
        )
    return facts


def request_evidence_check(*, reference: str, now: datetime | None = None) -> bool:
    """Move a request waiting for evidence to the queue once every required image type has
    its minimum count of ready images. Returns True when it moved. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        request = AuthorizationRequest.objects.filter(reference=reference).first()
        if request is None or request.state != RequestState.WAITING_FOR_EVIDENCE:
            return False
        _lock(request)
        if request.state != RequestState.WAITING_FOR_EVIDENCE or missing_images(request=request):
            return False
        _cas(
            request,
            expected_states=(RequestState.WAITING_FOR_EVIDENCE,),
            now=now,
            state=RequestState.QUEUED,
            queued_at=now,
        )
        trail_append(
            request=request,
            kind=RequestEventKind.EVIDENCE_COMPLETE,
            actor=SYSTEM,
            now=now,
            from_state=RequestState.WAITING_FOR_EVIDENCE,
            to_state=RequestState.QUEUED,
        )
    return True


def on_image_state_changed(sender, *, owner_ref: str, state: str, **kwargs) -> None:
    """Receiver of imaging's image_state_changed (connected in AppConfig.ready)."""
    if state == "ready" and owner_ref.startswith("authreq:"):
        request_evidence_check(reference=owner_ref.removeprefix("authreq:"))


def image_owner_can_view(user, owner_ref: str) -> bool:
    """Who may see a request's images (registered with imaging for "authreq:")."""
    request = (
        AuthorizationRequest.objects.select_related("branch")
        .filter(reference=owner_ref.removeprefix("authreq:"))
        .first()
    )
    return request is not None and user_may_see_request(user=user, request=request)


# --- The queue ---------------------------------------------------------------------------------


def _queue_q(scope: AuthorizerScope, now: datetime) -> Q:
    """Open requests `scope` may take: queued, or claimed by someone whose lease ran out."""
    available = Q(state=RequestState.QUEUED) | Q(
        state=RequestState.IN_REVIEW, lease_expires_at__lt=now
    )
    return available & scope_q(scope) & ~Q(claimed_by_id=scope.user_id)


def request_claim_next(*, actor: Actor, now: datetime | None = None) -> AuthorizationRequest | None:
    """Give `actor` the highest-priority, oldest request they may decide, claimed with a lease
    (AUTHORIZATION_CLAIM_LEASE_SECONDS). None when nothing is waiting for them.

    PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so concurrent authorizers each get a
    different request without waiting for each other; SQLite: the transaction is serialized
    (IMMEDIATE). Either way the claim itself is a compare-and-set."""
    now = now or timezone.now()
    user = actor.user
    scope = authorizer_scope(user=user, now=now)
    if scope.delegated_away:
        return None  # a substitute receives them meanwhile
    if not scope.can_review:
        raise NotAllowed(_("You receive no authorization requests."))
    condition = _queue_q(scope, now)
    for _attempt in range(5):
        with transaction.atomic():
            candidate = (
                AuthorizationRequest.objects.select_for_update(skip_locked=True, of=("self",))
                .annotate(**trail_read_annotations())
                .filter(condition)
                .order_by("-priority", "queued_at", "id")
                .first()
            )
            if candidate is None:
                return None
            trail_head_remember_read(candidate)
            try:
                _claim(candidate, actor=actor, now=now)
            except RequestStateConflict:
                continue
            return candidate
    return None


def _claim(request: AuthorizationRequest, *, actor: Actor, now: datetime) -> None:
    """Claim `request`, read under its row lock in this transaction."""
    if request.state == RequestState.IN_REVIEW:
        # The previous holder went silent: the request returns to the queue, recorded.
        previous_holder = request.claimed_by
        _transition(
            request,
            expected_states=(RequestState.IN_REVIEW,),
            now=now,
            extra=Q(claimed_by=previous_holder, lease_expires_at__lt=now),
            state=RequestState.QUEUED,
            claimed_by=None,
            claimed_at=None,
            lease_expires_at=None,
            event={
                "kind": RequestEventKind.LEASE_EXPIRED,
                "actor": SYSTEM,
                "from_state": RequestState.IN_REVIEW,
                "to_state": RequestState.QUEUED,
                "details": {"holder": previous_holder.username if previous_holder else ""},
            },
        )
    _transition(
        request,
        expected_states=(RequestState.QUEUED,),
        now=now,
        state=RequestState.IN_REVIEW,
        claimed_by=actor.user,
        claimed_at=now,
        lease_expires_at=now + timedelta(seconds=_lease_seconds()),
        event={
            "kind": RequestEventKind.CLAIMED,
            "actor": actor,
            "from_state": RequestState.QUEUED,
            "to_state": RequestState.IN_REVIEW,
        },
    )


def request_release(
    *, reference: str, actor: Actor, now: datetime | None = None
) -> AuthorizationRequest:
    """The holder gives the request back to the queue."""
    now = now or timezone.now()
    request = request_get(reference=reference, user=actor.user)
    with transaction.atomic():
        _cas(
            request,
            expected_states=(RequestState.IN_REVIEW,),
            now=now,
            extra=Q(claimed_by=actor.user),
            state=RequestState.QUEUED,
            claimed_by=None,
            claimed_at=None,
            lease_expires_at=None,
        )
        trail_append(
            request=request,
            kind=RequestEventKind.RELEASED,
            actor=actor,
            now=now,
            from_state=RequestState.IN_REVIEW,
            to_state=RequestState.QUEUED,
        )
    return request


def requests_leases_expire(*, now: datetime | None = None) -> int:
    """Return requests whose claim lease ran out to the queue (for the queue's display; claim
    next takes them anyway). Returns how many."""
    now = now or timezone.now()
    count = 0
    for request in AuthorizationRequest.objects.filter(
        state=RequestState.IN_REVIEW, lease_expires_at__lt=now
    ).select_related("claimed_by"):
        try:
            with transaction.atomic():
                holder = request.claimed_by
                _cas(
                    request,
                    expected_states=(RequestState.IN_REVIEW,),
                    now=now,
                    extra=Q(claimed_by=holder, lease_expires_at__lt=now),
                    state=RequestState.QUEUED,
                    claimed_by=None,
                    claimed_at=None,
                    lease_expires_at=None,
                )
                trail_append(
                    request=request,
                    kind=RequestEventKind.LEASE_EXPIRED,
                    actor=SYSTEM,
                    now=now,
                    from_state=RequestState.IN_REVIEW,
                    to_state=RequestState.QUEUED,
                    details={"holder": holder.username if holder else ""},
                )
            count += 1
        except RequestStateConflict:
            continue
    return count


# --- Review and decisions ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerdictInput:
    review_point: str
    passed: bool
    comment: str = ""


def _held_by(request: AuthorizationRequest, user) -> None:
    if request.state != RequestState.IN_REVIEW or request.claimed_by_id != user.pk:
        if request.submitted_by_id == user.pk:
            raise NotEligible(
                _("You submitted this request: someone else must decide it (four-eyes).")
            )
        raise RequestStateConflict(
            _("Claim the request first: only its holder may review and decide it.")
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
    now = now or timezone.now()
    request = request_get(reference=reference, user=actor.user)
    _held_by(request, actor.user)
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
        raise InvalidDecisionInput(fields=errors)
    with transaction.atomic():
        _lock(request)
        _held_by(request, actor.user)
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
        trail_append(
            request=request,
            kind=RequestEventKind.VERDICTS_RECORDED,
            actor=actor,
            now=now,
            from_state=request.state,
            to_state=request.state,
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


def _check_eligible(request: AuthorizationRequest, user, now: datetime) -> None:
    problem = eligibility_problem(
        authorizer_scope(user=user, now=now),
        request,
        on_site=request.mode == AuthorizationMode.ON_SITE,
    )
    if problem:
        raise NotEligible(problem)


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
    now = now or timezone.now()
    with transaction.atomic():
        request = _request_for_update(reference=reference, user=actor.user)
        _held_by(request, actor.user)
        _check_eligible(request, actor.user, now)
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
            kind, to_state = RequestEventKind.FIRST_APPROVED, RequestState.QUEUED
            changes: dict[str, Any] = {
                "first_approver": actor.user,
                "first_approved_at": now,
                "claimed_by": None,
                "claimed_at": None,
                "lease_expires_at": None,
            }
        else:
            kind, to_state = RequestEventKind.APPROVED, RequestState.APPROVED
            changes = {
                "decided_by": actor.user,
                "decided_at": now,
                "decision_comment": comment[:500],
            }
        _transition(
            request,
            expected_states=(RequestState.IN_REVIEW,),
            now=now,
            extra=Q(claimed_by=actor.user),
            state=to_state,
            **changes,
            event={
                "kind": kind,
                "actor": actor,
                "from_state": RequestState.IN_REVIEW,
                "to_state": to_state,
                "details": {"comment": comment[:500]} if comment else {},
            },
        )
        if to_state == RequestState.APPROVED:
            _on_final(request)
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
    now = now or timezone.now()
    returning = kind == "return"
    to_state = RequestState.RETURNED if returning else RequestState.REJECTED
    with transaction.atomic():
        request = _request_for_update(reference=reference, user=actor.user)
        _held_by(request, actor.user)
        _check_eligible(request, actor.user, now)
        _reason_code_check(code=reason_code, kind=kind)
        if not comment.strip():
            raise InvalidDecisionInput(fields={"comment": [_("Say why, for the teller.")]})
        changes: dict[str, Any] = {
            "state": to_state,
            "decision_reason_code": reason_code,
            "decision_comment": comment.strip()[:500],
        }
        if returning:
            changes.update(claimed_by=None, claimed_at=None, lease_expires_at=None)
        else:
            changes.update(decided_by=actor.user, decided_at=now)
        _transition(
            request,
            expected_states=(RequestState.IN_REVIEW,),
            now=now,
            extra=Q(claimed_by=actor.user),
            **changes,
            event={
                "kind": RequestEventKind.RETURNED if returning else RequestEventKind.REJECTED,
                "actor": actor,
                "from_state": RequestState.IN_REVIEW,
                "to_state": to_state,
                "reason_code": reason_code,
                "details": {"comment": comment.strip()[:500]},
            },
        )
        if not returning:
            _on_final(request)
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


def _on_final(request: AuthorizationRequest) -> None:
    """The final decision's effect on what the request acts on (a pending account, a
    customer change), inside the deciding transaction."""
    subject_apply(request=request)


# --- The submitter's side ----------------------------------------------------------------------


def request_cancel(
    *, reference: str, actor: Actor, comment: str = "", now: datetime | None = None
) -> AuthorizationRequest:
    """The submitter withdraws the request before anyone claimed it."""
    now = now or timezone.now()
    request = request_get(reference=reference, user=actor.user)
    _require_participant_may_submit(actor.user, request)
    cancellable = (RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED, RequestState.RETURNED)
    if request.state not in cancellable:
        raise RequestStateConflict(_("Only a request nobody has claimed can be cancelled."))
    with transaction.atomic():
        from_state = request.state
        _cas(
            request,
            expected_states=(from_state,),
            now=now,
            extra=Q(claimed_by__isnull=True),
            state=RequestState.CANCELLED,
        )
        trail_append(
            request=request,
            kind=RequestEventKind.CANCELLED,
            actor=actor,
            now=now,
            from_state=from_state,
            to_state=RequestState.CANCELLED,
            details={"comment": comment[:500]} if comment else {},
        )
        _on_final(request)
    return request


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
    now = now or timezone.now()
    request = request_get(reference=reference, user=actor.user)
    _require_participant_may_submit(actor.user, request)
    if request.state != RequestState.RETURNED:
        raise RequestStateConflict(_("Only a returned request can be resubmitted."))
    updates: dict[str, Any] = {}
    element_changes: dict[str, Any] = {}
    if corrected_elements:
        elements = {**request.elements, **corrected_elements}
        element_changes = {
            name: {"old": request.elements.get(name), "new": value}
            for name, value in corrected_elements.items()
            if request.elements.get(name) != value
        }
        decision, parsed = _decide(
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
        amount, currency = _amount_of(parsed)
        updates.update(elements=elements, amount=amount, currency=currency)
        if decision.required:
            updates.update(
                decision=decision_as_dict(decision),
                reason_codes=sorted({r.reason_code for r in decision.reasons}),
                scene_code=decision.scene.code if decision.scene else "",
                mode=decision.mode,
                authorizer_role=decision.authorizer_role or _role_for_mode(decision.mode),
                # Never lower than the request already was (an escalation stays).
                level=max(decision.level or 1, request.level),
                authorizers_required=max(
                    decision.authorizers_required or 1, request.authorizers_required
                ),
            )
    with transaction.atomic():
        _lock(request)
        if request.state != RequestState.RETURNED:
            raise RequestStateConflict()
        if element_changes:
            AuthorizationRequest.objects.filter(pk=request.pk).update(**updates)
            _reload(request)
            trail_append(
                request=request,
                kind=RequestEventKind.SUPPLEMENTED,
                actor=actor,
                now=now,
                from_state=RequestState.RETURNED,
                to_state=RequestState.RETURNED,
                details={"elements": element_changes},
            )
        to_state = _to_queue_state(request)
        _cas(
            request,
            expected_states=(RequestState.RETURNED,),
            now=now,
            state=to_state,
            round=F("round") + 1,
            first_approver=None,
            first_approved_at=None,
            decision_reason_code="",
            decision_comment="",
            queued_at=now,
        )
        trail_append(
            request=request,
            kind=RequestEventKind.RESUBMITTED,
            actor=actor,
            now=now,
            from_state=RequestState.RETURNED,
            to_state=to_state,
            details={"comment": comment[:500]} if comment else {},
        )
    return request


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
    now = now or timezone.now()
    if mode not in AuthorizationMode.values:
        raise InvalidDecisionInput(
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
        raise InvalidDecisionInput(fields={"mode": [_("The request is already in this mode.")]})
    waiting = (RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED)
    if user is None:
        expected, extra = (*waiting, RequestState.IN_REVIEW), None
    elif request.state == RequestState.IN_REVIEW and request.claimed_by_id == user.pk:
        expected, extra = (RequestState.IN_REVIEW,), Q(claimed_by=user)
    elif request.state in waiting and request.submitted_by_id == user.pk:
        expected, extra = waiting, None
    else:
        raise NotAllowed(_("Only the request's current holder may transfer it."))
    with transaction.atomic():
        from_state = request.state
        to_state = RequestState.QUEUED if from_state == RequestState.IN_REVIEW else from_state
        _cas(
            request,
            expected_states=(from_state,) if from_state in expected else (),
            now=now,
            extra=extra,
            state=to_state,
            mode=mode,
            authorizer_role=_role_for_mode(mode),
            claimed_by=None,
            claimed_at=None,
            lease_expires_at=None,
            queued_at=now if to_state == RequestState.QUEUED else request.queued_at,
        )
        trail_append(
            request=request,
            kind=RequestEventKind.TRANSFERRED,
            actor=actor,
            now=now,
            from_state=from_state,
            to_state=to_state,
            details={"to_mode": mode, **({"comment": comment[:500]} if comment else {})},
        )
    return request


# --- On-site authorization (step-up at the teller's terminal) ------------------------------


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

    now = now or timezone.now()
    teller = actor.user
    request = request_get(reference=reference, user=teller)
    if action not in ("approve", "reject", "return"):
        raise InvalidDecisionInput(
            fields={"action": [_("Must be one of: approve, reject, return.")]}
        )
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
    _check_eligible(request, supervisor, now)
    supervisor_actor = Actor(
        user=supervisor,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
        terminal=actor.terminal or request.terminal,
    )
    with transaction.atomic():
        _lock(request)
        if request.state != RequestState.QUEUED:
            raise RequestStateConflict(
                _("The request is not queued (it waits for evidence or was decided).")
            )
        _claim(request, actor=supervisor_actor, now=now)
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


# --- Time limits -------------------------------------------------------------------------------


def request_escalate(*, reference: str, now: datetime | None = None) -> AuthorizationRequest | None:
    """A request past its time limit: escalated to its escalation level (once; the clock
    starts again), or expired when it has none or was escalated already. Idempotent: a
    request not (or no longer) due is left alone and None returned."""
    now = now or timezone.now()
    open_states = (RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED, RequestState.IN_REVIEW)
    with transaction.atomic():
        request = (
            AuthorizationRequest.objects.select_for_update()
            .filter(reference=reference, state__in=open_states, due_at__lte=now)
            .first()
        )
        if request is None:
            return None
        from_state = request.state
        due = Q(due_at__lte=now)
        if request.escalation_level and request.escalated_at is None:
            level = max(request.level, request.escalation_level)
            _cas(
                request,
                expected_states=(from_state,),
                now=now,
                extra=due & Q(escalated_at__isnull=True),
                level=level,
                escalated_at=now,
                priority=F("priority") + 10,
                due_at=(
                    now + timedelta(minutes=request.time_limit_minutes)
                    if request.time_limit_minutes
                    else None
                ),
            )
            trail_append(
                request=request,
                kind=RequestEventKind.ESCALATED,
                actor=SYSTEM,
                now=now,
                from_state=from_state,
                to_state=from_state,
                details={"to_level": level},
            )
        else:
            _cas(
                request,
                expected_states=(from_state,),
                now=now,
                extra=due,
                state=RequestState.EXPIRED,
                claimed_by=None,
                claimed_at=None,
                lease_expires_at=None,
            )
            trail_append(
                request=request,
                kind=RequestEventKind.EXPIRED,
                actor=SYSTEM,
                now=now,
                from_state=from_state,
                to_state=RequestState.EXPIRED,
            )
            _on_final(request)
    return request


def requests_due(*, now: datetime, limit: int = 500) -> list[str]:
    """References of open requests past their time limit, oldest deadline first."""
    return list(
        AuthorizationRequest.objects.filter(
            state__in=(
                RequestState.WAITING_FOR_EVIDENCE,
                RequestState.QUEUED,
                RequestState.IN_REVIEW,
            ),
            due_at__lte=now,
        )
        .order_by("due_at", "id")
        .values_list("reference", flat=True)[:limit]
    )


def requests_connect() -> None:
    """At start-up (AppConfig.ready): tell imaging who may see a request's images, and listen
    for images becoming ready to move requests out of "waiting for evidence"."""
    from imaging import services as imaging_services

    imaging_services.register_owner_access("authreq:", image_owner_can_view)
    imaging_services.image_state_changed.connect(
        on_image_state_changed, dispatch_uid="authorization.requests.evidence"
    )
