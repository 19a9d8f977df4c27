from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bankcore.navigation import NavItem

# Read access to every layer of a customer (history included).
_VIEW = [
    "customers.view_customer",
    "customers.view_customerdocument",
    "customers.view_contactchannel",
    "customers.view_address",
    "customers.view_customerrelationship",
    "customers.view_extensionvalue",
    "customers.view_customerchange",
    "customers.view_customerstatuschange",
]
_STAFF_WRITE = [
    *_VIEW,
    "customers.add_customer",
    "customers.change_customer",
    "customers.add_customerdocument",
    "customers.add_contactchannel",
    "customers.delete_contactchannel",
    "customers.add_address",
    "customers.delete_address",
    "customers.add_customerrelationship",
    "customers.delete_customerrelationship",
    "customers.change_extensionvalue",
    "customers.add_customerstatuschange",
]


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Customers")
    default_auto_field = "django.db.models.BigAutoField"

    # Tellers and supervisors create and edit customers of their branch subtree; integrators
    # do the same through the API (bank-wide); managers and authorizers look; parameter
    # administrators maintain the parameter tables and the extension attributes.
    role_permissions = {
        "teller": _STAFF_WRITE,
        # A status change (close, reopen) waits for a second person: a branch supervisor.
        "branch_supervisor": [*_STAFF_WRITE, "customers.approve_customerstatuschange"],
        "integrator": _STAFF_WRITE,
        "manager": _VIEW,
        "remote_authorizer": _VIEW,
        "parameter_admin": [
            "customers.view_customer",
            "customers.view_extensionattribute",
            "customers.add_extensionattribute",
            "customers.change_extensionattribute",
            "customers.view_documenttype",
            "customers.view_industrycode",
        ],
    }
    navigation = [
        NavItem(
            _("Customers"),
            "customers:search",
            ("teller", "branch_supervisor", "manager", "remote_authorizer", "parameter_admin"),
            "people",
            10,
        ),
        NavItem(
            _("Customer attributes"),
            "customers:extension-attributes",
            ("parameter_admin",),
            "ui-checks",
            60,
        ),
    ]
    workspaces = {"teller": "customers:search"}

    def ready(self) -> None:
        from bankcore.ports import connect_customer_summary
        from customers.selectors import customer_summary

        connect_customer_summary(customer_summary)
