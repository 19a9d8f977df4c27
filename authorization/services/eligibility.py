"""Who may decide which request: routing by mode, level, amount limits, four-eyes, delegation.

One `AuthorizerScope` per authorizer is worked out once; the queue filter (a Q for the
database, used by "claim next" and the queue lists) and the check of one request at decision
time both derive from it, so what the queue hands out and what a decision accepts agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import CharField, DecimalField, IntegerField, Q, QuerySet, Value
from django.utils.translation import gettext as _

from bankcore import prepared
from bankcore.prepared import Param
from bankcore.roles import Role, user_roles

from ..models import (
    AuthorizationMode,
    AuthorizationRequest,
    AuthorizerLimit,
    Delegation,
    RequestState,
)

# Modes whose requests go to the branch supervisors of the submitting branch or its parent
# unit; remote centralized requests go to the remote authorization center's queue.
BRANCH_MODES = (
    AuthorizationMode.ON_SITE,
    AuthorizationMode.CROSS_TERMINAL,
    AuthorizationMode.MOBILE,
)
# On-site requests are decided at the teller's terminal (step-up), never handed out by
# "claim next"; the other branch modes are pushed to the supervisor's own queue.
CLAIMABLE_BRANCH_MODES = (AuthorizationMode.CROSS_TERMINAL, AuthorizationMode.MOBILE)


def active_delegations(*, now: datetime):
    return Delegation.objects.filter(revoked_at__isnull=True, starts_at__lte=now, ends_at__gt=now)


@dataclass(frozen=True, slots=True)
class AuthorizerScope:
    user_id: int | None
    level: int
    limits: dict[str, Decimal]
    remote: bool  # receives the central queue
    supervisor_unit_ids: frozenset[int]  # receives the branch queues of these units' subtrees
    delegated_away: bool  # named a substitute for now: receives nothing

    @property
    def can_review(self) -> bool:
        return (
            not self.delegated_away
            and self.level > 0
            and (self.remote or bool(self.supervisor_unit_ids))
        )


NO_SCOPE = AuthorizerScope(None, 0, {}, False, frozenset(), True)

_request_field = AuthorizationRequest._meta.get_field
# The field each of scope_q's Params is compared with (it converts the value).
_PARAM_FIELDS = {
    "scope_user": _request_field("submitted_by"),
    "scope_level": _request_field("level"),
    "scope_unit": _request_field("branch"),
    "scope_currency": _request_field("currency"),
    "scope_limit": _request_field("amount"),
}


def _scope_rows() -> QuerySet:
    """The authorizer's limits and the active delegations naming them either way round, in
    one statement (both are read on every claim and every decision): rows of (currency,
    max_amount, None, None) for a limit and ("", None, delegator, substitute) for a
    delegation."""
    user = Param("user", AuthorizerLimit._meta.get_field("user"))
    no_id = Value(None, output_field=IntegerField())
    limits = AuthorizerLimit.objects.filter(user=user).values_list(
        "currency", "max_amount", no_id, no_id
    )
    now = Param("now", Delegation._meta.get_field("starts_at"))
    user = Param("user", Delegation._meta.get_field("delegator"))
    delegations = (
        active_delegations(now=now)
        .filter(Q(delegator=user) | Q(substitute=user))
        .values_list(
            Value("", output_field=CharField()),
            Value(None, output_field=DecimalField()),
            "delegator_id",
            "substitute_id",
        )
    )
    return limits.union(delegations, all=True)


def authorizer_scope(*, user, now: datetime) -> AuthorizerScope:
    """What `user` may decide at `now`: their own level and limits, their role's queues and
    those of whoever named them substitute (within the substitute's own level and limits).
    Read on every call (a delegation or a limit changed elsewhere counts at once), by one
    statement prepared once per connection (bankcore.prepared: the scope is read twice per
    claim and decision)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    concerning, limits = [], {}
    for currency, max_amount, delegator_id, substitute_id in prepared.rows(
        "scope", _scope_rows, {"now": now, "user": user}
    ):
        if delegator_id is None:
            limits[currency] = max_amount
        else:
            concerning.append((delegator_id, substitute_id))
    if any(delegator_id == user.pk for delegator_id, _substitute in concerning):
        return AuthorizerScope(user.pk, user.authorization_level or 0, {}, False, frozenset(), True)
    roles = set(user_roles(user))
    unit_ids = set()
    if Role.BRANCH_SUPERVISOR in roles and user.org_unit_id:
        unit_ids.add(user.org_unit_id)
    remote = Role.REMOTE_AUTHORIZER in roles
    principal_ids = [delegator_id for delegator_id, _substitute in concerning]
    principals = get_user_model().objects.filter(pk__in=principal_ids) if principal_ids else ()
    for principal in principals:
        principal_roles = set(user_roles(principal))
        if Role.BRANCH_SUPERVISOR in principal_roles and principal.org_unit_id:
            unit_ids.add(principal.org_unit_id)
        remote = remote or Role.REMOTE_AUTHORIZER in principal_roles
    return AuthorizerScope(
        user_id=user.pk,
        level=user.authorization_level or 0,
        limits=limits,
        remote=remote,
        supervisor_unit_ids=frozenset(unit_ids),
        delegated_away=False,
    )


def _branch_q(unit_ids) -> Q:
    """The requests of these units and of the units below them (one equality per unit, so
    that each can be a Param)."""
    branches = Q(pk__in=[])
    for unit_id in unit_ids:
        branches |= Q(branch_id=unit_id) | Q(branch__parent_id=unit_id)
    return branches


def scope_shape(scope: AuthorizerScope) -> tuple:
    """What of `scope` changes the text of scope_q's SQL (the key of a prepared statement)."""
    return (scope.can_review, scope.remote, len(scope.supervisor_unit_ids), len(scope.limits))


def _param_field(name: str):
    return _PARAM_FIELDS.get(name) or _PARAM_FIELDS[name.rsplit("_", 1)[0]]


def scope_values(scope: AuthorizerScope) -> dict[str, Any]:
    """The values of scope_q(scope, params=True)'s Params."""
    values: dict[str, Any] = {"scope_user": scope.user_id, "scope_level": scope.level}
    for index, unit_id in enumerate(sorted(scope.supervisor_unit_ids)):
        values[f"scope_unit_{index}"] = unit_id
    for index, (currency, max_amount) in enumerate(sorted(scope.limits.items())):
        values[f"scope_currency_{index}"] = currency
        values[f"scope_limit_{index}"] = max_amount
    return values


def scope_q(scope: AuthorizerScope, *, claimable_only: bool = True, params: bool = False) -> Q:
    """Requests (in any state) that `scope` may decide: routing, level, limit, four-eyes.
    With `params`, the values are Params named as in scope_values (for a statement prepared
    per scope_shape)."""
    if not scope.can_review:
        return Q(pk__in=[])
    values = scope_values(scope)
    if params:
        values = {name: Param(name, _param_field(name)) for name in values}
    routes = Q(pk__in=[])
    if scope.remote:
        routes |= Q(mode=AuthorizationMode.REMOTE_CENTRALIZED)
    if scope.supervisor_unit_ids:
        modes = CLAIMABLE_BRANCH_MODES if claimable_only else BRANCH_MODES
        units = [values[f"scope_unit_{i}"] for i in range(len(scope.supervisor_unit_ids))]
        routes |= Q(mode__in=modes) & _branch_q(units)
    amount = Q(amount__isnull=True)
    for index in range(len(scope.limits)):
        amount |= Q(
            currency=values[f"scope_currency_{index}"], amount__lte=values[f"scope_limit_{index}"]
        )
    me = values["scope_user"]
    return (
        routes
        & amount
        & Q(level__lte=values["scope_level"])
        & ~Q(submitted_by_id=me)
        & (Q(first_approver__isnull=True) | ~Q(first_approver_id=me))
    )


def claimable_q(scope: AuthorizerScope, now, *, params: bool = False) -> Q:
    """Open requests `scope` may take now: queued, or claimed by someone else whose lease ran
    out. The review queue page lists them and claim next takes the first; with `params`, `now`
    and the scope's values are Params (claim next's prepared statement)."""
    if params:
        now = Param("now", AuthorizationRequest._meta.get_field("lease_expires_at"))
    available = Q(state=RequestState.QUEUED) | Q(
        state=RequestState.IN_REVIEW, lease_expires_at__lt=now
    )
    me = scope.user_id
    if params:
        me = Param("scope_user", AuthorizationRequest._meta.get_field("claimed_by"))
    return available & scope_q(scope, params=params) & ~Q(claimed_by_id=me)


def eligibility_problem(
    scope: AuthorizerScope, request: AuthorizationRequest, *, on_site: bool = False
) -> str | None:
    """Why `scope` may not decide `request` (None when it may). Four-eyes comes first."""
    if scope.user_id is not None and request.submitted_by_id == scope.user_id:
        return _("You submitted this request: someone else must decide it (four-eyes).")
    if scope.user_id is not None and request.first_approver_id == scope.user_id:
        return _("You gave the first approval: a second, different authorizer must decide.")
    if scope.delegated_away:
        return _("You have named a substitute for now and receive no requests.")
    if scope.level <= 0:
        return _("You are not an authorizer.")
    if request.mode == AuthorizationMode.REMOTE_CENTRALIZED:
        if not scope.remote:
            return _("Remote centralized requests are decided by remote authorizers.")
    else:
        if on_site != (request.mode == AuthorizationMode.ON_SITE):
            return (
                _("On-site requests are decided at the teller's terminal.")
                if request.mode == AuthorizationMode.ON_SITE
                else _("Only on-site requests are decided at the teller's terminal.")
            )
        units = scope.supervisor_unit_ids
        if not (request.branch_id in units or request.branch.parent_id in units):
            return _("This request belongs to the supervisors of another branch.")
    if request.level > scope.level:
        return _("This request needs level %(need)d; your level is %(have)d.") % {
            "need": request.level,
            "have": scope.level,
        }
    if request.amount is not None:
        limit = scope.limits.get(request.currency)
        if limit is None:
            return _("You have no authorization limit in %(currency)s.") % {
                "currency": request.currency
            }
        if request.amount > limit:
            return _("The amount is above your limit of %(limit)s %(currency)s.") % {
                "limit": limit,
                "currency": request.currency,
            }
    return None
