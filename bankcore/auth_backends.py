"""Django's ModelBackend with a user's permissions read in one prepared statement.

Why: the evaluate endpoint asks for the caller's permission on every request (a role taken
away stops it at once), and scoping asks again (`bankcore.view_all_branches`). Django's
ModelBackend reads the permissions in two ORM queries (the user's own, then their groups'),
built and compiled for every request: about 0.9 ms of CPU per request on SQLite, several
times what evaluating the transaction costs (bench/bench_evaluate.py, issue 15). Here the
same permissions are one UNION ALL, compiled once per connection (bankcore.prepared) and run
through Django's cursor, so query counts and logs still see it.

What is answered is exactly what ModelBackend answers: nothing for an inactive or anonymous
user or for an object, every permission for an active superuser (ModelBackend's own path),
and the union of the user's and their groups' permissions otherwise, kept on the user
object for the rest of the request under the attribute ModelBackend uses (`_perm_cache`),
so that deleting it or reloading the user reads them again, as with Django's backend.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import QuerySet

from bankcore import prepared
from bankcore.prepared import Param


def _permissions_of() -> QuerySet:
    names = ("content_type__app_label", "codename")
    user_field = get_user_model()._meta.pk
    # Permission has a default ordering, which a UNION's parts may not carry.
    own = Permission.objects.filter(user=Param("user", user_field)).order_by()
    via_groups = Permission.objects.filter(group__user=Param("user", user_field)).order_by()
    # UNION ALL: the answer is a set, made in Python; the database need not sort the rows to
    # drop duplicates (a permission held twice, e.g. through two groups).
    return own.values_list(*names).union(via_groups.values_list(*names), all=True)


class PermissionsInOneQueryBackend(ModelBackend):
    """ModelBackend whose `get_all_permissions` reads the user's and groups' permissions in
    one prepared statement (see the module docstring)."""

    def get_all_permissions(self, user_obj, obj=None):
        if (
            not user_obj.is_active
            or user_obj.is_anonymous
            or obj is not None
            or user_obj.is_superuser
        ):
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in prepared.rows(
                    "auth.permissions", _permissions_of, {"user": user_obj}
                )
            }
        return user_obj._perm_cache
