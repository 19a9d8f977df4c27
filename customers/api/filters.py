"""Filters of the customers API's lists (django-filter FilterSets). Unknown query parameters
and invalid values are refused by the kernel's StrictFilterBackend."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from bankcore.api.filters import PatternCharFilter
from customers.models import Customer, CustomerStatus, CustomerType
from customers.validation import customer_no_check

CUSTOMER_NO_PATTERN = r"^[129][0-9]{11}$"  # type digit + serial + check digit


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class CustomerFilterSet(django_filters.FilterSet):
    customer_no = PatternCharFilter(
        pattern=CUSTOMER_NO_PATTERN,
        method="filter_customer_no",
        help_text=_("12 digits with a check digit."),
    )
    customer_type = django_filters.ChoiceFilter(choices=CustomerType.choices)
    home_branch = django_filters.CharFilter(
        field_name="home_branch__code", max_length=20, help_text=_("Organisation unit code.")
    )
    vip_level = WholeNumberFilter(field_name="personal__vip_level", min_value=0, max_value=9)
    document_number = django_filters.CharFilter(method="filter_document_number", max_length=40)
    name = django_filters.CharFilter(
        method="filter_name", max_length=100, help_text=_("Name contains.")
    )
    status = django_filters.ChoiceFilter(choices=CustomerStatus.choices)

    class Meta:
        model = Customer
        fields: list[str] = []

    def filter_customer_no(self, queryset, name, value):
        # The check digit is a business rule: refused with its own error code.
        return queryset.filter(customer_no=customer_no_check(value))

    def filter_document_number(self, queryset, name, value):
        return queryset.filter(documents__number=value.strip().upper()).distinct()

    def filter_name(self, queryset, name, value):
        return queryset.name_contains(value.strip())
