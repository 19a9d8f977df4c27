"""Demo organisation and one user per role. Called by `manage.py seed_demo`."""

from django.conf import settings

from bankcore.models import OrgUnitKind
from bankcore.roles import Role, roles_sync
from bankcore.services import org_unit_ensure, user_ensure

ORGANISATION = [
    # code, name, Chinese name, kind, parent code
    ("HO", "Head Office", "总行", OrgUnitKind.HEAD_OFFICE, None),
    ("BJ", "Beijing Branch", "北京分行", OrgUnitKind.BRANCH, "HO"),
    ("BJ01", "Beijing Chaoyang Sub-branch", "北京朝阳支行", OrgUnitKind.OUTLET, "BJ"),
    ("BJ02", "Beijing Haidian Sub-branch", "北京海淀支行", OrgUnitKind.OUTLET, "BJ"),
    ("SH", "Shanghai Branch", "上海分行", OrgUnitKind.BRANCH, "HO"),
    ("SH01", "Shanghai Pudong Sub-branch", "上海浦东支行", OrgUnitKind.OUTLET, "SH"),
    ("SH02", "Shanghai Jing'an Sub-branch", "上海静安支行", OrgUnitKind.OUTLET, "SH"),
    ("RAC", "Remote Authorization Center", "远程授权中心", OrgUnitKind.AUTHORIZATION_CENTER, "HO"),
]

USERS = [
    # username, name (Chinese, family name first), unit, roles, authorization level
    ("teller1", "李娜", "BJ01", [Role.TELLER], None),
    ("supervisor1", "王芳", "BJ01", [Role.BRANCH_SUPERVISOR], 1),
    ("authorizer1", "张伟", "RAC", [Role.REMOTE_AUTHORIZER], 1),
    ("authorizer2", "刘洋", "RAC", [Role.REMOTE_AUTHORIZER], 2),
    ("authorizer3", "陈静", "RAC", [Role.REMOTE_AUTHORIZER], 3),
    ("manager1", "赵敏", "HO", [Role.MANAGER], None),
    ("paramadmin1", "孙浩", "HO", [Role.PARAMETER_ADMIN], None),
    # A second one: parameter changes are proposed by one and approved by another.
    ("paramadmin2", "周兰", "HO", [Role.PARAMETER_ADMIN], None),
    ("integrator1", "柜面系统", "HO", [Role.INTEGRATOR], None),
]


def seed(*, stdout) -> None:
    roles_sync()
    units = {}
    for code, name, name_zh, kind, parent_code in ORGANISATION:
        units[code] = org_unit_ensure(
            code=code, name=name, name_zh_hans=name_zh, kind=kind, parent=units.get(parent_code)
        )
    password = settings.DEMO_PASSWORD
    stdout.write(f"Demo users (password: {password}):")
    for username, full_name, unit_code, roles, level in USERS:
        user_ensure(
            username=username,
            password=password,
            org_unit=units[unit_code],
            roles=roles,
            # Chinese names are written whole, family name first (get_full_name shows them).
            first_name=full_name,
            last_name="",
            authorization_level=level,
        )
        level_text = f", level {level}" if level else ""
        role_text = ", ".join(str(Role(role).label) for role in roles)
        stdout.write(f"  {username:<12} {role_text}{level_text} @ {units[unit_code]}")
    user_ensure(
        username="admin", password=password, org_unit=units["HO"], roles=[], is_superuser=True
    )
    stdout.write(f"  {'admin':<12} superuser (Django admin at /admin/)")
