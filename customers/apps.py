from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bankcore.navigation import NavItem

_STAFF_WRITE = [
    "customers.view_customer",
    "customers.add_customer",
    "customers.change_customer",
    "customers.view_customerdocument",
    "customers.add_customerdocument",
    "customers.view_extensionvalue",
    "customers.change_extensionvalue",
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
        "branch_supervisor": _STAFF_WRITE,
        "integrator": _STAFF_WRITE,
        "manager": ["customers.view_customer", "customers.view_customerdocument"],
        "remote_authorizer": ["customers.view_customer", "customers.view_customerdocument"],
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
    ]
    workspaces = {"teller": "customers:search"}

    def ready(self) -> None:
        from bankcore.ports import connect_customer_summary
        from customers.selectors import customer_summary

        connect_customer_summary(customer_summary)
