"""What the products app's reads answer when nothing has the code or number asked for."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from bankcore.errors import DomainError


class ProductNotFound(DomainError):
    code = "product_not_found"
    http_status = 404
    default_message = gettext_lazy("No product has this product code.")


class AccountNotFound(DomainError):
    code = "account_not_found"
    http_status = 404
    default_message = gettext_lazy("No account has this account number.")


class ParameterDefinitionNotFound(DomainError):
    code = "parameter_definition_not_found"
    http_status = 404
    default_message = gettext_lazy("No parameter has this code.")


class ProductTemplateNotFound(DomainError):
    code = "product_template_not_found"
    http_status = 404
    default_message = gettext_lazy("No template has this code.")
