from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bankcore.navigation import NavItem


class AuthorizationConfig(AppConfig):
    name = "authorization"
    verbose_name = _("Authorization")
    default_auto_field = "django.db.models.BigAutoField"

    role_permissions = {
        "teller": ["authorization.evaluate_transaction", "authorization.submit_request"],
        "branch_supervisor": [
            "authorization.evaluate_transaction",
            "authorization.submit_request",
            "authorization.review_request",
        ],
        "remote_authorizer": ["authorization.review_request"],
        "integrator": ["authorization.evaluate_transaction", "authorization.submit_request"],
        "parameter_admin": [
            "authorization.evaluate_transaction",
            "authorization.manage_rule_set",
        ],
    }
    navigation = [
        NavItem(
            _("Authorization rules"),
            "authorization:versions",
            # Managers read the versions (read-only); parameter administrators edit them.
            ("parameter_admin", "manager"),
            "diagram-3",
            40,
        ),
    ]

    def ready(self) -> None:
        from authorization.services.account_opening import account_opening_evaluate
        from authorization.services.requests import requests_connect
        from bankcore.ports import connect_account_opening_evaluator

        connect_account_opening_evaluator(account_opening_evaluate)
        requests_connect()
