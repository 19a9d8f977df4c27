"""Navigation and workspaces by role.

Apps contribute through their AppConfig, so the kernel never imports them:
- `navigation = [NavItem(...), ...]`: entries in the top bar;
- `workspaces = {role: "url-name"}`: the page a role lands on after login (replacing the
  kernel's placeholder for that role).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as django_apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from bankcore.roles import Role, user_primary_role, user_roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]  # empty = every signed-in user
    icon: str = "circle"
    order: int = 50
    # A page answering a small count badge (e.g. requests waiting), polled by htmx; "" = none.
    badge_url_name: str = ""


# The brand in the top bar leads home, so "Home" needs no entry of its own.
KERNEL_NAVIGATION = [
    NavItem(_("API docs"), "api-docs", (Role.INTEGRATOR, Role.PARAMETER_ADMIN), "code-slash", 90),
]


def workspace_url_names() -> dict[str, str]:
    names = dict.fromkeys(Role.values, "workspace")
    for config in django_apps.get_app_configs():
        names.update(getattr(config, "workspaces", {}))
    return names


def workspace_url(user) -> str:
    """Where `user` starts their day: their primary role's workspace."""
    role = user_primary_role(user)
    if role is None:
        # A superuser without a role administers the system: their home is the admin site.
        return reverse("admin:index") if user.is_superuser else reverse("no-role")
    name = workspace_url_names()[role]
    return reverse(name, kwargs={"role": role}) if name == "workspace" else reverse(name)


def navigation_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    roles = set(user_roles(user))
    items = list(KERNEL_NAVIGATION)
    for config in django_apps.get_app_configs():
        items.extend(getattr(config, "navigation", []))
    entries = []
    for item in sorted(items, key=lambda item: item.order):
        if item.roles and not (roles & set(item.roles)) and not user.is_superuser:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        badge_url = ""
        if item.badge_url_name:
            try:
                badge_url = reverse(item.badge_url_name)
            except NoReverseMatch:
                badge_url = ""
        entries.append({"label": item.label, "url": url, "icon": item.icon, "badge_url": badge_url})
    return entries


def navigation_context(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_roles": []}
    return {
        "nav_items": navigation_for(user),
        "nav_roles": [Role(role).label for role in user_roles(user)],
    }
