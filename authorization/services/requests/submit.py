"""Submitting an evaluated transaction for authorization: the request and its snapshot of
the decision."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bankcore.models import OrgUnit
from bankcore.roles import Role, user_has_role

from ...models import AuthorizationRequest, EvaluatedTransaction, RequestEventKind, RequestState
from ...rules.compiler import Decision
from ...selectors import rule_set_compiled
from ..decisions import decision_snapshot
from ..evaluation import TransactionInput, facts_gather, transaction_parse
from ..subjects import CUSTOMER_CHANGE_TRANSACTIONS, customer_change_prepare, subject_of_evaluation
from ..trail import Actor, trail_append, trail_head_remember
from .clock import clock
from .errors import (
    AlreadySubmitted,
    EvaluationNotFound,
    EvaluationOutdated,
    InvalidSubmission,
    NotAllowed,
)
from .transitions import queue_state_of, role_for_mode


def _new_reference() -> str:
    return "AR" + secrets.token_hex(7).upper()


class Redecision(NamedTuple):
    """A transaction decided again: the decision (active language), the parsed elements and,
    when it asks for authorization, the snapshot a request keeps (every language)."""

    decision: Decision
    elements: dict[str, Any]
    snapshot: dict[str, Any]


def decide_again(*, version_id: int, transaction: TransactionInput, now: datetime) -> Redecision:
    """Decide `transaction` again under the rule-set version that evaluated it. A decision
    that asks for authorization is also decided in every other language of
    settings.LANGUAGES (the same facts, no query once compiled) for the request's snapshot."""
    rule_set = rule_set_compiled(version_id=version_id)
    elements = transaction_parse(rule_set=rule_set, transaction=transaction)
    facts = facts_gather(rule_set=rule_set, transaction=transaction, elements=elements, now=now)
    code, channel = transaction.transaction_code, transaction.channel
    decision = rule_set.decide(code, channel, facts)
    if not decision.required or decision.refused:
        return Redecision(decision, elements, {})
    active = translation.get_language() or settings.LANGUAGE_CODE
    in_languages: dict[str, Decision] = {}
    for language, _label in settings.LANGUAGES:
        if language == active:
            in_languages[language] = decision
            continue
        with translation.override(language):
            compiled = rule_set_compiled(version_id=version_id)
            in_languages[language] = compiled.decide(code, channel, facts)
    snapshot = decision_snapshot(decision, language=active, in_languages=in_languages)
    return Redecision(decision, elements, snapshot)


def amount_of(elements: dict[str, Any]) -> tuple[Any, str]:
    """The transaction's amount (the first money element, "amount" preferred)."""
    candidates = sorted(elements.items(), key=lambda item: item[0] != "amount")
    for _name, value in candidates:
        if hasattr(value, "currency") and hasattr(value, "amount"):
            return value.amount, value.currency
    return None, ""


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
    now = clock(now)
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
    decision, elements, snapshot = decide_again(
        version_id=evaluated.version_id, transaction=transaction_input, now=evaluated.evaluated_at
    )
    if (
        not decision.required
        or decision.refused
        or sorted({r.reason_code for r in decision.reasons}) != sorted(evaluated.reason_codes)
        or (decision.mode or "") != evaluated.mode
    ):
        raise EvaluationOutdated()
    amount, currency = amount_of(elements)
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
            decision=snapshot,
            reason_codes=sorted({r.reason_code for r in decision.reasons}),
            scene_code=decision.scene.code if decision.scene else "",
            mode=decision.mode,
            authorizer_role=decision.authorizer_role or role_for_mode(decision.mode),
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
        state = queue_state_of(request)
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
