"""Reads of products for this app's pages and API: the list, one product with its versions,
its events, a version diff, and the product picker."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from products.models import (
    Account,
    PrincipleLevel,
    Product,
    ProductComponent,
    ProductEvent,
    ProductParameter,
    ProductStatus,
    ProductVersion,
)
from products.parameters import bounds_text, display
from products.selectors.errors import ProductNotFound


def product_by_code(*, product_code: str) -> Product:
    """The product with its line and active version. Raises ProductNotFound (on the
    `product_code` field)."""
    product = (
        Product.objects.select_related("line", "active_version")
        .filter(product_code=product_code)
        .first()
    )
    if product is None:
        raise ProductNotFound(fields={"product_code": [ProductNotFound.default_message]})
    return product


def opening_version(*, product_code: str):
    """The version an opening on the product uses: the active one (version 1 while it is still a
    draft), with its product. Raises ProductNotFound."""
    product = product_by_code(product_code=product_code)
    version = product.active_version or product.versions.order_by("-number").first()
    version.product = product
    return version


def product_list(*, status: str | None = None, line_code: str | None = None) -> QuerySet:
    """Products with their line and active version; account counts annotated."""

    queryset = (
        Product.objects.select_related("line", "active_version", "template", "copied_from")
        .annotate(account_count=Count("accounts", distinct=True))
        .annotate(version_count=Count("versions", distinct=True))
        .order_by("product_code")
    )
    if status:
        queryset = queryset.filter(status=status)
    if line_code:
        queryset = queryset.filter(line__code=line_code)
    return queryset


def product_detail(*, product_code: str):
    """A product with its versions, each version's parameters, and its components, in a
    fixed number of queries. Raises ProductNotFound."""

    product = (
        product_list()
        .select_related("published_by", "publication_approved_by", "retired_by")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ProductVersion.objects.select_related("created_by", "approved_by")
                .prefetch_related(
                    Prefetch(
                        "parameters",
                        queryset=ProductParameter.objects.select_related("definition").order_by(
                            "definition__zone", "definition__sort_order", "definition__code"
                        ),
                    )
                )
                .order_by("number"),
            ),
            Prefetch(
                "components",
                queryset=ProductComponent.objects.select_related("component").order_by(
                    "sort_order", "component__product_code"
                ),
            ),
        )
        .filter(product_code=product_code)
        .first()
    )
    if product is None:
        raise ProductNotFound(fields={"product_code": [ProductNotFound.default_message]})
    return product


def product_events(*, product, limit: int = 50) -> list:
    """The product's lifecycle transitions, newest first, with who acted and who approved."""
    return list(
        ProductEvent.objects.filter(product=product)
        .select_related("acted_by", "approved_by", "version")
        .order_by("-occurred_at", "-id")[:limit]
    )


def product_version_of(*, product, number: int | None = None):
    """One version of a product loaded by `product_detail` (the latest when number is None)."""
    versions = list(product.versions.all())
    if number is None:
        return versions[-1] if versions else None
    for version in versions:
        if version.number == number:
            return version
    raise ProductNotFound(
        _("Product %(code)s has no version %(number)s.")
        % {"code": product.product_code, "number": number},
        fields={"version": [_("No version %(number)s.") % {"number": number}]},
    )


@dataclass(frozen=True, slots=True)
class ParameterDiff:
    code: str
    label: str
    zone: str
    left: str  # display text
    right: str
    changed: bool


def product_version_diff(*, product, left: int, right: int) -> list[ParameterDiff]:
    """Side-by-side comparison of two versions' parameters (value, level and bounds)."""

    def described(setting) -> str:
        if setting is None:
            return "—"
        text = display(setting.definition, setting.value)
        level = PrincipleLevel(setting.principle_level).label
        parts = [str(level)]
        definition = setting.definition
        if setting.free_min or setting.free_max:
            parts.append(
                _("free %(bounds)s")
                % {"bounds": bounds_text(definition, setting.free_min, setting.free_max)}
            )
        if setting.negotiable_min or setting.negotiable_max:
            parts.append(
                _("negotiable %(bounds)s")
                % {
                    "bounds": bounds_text(
                        definition, setting.negotiable_min, setting.negotiable_max
                    )
                }
            )
        suffix = f" [{'; '.join(parts)}]"
        return text + suffix

    left_rows = {
        p.definition.code: p
        for p in product_version_of(product=product, number=left).parameters.all()
    }
    right_rows = {
        p.definition.code: p
        for p in product_version_of(product=product, number=right).parameters.all()
    }
    codes = list(dict.fromkeys([*left_rows, *right_rows]))
    diffs = []
    for code in codes:
        definition = (left_rows.get(code) or right_rows.get(code)).definition
        left_text, right_text = described(left_rows.get(code)), described(right_rows.get(code))
        diffs.append(
            ParameterDiff(
                code=code,
                label=definition.label,
                zone=definition.zone,
                left=left_text,
                right=right_text,
                changed=left_text != right_text,
            )
        )
    return diffs


def product_has_accounts(*, product) -> bool:

    return Account.objects.filter(product=product).exists()


def product_pick(*, text: str, limit: int = 8) -> list:
    """Active products whose code or name (in either language) contains `text`."""
    text = text.strip()
    if not text:
        return []
    return list(
        Product.objects.filter(status=ProductStatus.ACTIVE)
        .filter(
            Q(product_code__startswith=text)
            | Q(name_en__icontains=text)
            | Q(name_zh_hans__icontains=text)
        )
        .order_by("product_code")[:limit]
    )
