"""Reads of the catalogue: parameter definitions, product lines, templates, a version's
settings, and the plain choice lists other apps offer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from products.models import (
    ParameterDefinition,
    Product,
    ProductLine,
    ProductParameter,
    ProductTemplate,
    TemplateParameter,
)
from products.selectors.errors import ParameterDefinitionNotFound, ProductTemplateNotFound


def product_settings(*, version) -> dict:
    """code → ProductParameter (with its definition) of one version, in zone order."""

    rows = (
        ProductParameter.objects.filter(version=version)
        .select_related("definition")
        .order_by("definition__zone", "definition__sort_order", "definition__code")
    )
    return {row.definition.code: row for row in rows}


def _count_of(model, *, field: str = "pk"):
    rows = (
        model.objects.filter(definition=OuterRef("pk"))
        .order_by()
        .values("definition")
        .annotate(n=Count(field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def parameter_catalogue(*, zone: str | None = None) -> QuerySet:
    """Parameter definitions with their lines and how many products and templates set them
    (`product_count`, `template_count`), in zone order: one query plus one for the lines."""
    queryset = (
        ParameterDefinition.objects.prefetch_related("lines")
        .annotate(
            product_count=_count_of(ProductParameter, field="version__product"),
            template_count=_count_of(TemplateParameter),
        )
        .order_by("zone", "sort_order", "code")
    )
    if zone:
        queryset = queryset.filter(zone=zone)
    return queryset


def parameter_definition_get(*, code: str):
    """One catalogue row with its usage counts. Raises ParameterDefinitionNotFound."""
    definition = parameter_catalogue().filter(code=code).first()
    if definition is None:
        raise ParameterDefinitionNotFound(
            fields={"code": [ParameterDefinitionNotFound.default_message]}
        )
    return definition


def product_template_get(*, code: str):
    """One template with its presets. Raises ProductTemplateNotFound."""
    template = product_template_list().filter(code=code).first()
    if template is None:
        raise ProductTemplateNotFound(fields={"code": [ProductTemplateNotFound.default_message]})
    return template


def parameter_definition_list(*, line_code: str | None = None) -> QuerySet:

    queryset = ParameterDefinition.objects.prefetch_related("lines").order_by(
        "zone", "sort_order", "code"
    )
    if line_code:
        queryset = queryset.filter(Q(lines__code=line_code) | Q(lines__isnull=True)).distinct()
    return queryset


def product_line_list() -> QuerySet:

    return ProductLine.objects.order_by("sort_order", "line_code")


def product_template_list() -> QuerySet:

    return (
        ProductTemplate.objects.select_related("line")
        .prefetch_related(
            Prefetch(
                "parameters",
                queryset=TemplateParameter.objects.select_related("definition").order_by(
                    "definition__zone", "definition__sort_order", "definition__code"
                ),
            )
        )
        .order_by("line__sort_order", "code")
    )


@dataclass(frozen=True, slots=True)
class ProductChoice:
    """A product or a product line as a choice list offers it."""

    code: str
    name: str  # in the active language


def product_choices() -> list[ProductChoice]:
    """Every product by code, nothing counted (one query): the plain list a choice of
    products (the authorization condition builder's) offers."""
    return [
        ProductChoice(code=product.product_code, name=product.name)
        for product in Product.objects.order_by("product_code")
    ]


def product_line_choices() -> list[ProductChoice]:
    """Every product line in its display order (one query)."""
    return [ProductChoice(code=line.code, name=line.name) for line in product_line_list()]
