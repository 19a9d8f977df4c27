"""The OpenAPI schema tells the truth about errors (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS).

Every operation documents the standard error answers it can give, with the one error body of
the API (`{"error": {"code", "message", "fields"}}`, bankcore/errors.py), so a new endpoint
inherits them without listing them:

- 400 when it takes a body, query or path parameters, or is a list (unknown query parameters);
- 401 and 403 when it needs a signed-in caller (no or an expired token; a role that may not);
- 404 when it names an object in its path or its body (unknown, or outside the caller's
  scope), or is a paginated list (a page past the last);
- 409 on a write (the state does not allow it; a duplicate Idempotency-Key in flight);
- 415 when it takes a body (JSON only, or multipart where the view takes uploads);
- 422 when it takes an Idempotency-Key (the same key with a different body);
- 429 when it is throttled, or checks a password (lockout after repeated failures).

A view's own `responses` (with its own descriptions) win; an error status it documents
without a body gets the error body. A serializer that refuses unknown fields
(StrictFieldsMixin) says so in its request schema (`additionalProperties: false`).
"""

from __future__ import annotations

import inspect

from django.core.validators import RegexValidator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from bankcore.api.serializers import StrictFieldsMixin

_STRICT_DOC = inspect.cleandoc(StrictFieldsMixin.__doc__ or "")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

STANDARD_ERRORS = {
    "400": "Invalid input: the body, a query or a path parameter (`error.fields` names them), "
    "or a business rule refused it (`error.code` says which).",
    "401": "No token, or an invalid or expired one.",
    "403": "Your role may not do this.",
    "404": "No such object within your scope (or a page past the last).",
    "409": "The current state does not allow this (or the same Idempotency-Key is in flight).",
    "415": "Unsupported body media type (the API takes JSON).",
    "422": "The Idempotency-Key was used before with a different body.",
    "429": "Too many requests: try again later.",
}


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        help_text="Messages per field (lists of strings, nested per field)."
    )


class ErrorResponseSerializer(serializers.Serializer):
    """The one error body of the API (bankcore.errors.error_body)."""

    error = ErrorDetailSerializer()


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if isinstance(serializer, StrictFieldsMixin):
            if direction == "request":
                schema["additionalProperties"] = False
            # The mixin's docstring is no description of the serializer's body.
            if schema.get("description") == _STRICT_DOC:
                del schema["description"]
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # A list that may not be empty (allow_empty=False) says so.
        if (
            direction == "request"
            and getattr(field, "allow_empty", True) is False
            and isinstance(field, (serializers.ListField, serializers.ListSerializer))
            and schema.get("type") == "array"
        ):
            schema.setdefault("minItems", 1)
        # A text field that trims and may not be blank needs a character that is not a space.
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and field.trim_whitespace
            and not field.allow_blank
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & set(schema)
            and not any(isinstance(v, RegexValidator) for v in field.validators)
        ):
            # (Python's strip() also takes \x1c-\x1f and \x85 for spaces; a JSON Schema's \s does not.)
            schema["pattern"] = r"[^\s\u001c-\u001f\u0085]"
        if direction == "request" and not getattr(field, "allow_null", False):
            # Any JSON value but null (a JSONField refuses null unless allow_null).
            if isinstance(field, serializers.JSONField) and not {"type", "$ref"} & set(schema):
                schema["anyOf"] = [
                    {"type": kind} for kind in ("string", "number", "boolean", "object")
                ] + [{"type": "array", "items": {}}]
            # An upload must carry bytes (allow_empty_file is off by default).
            if isinstance(field, serializers.FileField) and not field.allow_empty_file:
                schema.setdefault("minLength", 1)
        return schema

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            # A required query parameter must not be empty: Django's forms (and django-filter)
            # take an empty value for a missing one.
            if (
                parameter["in"] == "query"
                and parameter.get("required")
                and schema.get("type") == "string"
            ):
                schema.setdefault("minLength", 1)
            # Django's <int:...> converter matches digits only.
            if parameter["in"] == "path" and schema.get("type") == "integer":
                schema.setdefault("minimum", 0)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = self._get_response_for_code(ErrorResponseSerializer, "400")["content"]
        for code in self.standard_error_codes():
            responses.setdefault(code, {"description": STANDARD_ERRORS[code]})
        for code, response in responses.items():
            if code.startswith("4") and not response.get("content"):
                response["content"] = error
            if code in STANDARD_ERRORS and not response.get("description"):
                response["description"] = STANDARD_ERRORS[code]
        return dict(sorted(responses.items()))

    def standard_error_codes(self) -> list[str]:
        parameters = self._get_parameters()
        locations = {parameter["in"] for parameter in parameters}
        has_body = self.method in WRITE_METHODS and bool(self._get_request_body())
        is_list = self.method == "GET" and self._is_list_view()
        paginated = is_list and self._get_paginator() is not None
        needs_sign_in = not all(
            isinstance(permission, AllowAny) for permission in self.view.get_permissions()
        )
        codes = []
        if has_body or is_list or locations & {"query", "path", "header"}:
            codes.append("400")
        if needs_sign_in:
            codes += ["401", "403"]
        if "path" in locations or paginated or (has_body and needs_sign_in):
            codes.append("404")
        if self.method in WRITE_METHODS and needs_sign_in:
            codes.append("409")
        if has_body:
            codes.append("415")
        if any(parameter["name"] == "Idempotency-Key" for parameter in parameters):
            codes.append("422")
        if self.view.get_throttles() or (has_body and self.checks_a_password()):
            codes.append("429")
        return codes

    def checks_a_password(self) -> bool:
        """A body with a password (a token request, a supervisor's on-site sign-off) counts
        failures towards the user's lockout: 429 when locked."""
        serializer = self.get_request_serializer()
        if isinstance(serializer, type) and issubclass(serializer, serializers.BaseSerializer):
            serializer = serializer()
        fields = getattr(serializer, "fields", None)
        return hasattr(fields, "keys") and any(name.endswith("password") for name in fields)
