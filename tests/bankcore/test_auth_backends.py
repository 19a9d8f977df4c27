"""The permissions backend answers what Django's ModelBackend answers, in one query."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from bankcore.auth_backends import PermissionsInOneQueryBackend
from bankcore.roles import Role

pytestmark = pytest.mark.django_db
EVALUATE = "authorization.evaluate_transaction"
VIEW_ALL = "bankcore.view_all_branches"


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_own_and_group_permissions_are_those_django_reads(make_user):
    user = make_user(Role.INTEGRATOR, "HO")
    user.user_permissions.add(permission("customers.view_customer"))

    ours = PermissionsInOneQueryBackend().get_all_permissions(fresh(user))

    assert ours == ModelBackend().get_all_permissions(fresh(user))
    assert {EVALUATE, VIEW_ALL, "customers.view_customer"} <= ours


def test_both_questions_of_a_request_cost_one_query(make_user, django_assert_num_queries):
    user = fresh(make_user(Role.INTEGRATOR, "HO"))

    with django_assert_num_queries(1):
        assert user.has_perm(EVALUATE)
        assert user.has_perm(VIEW_ALL)
        assert not user.has_perm("authorization.change_rulesetversion")


def test_a_role_taken_away_counts_on_the_next_request(make_user):
    user = make_user(Role.INTEGRATOR, "HO")
    assert fresh(user).has_perm(EVALUATE)

    user.groups.clear()

    assert not fresh(user).has_perm(EVALUATE)


def test_an_inactive_user_holds_nothing_and_a_superuser_everything(make_user):
    inactive = make_user(Role.INTEGRATOR, "HO", is_active=False)
    superuser = make_user(None, "HO", is_superuser=True)

    assert not fresh(inactive).has_perm(EVALUATE)
    assert fresh(superuser).get_all_permissions() == ModelBackend().get_all_permissions(
        fresh(superuser)
    )


def test_a_permission_held_twice_is_answered_once_as_django_does(make_user):
    user = make_user(Role.INTEGRATOR, "HO")
    user.user_permissions.add(permission(EVALUATE))  # also given by the integrator role
    second_role = Group.objects.create(name="second role")
    second_role.permissions.add(permission(EVALUATE), permission(VIEW_ALL))
    user.groups.add(second_role)

    ours = PermissionsInOneQueryBackend().get_all_permissions(fresh(user))

    assert ours == ModelBackend().get_all_permissions(fresh(user))
    assert fresh(user).has_perm(EVALUATE)
