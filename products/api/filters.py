"""Filters of the products API's lists (django-filter FilterSets). Unknown query parameters
and invalid values are refused by the kernel's StrictFilterBackend."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from products.models import Account, AccountStatus, ParameterDefinition, Product, ProductStatus


class ProductFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProductStatus.choices)
    line = django_filters.CharFilter(
        field_name="line__code", max_length=40, help_text=_("Product line code, e.g. time_deposit.")
    )

    class Meta:
        model = Product
        fields: list[str] = []


class ParameterDefinitionFilterSet(django_filters.FilterSet):
    line = django_filters.CharFilter(
        method="filter_line", max_length=40, help_text=_("Only parameters offered to this line.")
    )

    class Meta:
        model = ParameterDefinition
        fields: list[str] = []

    def filter_line(self, queryset, name, value):
        return queryset.filter(Q(lines__code=value) | Q(lines__isnull=True)).distinct()


class AccountFilterSet(django_filters.FilterSet):
    customer_no = django_filters.CharFilter(field_name="customer_no", max_length=32)
    product_code = django_filters.CharFilter(field_name="product__product_code", max_length=40)
    status = django_filters.ChoiceFilter(choices=AccountStatus.choices)

    class Meta:
        model = Account
        fields: list[str] = []
