import pytest

from bankcore.models import User
from bankcore.roles import Role
from bankcore.scoping import scope_queryset, user_can_see_unit, visible_units


def codes(units) -> set[str]:
    return {unit.code for unit in units}


@pytest.mark.django_db
def test_outlet_teller_sees_only_their_outlet(teller):
    assert codes(visible_units(teller)) == {"BJ01"}


@pytest.mark.django_db
def test_branch_manager_sees_the_branch_subtree(make_user):
    manager = make_user(Role.MANAGER, "BJ")
    assert codes(visible_units(manager)) == {"BJ", "BJ01", "BJ02"}


@pytest.mark.django_db
def test_head_office_manager_sees_every_unit(manager, org):
    assert codes(visible_units(manager)) == set(org)


@pytest.mark.django_db
def test_remote_authorizer_sees_all_branches_by_role(authorizer, org):
    assert codes(visible_units(authorizer)) == set(org)


@pytest.mark.django_db
def test_scoped_queryset_hides_other_branches_rows(make_user, teller):
    make_user(Role.TELLER, "BJ02", username="neighbour")
    make_user(Role.TELLER, "SH01", username="shanghai")
    visible = scope_queryset(User.objects.all(), teller, unit_field="org_unit")
    assert set(visible.values_list("username", flat=True)) == {"teller"}


@pytest.mark.django_db
def test_single_object_check_follows_the_subtree(make_user, org):
    supervisor = make_user(Role.BRANCH_SUPERVISOR, "BJ")
    assert user_can_see_unit(supervisor, org["BJ02"])
    assert not user_can_see_unit(supervisor, org["SH01"])
    assert not user_can_see_unit(supervisor, org["HO"])


@pytest.mark.django_db
def test_user_without_unit_sees_nothing(make_user, org):
    lost = make_user(Role.TELLER, "BJ01")
    lost.org_unit = None
    lost.save()
    assert not visible_units(lost).exists()
    assert not scope_queryset(User.objects.all(), lost, unit_field="org_unit").exists()
