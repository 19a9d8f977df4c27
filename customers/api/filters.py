"""Filters of the customers API's lists (django-filter FilterSets). Unknown query parameters
and invalid values are refused by the kernel's StrictFilterBackend."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, CustomerStatus, CustomerType
from customers.validation import customer_no_is_well_formed


def _validate_customer_no(value: str) -> None:
    if not customer_no_is_well_formed(value.strip()):
        raise ValidationError(
            _("This is not a valid customer number (12 digits with a check digit).")
        )


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class CustomerFilterSet(django_filters.FilterSet):
    customer_no = django_filters.CharFilter(
        field_name="customer_no",
        validators=[_validate_customer_no],
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

    def filter_document_number(self, queryset, name, value):
        return queryset.filter(documents__number=value.strip().upper()).distinct()

    def filter_name(self, queryset, name, value):
        return queryset.name_contains(value.strip())
