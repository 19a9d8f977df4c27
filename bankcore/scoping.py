"""Object-level scoping: a branch user sees only their unit's subtree unless a role says otherwise.

Every list, page and endpoint that shows branch-owned data filters through `scope_queryset`,
and every single-object view checks `user_can_see_unit`.
"""

from django.db.models import QuerySet

from bankcore.models import OrgUnit

VIEW_ALL_BRANCHES = "bankcore.view_all_branches"


def user_sees_all_branches(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm(VIEW_ALL_BRANCHES)))


def visible_units(user) -> QuerySet[OrgUnit]:
    """The organisation units whose data `user` may see."""
    if user_sees_all_branches(user):
        return OrgUnit.objects.all()
    if not user.is_authenticated or user.org_unit_id is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.subtree_of(user.org_unit)


def scope_queryset(queryset: QuerySet, user, *, unit_field: str) -> QuerySet:
    """Filter `queryset` to rows whose `unit_field` (a FK to OrgUnit) is visible to `user`."""
    if user_sees_all_branches(user):
        return queryset
    if not user.is_authenticated or user.org_unit_id is None:
        return queryset.none()
    return queryset.filter(**{f"{unit_field}__path__startswith": user.org_unit.path})


def user_can_see_unit(user, unit: OrgUnit | None) -> bool:
    if user_sees_all_branches(user):
        return True
    if unit is None or not user.is_authenticated or user.org_unit_id is None:
        return False
    return unit.is_within(user.org_unit)
