"""Reads of accounts for this app's pages and API, and what an opening on a product may choose."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from bankcore.scoping import scope_queryset
from products.models import Account, ParameterDefinition, PrincipleLevel, Product, ProductStatus
from products.parameters import display
from products.selectors.catalogue import product_settings
from products.selectors.errors import AccountNotFound


def account_list(
    *, user, customer_no: str | None = None, product_code: str | None = None
) -> QuerySet:
    """Accounts the user may see (opening branch within their subtree)."""

    queryset = Account.objects.select_related("product", "product_version", "branch").order_by(
        "-opened_at", "-pk"
    )
    if customer_no:
        queryset = queryset.filter(customer_no=customer_no)
    if product_code:
        queryset = queryset.filter(product__product_code=product_code)
    return scope_queryset(queryset, user, unit_field="branch")


def account_detail(*, user, account_no: str):
    """Raises AccountNotFound (also when the account is outside the user's scope)."""
    account = account_list(user=user).filter(account_no=account_no).first()
    if account is None:
        raise AccountNotFound(fields={"account_no": [AccountNotFound.default_message]})
    return account


@dataclass(frozen=True, slots=True)
class AccountParameterRow:
    code: str
    label: str
    zone: str
    value: str  # display text
    negotiated: bool


def account_parameter_rows(*, account) -> list[AccountParameterRow]:
    """The account's resolved parameters with their labels, in zone order (one query)."""
    definitions = ParameterDefinition.objects.filter(
        code__in=list(account.parameter_values)
    ).order_by("zone", "sort_order", "code")
    return [
        AccountParameterRow(
            code=definition.code,
            label=definition.label,
            zone=definition.get_zone_display(),
            value=display(definition, account.parameter_values[definition.code]),
            negotiated=definition.code in account.negotiated_parameters,
        )
        for definition in definitions
    ]


# --- The open-account form: what a product offers an opening -------------------------------


@dataclass(frozen=True)
class OpeningTerms:
    """What an opening on one active product may choose: the currencies, channels and media
    its usage controls allow (None: any), and its overridable (default-level) parameters."""

    product_code: str
    name: str
    currencies: list[str] | None
    channels: list[str] | None
    media: list[str] | None
    overridable: list  # ProductParameter rows (with their definition) an opening may set


def _allowed(settings: dict, code: str) -> list[str] | None:
    setting = settings.get(code)
    if setting is None or not setting.value:
        return None
    return [value for value in setting.value.split(",") if value]


def account_opening_terms(*, product_code: str) -> OpeningTerms | None:
    """The terms of the active product `product_code` (None: no such active product)."""
    product = (
        Product.objects.select_related("active_version")
        .filter(product_code=product_code, status=ProductStatus.ACTIVE)
        .first()
    )
    if product is None or product.active_version is None:
        return None
    settings = product_settings(version=product.active_version)
    overridable = [
        setting
        for setting in settings.values()
        if setting.principle_level == PrincipleLevel.DEFAULT
        and setting.definition.principle_level != PrincipleLevel.SYSTEM
    ]
    return OpeningTerms(
        product_code=product.product_code,
        name=product.name,
        currencies=_allowed(settings, "allowed_currencies"),
        channels=_allowed(settings, "allowed_channels"),
        media=_allowed(settings, "allowed_media"),
        overridable=overridable,
    )
