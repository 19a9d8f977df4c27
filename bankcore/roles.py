"""Roles are Django groups with permissions. This module is the one place that says which.

Domain apps add the permissions their roles need through a `role_permissions` attribute on
their AppConfig ({role: ["app_label.codename", ...]}), so the kernel never imports them.
"""

from collections.abc import Iterable

from django.apps import apps as django_apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TELLER = "teller", _("Teller")
    BRANCH_SUPERVISOR = "branch_supervisor", _("Branch supervisor")
    REMOTE_AUTHORIZER = "remote_authorizer", _("Remote authorizer")
    MANAGER = "manager", _("Manager")
    PARAMETER_ADMIN = "parameter_admin", _("Parameter administrator")
    INTEGRATOR = "integrator", _("Integrator (API client)")


# When a user holds several roles, the first in this order decides their workspace.
ROLE_PRIORITY = [
    Role.PARAMETER_ADMIN,
    Role.MANAGER,
    Role.REMOTE_AUTHORIZER,
    Role.BRANCH_SUPERVISOR,
    Role.TELLER,
    Role.INTEGRATOR,
]

# Bank-wide roles see every branch; the others see their own unit's subtree only.
KERNEL_ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.TELLER: [],
    Role.BRANCH_SUPERVISOR: [],
    Role.REMOTE_AUTHORIZER: ["bankcore.view_all_branches"],
    Role.MANAGER: [],
    Role.PARAMETER_ADMIN: ["bankcore.view_all_branches"],
    Role.INTEGRATOR: ["bankcore.view_all_branches"],
}


def role_permissions() -> dict[str, set[str]]:
    """Every role with the full set of permissions the kernel and the apps give it."""
    merged: dict[str, set[str]] = {
        role: set(perms) for role, perms in KERNEL_ROLE_PERMISSIONS.items()
    }
    for config in django_apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            merged.setdefault(role, set()).update(perms)
    return merged


class UnknownRolePermission(LookupError):
    pass


def roles_sync(*, strict: bool = True) -> None:
    """Create the role groups and give each exactly its permissions (idempotent).

    With strict=False, permissions that do not exist yet are skipped: post_migrate runs app
    by app, and a later app's permissions appear only once that app has migrated."""
    from django.contrib.auth.models import Group

    wanted = role_permissions()
    existing = _permissions_by_name(set().union(*wanted.values()))
    for role, perms in wanted.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(perms, existing, strict=strict))


def _permissions_by_name(names: Iterable[str]) -> dict:
    """The existing permissions among `names` ("app_label.codename"), in one query."""
    from django.contrib.auth.models import Permission

    codenames = {name.split(".", 1)[1] for name in names}
    return {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.filter(codename__in=codenames).select_related(
            "content_type"
        )
    }


def _permissions(names: Iterable[str], existing: dict, *, strict: bool) -> list:
    found = []
    for name in sorted(names):
        permission = existing.get(name)
        if permission is None and strict:
            raise UnknownRolePermission(f"Role permission {name} does not exist.")
        if permission is not None:
            found.append(permission)
    return found


def roles_sync_after_migrate(sender, **kwargs) -> None:
    """post_migrate is sent once per app: the roles are synced after the last one, when every
    app's permissions exist (a test database's flush sends it too, after every transactional
    test)."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if with_models and sender is not with_models[-1]:
        return
    roles_sync(strict=False)


def user_roles(user) -> list[str]:
    """The user's roles, most important first (see ROLE_PRIORITY)."""
    if not user.is_authenticated:
        return []
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return [role for role in ROLE_PRIORITY if role in names]


def user_has_role(user, role: str) -> bool:
    return role in user_roles(user)


def user_primary_role(user) -> str | None:
    roles = user_roles(user)
    return roles[0] if roles else None
