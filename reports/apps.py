from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bankcore.navigation import NavItem


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    role_permissions = {"manager": ["reports.view_reports"]}
    navigation = [
        NavItem(_("Dashboard"), "reports:dashboard", ("manager",), "bar-chart", 5),
        NavItem(_("Authorizer quality"), "reports:quality", ("manager",), "person-check", 6),
    ]
    # The manager's day starts on the dashboard (bankcore.navigation.workspace_url).
    workspaces = {"manager": "reports:dashboard"}
