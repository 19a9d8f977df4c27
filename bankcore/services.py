"""Writes of the kernel: organisation units and users."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from bankcore.models import OrgUnit, OrgUnitKind, User
from bankcore.roles import Role


def _path_for(*, code: str, parent: OrgUnit | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def org_unit_save(*, unit: OrgUnit) -> OrgUnit:
    """Save `unit`, keeping its path and every descendant's path in step with the tree."""
    if unit.parent_id and unit.pk and unit.parent.is_within(unit):
        raise ValueError("An organisation unit cannot be placed under itself.")
    old_path = OrgUnit.objects.filter(pk=unit.pk).values_list("path", flat=True).first()
    unit.path = _path_for(code=unit.code, parent=unit.parent)
    unit.full_clean()
    unit.save()
    if old_path and old_path != unit.path:
        for descendant in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            descendant.path = unit.path + descendant.path[len(old_path) :]
            descendant.save(update_fields=["path"])
    return unit


def org_unit_ensure(
    *,
    code: str,
    name: str,
    kind: OrgUnitKind,
    parent: OrgUnit | None,
    name_zh_hans: str = "",
) -> OrgUnit:
    """Create the unit or bring an existing one (same code) up to date. Idempotent. `name`
    is in English, `name_zh_hans` in Chinese (kept when not given)."""
    unit = OrgUnit.objects.filter(code=code).first() or OrgUnit(code=code)
    unit.name_en, unit.kind, unit.parent = name, kind, parent
    if name_zh_hans:
        unit.name_zh_hans = name_zh_hans
    return org_unit_save(unit=unit)


@transaction.atomic
def user_ensure(
    *,
    username: str,
    password: str,
    org_unit: OrgUnit,
    roles: list[Role],
    first_name: str = "",
    last_name: str = "",
    authorization_level: int | None = None,
    is_superuser: bool = False,
) -> User:
    """Create the user or bring an existing one up to date (roles are replaced). Idempotent."""
    user = User.objects.filter(username=username).first() or User(username=username)
    user.first_name, user.last_name = first_name, last_name
    user.org_unit = org_unit
    user.authorization_level = authorization_level
    user.is_superuser = user.is_staff = is_superuser
    user.is_active = True
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
    return user
