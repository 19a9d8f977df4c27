"""Lists refuse what they do not understand.

`StrictFilterBackend` is the API's default filter backend (REST_FRAMEWORK's
DEFAULT_FILTER_BACKENDS), so every list view inherits it: the view's django-filter FilterSet
(`filterset_class`) filters the list, an invalid value of a filter is a 400 naming it, and a
query parameter that is neither a filter, nor the paginator's, nor named in the view's
`extra_query_parameters` is a 400 naming it (a misspelt or unsupported filter such as
`?is_interbank=true` must never silently answer the unfiltered list).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
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
