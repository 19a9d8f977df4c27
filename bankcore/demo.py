"""Demo organisation and one user per role. Called by `manage.py seed_demo`."""

from django.conf import settings

from bankcore.models import OrgUnitKind
from bankcore.roles import Role, roles_sync
from bankcore.services import org_unit_ensure, user_ensure

ORGANISATION = [
    # code, name, kind, parent code
    ("HO", "Head Office", OrgUnitKind.HEAD_OFFICE, None),
    ("BJ", "Beijing Branch", OrgUnitKind.BRANCH, "HO"),
    ("BJ01", "Beijing Chaoyang Sub-branch", OrgUnitKind.OUTLET, "BJ"),
    ("BJ02", "Beijing Haidian Sub-branch", OrgUnitKind.OUTLET, "BJ"),
    ("SH", "Shanghai Branch", OrgUnitKind.BRANCH, "HO"),
    ("SH01", "Shanghai Pudong Sub-branch", OrgUnitKind.OUTLET, "SH"),
    ("SH02", "Shanghai Jing'an Sub-branch", OrgUnitKind.OUTLET, "SH"),
    ("RAC", "Remote Authorization Center", OrgUnitKind.AUTHORIZATION_CENTER, "HO"),
]

USERS = [
    # username, first name, last name, unit, roles, authorization level
    ("teller1", "Li", "Na", "BJ01", [Role.TELLER], None),
    ("supervisor1", "Wang", "Fang", "BJ01", [Role.BRANCH_SUPERVISOR], 1),
    ("authorizer1", "Zhang", "Wei", "RAC", [Role.REMOTE_AUTHORIZER], 1),
    ("authorizer2", "Liu", "Yang", "RAC", [Role.REMOTE_AUTHORIZER], 2),
    ("authorizer3", "Chen", "Jing", "RAC", [Role.REMOTE_AUTHORIZER], 3),
    ("manager1", "Zhao", "Min", "HO", [Role.MANAGER], None),
    ("paramadmin1", "Sun", "Hao", "HO", [Role.PARAMETER_ADMIN], None),
    # A second one: parameter changes are proposed by one and approved by another.
    ("paramadmin2", "Zhou", "Lan", "HO", [Role.PARAMETER_ADMIN], None),
    ("integrator1", "Counter", "System", "HO", [Role.INTEGRATOR], None),
]


def seed(*, stdout) -> None:
    roles_sync()
    units = {}
    for code, name, kind, parent_code in ORGANISATION:
        units[code] = org_unit_ensure(
            code=code, name=name, kind=kind, parent=units.get(parent_code)
        )
    password = settings.DEMO_PASSWORD
    stdout.write(f"Demo users (password: {password}):")
    for username, first, last, unit_code, roles, level in USERS:
        user_ensure(
            username=username,
            password=password,
            org_unit=units[unit_code],
            roles=roles,
            first_name=first,
            last_name=last,
            authorization_level=level,
        )
        level_text = f", level {level}" if level else ""
        role_text = ", ".join(str(Role(role).label) for role in roles)
        stdout.write(f"  {username:<12} {role_text}{level_text} @ {units[unit_code]}")
    user_ensure(
        username="admin", password=password, org_unit=units["HO"], roles=[], is_superuser=True
    )
    stdout.write(f"  {'admin':<12} superuser (Django admin at /admin/)")
