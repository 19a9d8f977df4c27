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
        NavItem(
            _("My requests"),
            "authorization:requests-mine",
            ("teller",),
            "inbox",
            10,
            badge_url_name="authorization:requests-mine-badge",
        ),
        NavItem(_("New transaction"), "authorization:request-new", ("teller",), "plus-circle", 11),
        NavItem(
            _("Review queue"),
            "authorization:review-queue",
            ("remote_authorizer", "branch_supervisor"),
            "inboxes",
            10,
            badge_url_name="authorization:review-queue-badge",
        ),
    ]
    # Each role's home is its real work (bankcore.navigation.workspace_url); the teller's is
    # the customers app's search, with "My requests" and "New transaction" in the top bar.
    workspaces = {
        "branch_supervisor": "authorization:review-queue",
        "remote_authorizer": "authorization:review-queue",
    }

    def ready(self) -> None:
        from authorization.services.account_opening import account_opening_evaluate
        from authorization.services.requests import requests_connect
        from bankcore.ports import connect_account_opening_evaluator

        connect_account_opening_evaluator(account_opening_evaluate)
        requests_connect()
