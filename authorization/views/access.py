"""Who may see and edit the rule set: parameter administrators edit; managers may read."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from bankcore.roles import Role, user_has_role

MANAGE_PERMISSION = "authorization.manage_rule_set"


def user_can_manage_rule_set(user) -> bool:
    return user.has_perm(MANAGE_PERMISSION)


def user_can_read_rule_set(user) -> bool:
    return user_can_manage_rule_set(user) or user_has_role(user, Role.MANAGER)


def rule_set_admin_required(view):
    """Login, then the parameter administrator's permission (403 otherwise)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_can_manage_rule_set(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def rule_set_reader_required(view):
    """Login, then parameter administrator or manager (read-only) (403 otherwise)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_can_read_rule_set(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
