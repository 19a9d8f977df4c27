"""Errors: the domain exception base and the one place they become an API error body.

Every API 4xx answers `{"error": {"code": ..., "message": ..., "fields": {...}}}`.
Services raise a DomainError subclass defined beside them; pages turn the same exceptions
into form errors with `form_add_domain_error`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class DomainError(Exception):
    """A business rule said no. Subclasses set `code` and `http_status`."""

    code = "invalid"
    http_status = status.HTTP_400_BAD_REQUEST
    default_message = gettext_lazy("The request breaks a business rule.")

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(self.message)


class NotFound(DomainError):
    code = "not_found"
    http_status = status.HTTP_404_NOT_FOUND
    default_message = gettext_lazy("Not found.")


class Conflict(DomainError):
    code = "conflict"
    http_status = status.HTTP_409_CONFLICT
    default_message = gettext_lazy("The request conflicts with the current state.")


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail: Any) -> Any:
    """DRF error details → plain lists of messages, nested per field."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [str(item) for item in detail]
        return [_flatten(item) for item in detail]
    return [str(detail)]


def _validation_response(detail: Any) -> Response:
    fields = _flatten(detail) if isinstance(detail, dict) else {}
    non_field = fields.pop("non_field_errors", None) if isinstance(fields, dict) else None
    if non_field:
        message = " ".join(non_field)
    elif isinstance(detail, list):
        message = " ".join(str(item) for item in detail)
    else:
        message = _("Some fields are invalid.")
    return Response(error_body("invalid", message, fields), status=status.HTTP_400_BAD_REQUEST)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return _validation_response(detail)
    if isinstance(exc, drf_exceptions.ValidationError):
        return _validation_response(exc.detail)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: logged, and answered by handler500
    if isinstance(exc, drf_exceptions.APIException):
        detail = exc.detail
        code = (
            exc.get_codes() if not isinstance(exc.get_codes(), (dict, list)) else exc.default_code
        )
        message = detail if isinstance(detail, str) else exc.default_detail
        response.data = error_body(str(code), str(message))
    return response


def json_error_response(code: str, message: str, http_status: int) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=http_status)


def form_add_domain_error(form, error: DomainError) -> None:
    """Show a service's DomainError next to the fields it names, or at the top of the form."""
    placed = False
    for field, messages in error.fields.items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
