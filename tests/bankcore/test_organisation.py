import pytest
from django.db import IntegrityError, transaction

from bankcore.models import OrgUnit, OrgUnitKind
from bankcore.roles import UnknownRolePermission, role_permissions, roles_sync
from bankcore.services import org_unit_save


@pytest.mark.django_db
def test_moving_a_branch_moves_its_whole_subtree(org):
    bj = org["BJ"]
    bj.parent = org["SH"]
    org_unit_save(unit=bj)
    assert OrgUnit.objects.get(code="BJ01").path == "/HO/SH/BJ/BJ01/"
    assert set(OrgUnit.objects.subtree_of(org["SH"]).values_list("code", flat=True)) == {
        "SH",
        "SH01",
        "BJ",
        "BJ01",
        "BJ02",
    }


@pytest.mark.django_db
def test_a_unit_cannot_be_placed_under_its_own_subtree(org):
    bj = org["BJ"]
    bj.parent = org["BJ01"]
    with pytest.raises(ValueError):
        org_unit_save(unit=bj)


@pytest.mark.django_db
def test_only_the_head_office_has_no_parent(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(
            code="ORPHAN", name="Orphan", kind=OrgUnitKind.OUTLET, path="/ORPHAN/"
        )


@pytest.mark.django_db
def test_every_permission_a_role_is_given_exists():
    roles_sync(strict=True)  # raises UnknownRolePermission on a typo in any app's role_permissions


@pytest.mark.django_db
def test_role_groups_carry_their_permissions():
    from django.contrib.auth.models import Group

    roles_sync()
    for role, perms in role_permissions().items():
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == perms


def test_unknown_role_permission_error_is_a_lookup_error():
    assert issubclass(UnknownRolePermission, LookupError)
