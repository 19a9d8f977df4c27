import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

_POSITIVE = re.compile(r"[1-9][0-9]{0,8}")
MAX_PAGE_NUMBER = 999_999_999


class StandardPagination(PageNumberPagination):
    """Pages of 50 (PAGE_SIZE), `page_size` up to 200. `page` and `page_size` must be whole
    numbers from 1 (page_size at most 200): anything else is a 400 naming the parameter,
    never a silent default. A page past the last is 404."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not _POSITIVE.fullmatch(raw):
            raise ValidationError({self.page_query_param: [_("A page number from 1.")]})
        return raw

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not _POSITIVE.fullmatch(raw) or int(raw) > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        """The bounds the API enforces, stated in the schema (a client generated from it never
        sends a page the API refuses)."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["schema"]["maximum"] = (
                self.max_page_size
                if parameter["name"] == self.page_size_query_param
                else MAX_PAGE_NUMBER
            )
        return parameters
