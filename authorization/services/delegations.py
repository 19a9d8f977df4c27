"""Delegation: an authorizer names a substitute for a period (recorded; revocable).

Meanwhile the delegator receives no requests and the substitute receives the delegator's
queues, always within the substitute's own level and amount limits (see eligibility)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.errors import Conflict, DomainError, NotFound
from bankcore.roles import Role, user_roles

from ..models import Delegation

AUTHORIZER_ROLES = {Role.REMOTE_AUTHORIZER, Role.BRANCH_SUPERVISOR}


class DelegationInvalid(DomainError):
    code = "delegation_invalid"
    default_message = gettext_lazy("The delegation is not valid.")


class DelegationOverlaps(Conflict):
    code = "delegation_overlaps"
    default_message = gettext_lazy("You have already named a substitute for part of this period.")


class DelegationNotFound(NotFound):
    code = "delegation_not_found"
    default_message = gettext_lazy("You have no delegation with this number.")


def _is_authorizer(user) -> bool:
    return bool(user.authorization_level) and bool(AUTHORIZER_ROLES & set(user_roles(user)))


def delegation_create(
    *,
    delegator,
    substitute_username: str,
    starts_at: datetime,
    ends_at: datetime,
    note: str = "",
    now: datetime | None = None,
) -> Delegation:
    """`delegator` names a substitute from `starts_at` to `ends_at`. Both must be authorizers
    (a level and an authorizer role); periods of one delegator may not overlap."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if not _is_authorizer(delegator):
        raise DelegationInvalid(_("Only an authorizer can name a substitute."))
    substitute = (
        get_user_model().objects.filter(username=substitute_username, is_active=True).first()
    )
    if substitute is None or not _is_authorizer(substitute):
        errors["substitute"] = [_("Name an active authorizer.")]
    elif substitute.pk == delegator.pk:
        errors["substitute"] = [_("You cannot be your own substitute.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The period must end after it starts.")]
    elif ends_at <= now:
        errors["ends_at"] = [_("The period has already ended.")]
    if errors:
        raise DelegationInvalid(fields=errors)
    with transaction.atomic():
        # One delegator's delegations are written one at a time (no overlapping periods).
        get_user_model().objects.select_for_update().filter(pk=delegator.pk).first()
        if Delegation.objects.filter(
            delegator=delegator,
            revoked_at__isnull=True,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        ).exists():
            raise DelegationOverlaps()
        return Delegation.objects.create(
            delegator=delegator,
            substitute=substitute,
            starts_at=starts_at,
            ends_at=ends_at,
            note=note[:200],
            created_at=now,
            created_by=delegator,
        )


def delegation_revoke(*, delegation_id: int, user, now: datetime | None = None) -> Delegation:
    """The delegator ends their delegation now (it stays recorded)."""
    now = now or timezone.now()
    delegation = Delegation.objects.filter(pk=delegation_id, delegator=user).first()
    if delegation is None:
        raise DelegationNotFound()
    Delegation.objects.filter(pk=delegation.pk, revoked_at__isnull=True).update(revoked_at=now)
    delegation.refresh_from_db()
    return delegation


def delegations_of(*, user) -> list[Delegation]:
    """Delegations `user` gave or received, newest first."""
    from django.db.models import Q

    return list(
        Delegation.objects.filter(Q(delegator=user) | Q(substitute=user))
        .select_related("delegator", "substitute")
        .order_by("-starts_at", "-id")
    )
