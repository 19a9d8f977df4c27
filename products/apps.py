from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bankcore.navigation import NavItem

_VIEW = ["products.view_product", "products.view_producttemplate", "products.view_account"]


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Products")
    default_auto_field = "django.db.models.BigAutoField"

    # Parameter administrators run the product factory; tellers (and integrators, for the
    # channels) open accounts; the other roles read.
    role_permissions = {
        "parameter_admin": [
            *_VIEW,
            "products.add_product",
            "products.change_product",
            "products.publish_product",
            "products.add_producttemplate",
            "products.change_producttemplate",
            "products.view_parameterdefinition",
            "products.add_parameterdefinition",
            "products.change_parameterdefinition",
        ],
        "teller": [*_VIEW, "products.add_account"],
        "integrator": [*_VIEW, "products.add_account", "products.view_parameterdefinition"],
        "branch_supervisor": [*_VIEW, "products.add_account"],
        "remote_authorizer": _VIEW,
        "manager": _VIEW,
    }
    workspaces = {"parameter_admin": "products:list"}
    navigation = [
        NavItem(
            _("Products"),
            "products:list",
            ("parameter_admin", "teller", "branch_supervisor", "manager"),
            "box-seam",
            30,
        ),
        NavItem(
            _("Open account"),
            "products:account-open",
            ("teller", "branch_supervisor"),
            "folder-plus",
            31,
        ),
    ]

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from bankcore.ports import connect_customer_accounts
        from products.facade import names_changed
        from products.models import Product, ProductLine
        from products.selectors import customer_accounts

        connect_customer_accounts(customer_accounts)

        def announce(**_kwargs) -> None:
            names_changed.send(sender=self.__class__)

        for model in (Product, ProductLine):
            uid = f"products.names_changed.{model._meta.model_name}"
            post_save.connect(announce, sender=model, weak=False, dispatch_uid=f"{uid}.save")
            post_delete.connect(announce, sender=model, weak=False, dispatch_uid=f"{uid}.delete")
