"""Lists refuse what they do not understand.

`StrictFilterBackend` is the API's default filter backend (REST_FRAMEWORK's
DEFAULT_FILTER_BACKENDS), so every list view inherits it: the view's django-filter FilterSet
(`filterset_class`) filters the list, an invalid value of a filter is a 400 naming it, and a
query parameter that is neither a filter, nor the paginator's, nor named in the view's
`extra_query_parameters` is a 400 naming it (a misspelt or unsupported filter such as
`?is_interbank=true` must never silently answer the unfiltered list).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django_filters import CharFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework.exceptions import ValidationError


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        allowed = self.understood_parameters(request, queryset, view)
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError(
                {
                    name: [
                        _("Unknown query parameter; this list understands: %(names)s.")
                        % {"names": ", ".join(sorted(allowed)) or _("none")}
                    ]
                    for name in unknown
                }
            )
        return super().filter_queryset(request, queryset, view)

    def understood_parameters(self, request, queryset, view) -> set[str]:
        names = set(getattr(view, "extra_query_parameters", ()))
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            filterset = filterset_class(data={}, queryset=queryset, request=request)
            names.update(filterset.form.fields)
        paginator = getattr(view, "paginator", None)
        if paginator is not None:
            names.update(query_parameters_of(paginator))
        return names


def query_parameters_of(paginator) -> set[str]:
    return {
        name
        for name in (
            getattr(paginator, "page_query_param", None),
            getattr(paginator, "page_size_query_param", None),
            getattr(paginator, "limit_query_param", None),
            getattr(paginator, "offset_query_param", None),
            getattr(paginator, "cursor_query_param", None),
        )
        if name
    }


class PatternCharFilter(CharFilter):
    """A text filter whose values must match `pattern` (stated in the schema as well)."""

    def __init__(self, *args, pattern: str, **kwargs):
        self.pattern = pattern
        kwargs.setdefault("validators", [RegexValidator(pattern)])
        super().__init__(*args, **kwargs)


# What a filter's form field enforces, as OpenAPI keywords: the schema states every bound the
# list enforces, so a client generated from it never sends a value the list refuses.
_FIELD_BOUNDS = {
    "min_value": "minimum",
    "max_value": "maximum",
    "min_length": "minLength",
    "max_length": "maxLength",
}


class StrictFilterBackendScheme(DjangoFilterExtension):
    target_class = "bankcore.api.filters.StrictFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter.get("schema", {})
            for argument, keyword in _FIELD_BOUNDS.items():
                if filter_field.extra.get(argument) is not None:
                    schema[keyword] = filter_field.extra[argument]
            if isinstance(filter_field, PatternCharFilter):
                schema["pattern"] = filter_field.pattern
        return parameters
