"""Who may decide which request: routing by mode, level, amount limits, four-eyes, delegation.

One `AuthorizerScope` per authorizer is worked out once; the queue filter (a Q for the
database, used by "claim next" and the queue lists) and the check of one request at decision
time both derive from it, so what the queue hands out and what a decision accepts agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from bankcore.roles import Role, user_roles

from ..models import AuthorizationMode, AuthorizationRequest, AuthorizerLimit, Delegation

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


def authorizer_scope(*, user, now: datetime) -> AuthorizerScope:
    """What `user` may decide at `now`: their own level and limits, their role's queues and
    those of whoever named them substitute (within the substitute's own level and limits)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    # One query for the delegations that concern the user, either way round.
    concerning = list(
        active_delegations(now=now)
        .filter(Q(delegator=user) | Q(substitute=user))
        .values_list("delegator_id", "substitute_id")
    )
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
    limits = dict(AuthorizerLimit.objects.filter(user=user).values_list("currency", "max_amount"))
    return AuthorizerScope(
        user_id=user.pk,
        level=user.authorization_level or 0,
        limits=limits,
        remote=remote,
        supervisor_unit_ids=frozenset(unit_ids),
        delegated_away=False,
    )


def _branch_q(unit_ids: frozenset[int]) -> Q:
    return Q(branch_id__in=unit_ids) | Q(branch__parent_id__in=unit_ids)


def scope_q(scope: AuthorizerScope, *, claimable_only: bool = True) -> Q:
    """Requests (in any state) that `scope` may decide: routing, level, limit, four-eyes."""
    if not scope.can_review:
        return Q(pk__in=[])
    routes = Q(pk__in=[])
    if scope.remote:
        routes |= Q(mode=AuthorizationMode.REMOTE_CENTRALIZED)
    if scope.supervisor_unit_ids:
        modes = CLAIMABLE_BRANCH_MODES if claimable_only else BRANCH_MODES
        routes |= Q(mode__in=modes) & _branch_q(scope.supervisor_unit_ids)
    amount = Q(amount__isnull=True)
    for currency, max_amount in scope.limits.items():
        amount |= Q(currency=currency, amount__lte=max_amount)
    return (
        routes
        & amount
        & Q(level__lte=scope.level)
        & ~Q(submitted_by_id=scope.user_id)
        & (Q(first_approver__isnull=True) | ~Q(first_approver_id=scope.user_id))
    )


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
