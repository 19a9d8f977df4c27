"""Rules that bind a product's parameters to each other, and what publishing checks."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from products.models import DataType, ParameterDefinition, ProductVersion
from products.parameters import compare
from products.selectors import product_settings


def binding_rule_errors(*, settings: dict) -> dict[str, list[str]]:
    """Rules that bind parameters to each other (code → setting row or dict with
    `definition` and `value`). Amounts are never converted between currencies: a minimum
    binds openings in the currency it is stated in, so it must be one the product allows,
    and amounts are compared only within one currency."""
    errors: dict[str, list[str]] = {}
    opening, retained = settings.get("min_opening_amount"), settings.get("min_retained_balance")
    if (
        opening
        and retained
        and opening.value
        and retained.value
        and compare(opening.definition, retained.value, opening.value) in (None, 1)
    ):
        errors["parameters.min_retained_balance"] = [
            _(
                "The minimum retained balance cannot exceed the minimum opening amount (same currency)."
            )
        ]
    allowed = settings.get("allowed_currencies")
    allowed_codes = [c for c in (allowed.value if allowed else "").split(",") if c]
    for code in ("min_opening_amount", "max_opening_amount", "min_retained_balance"):
        setting = settings.get(code)
        if not setting or not setting.value or not allowed_codes:
            continue
        currency = setting.value.split()[-1]
        if currency not in allowed_codes:
            errors.setdefault(f"parameters.{code}", []).append(
                _(
                    "%(label)s is stated in %(currency)s, which the product's currency control "
                    "does not allow (%(allowed)s); amounts are never converted between currencies."
                )
                % {
                    "label": setting.definition.label,
                    "currency": currency,
                    "allowed": ", ".join(allowed_codes),
                }
            )
    return errors


@dataclass(frozen=True, slots=True)
class SettingValue:
    definition: ParameterDefinition
    value: str


def product_cross_checks(*, version: ProductVersion) -> dict[str, list[str]]:
    """Rules checked when a product is published: every value set, and the binding rules."""
    settings = product_settings(version=version)
    errors: dict[str, list[str]] = {}
    for code, row in settings.items():
        if (
            row.definition.data_type not in (DataType.CHOICE_LIST, DataType.TEXT)
            and row.value == ""
        ):
            errors[f"parameters.{code}"] = [_("A value is required before publishing.")]
    for field, messages in binding_rule_errors(settings=settings).items():
        errors.setdefault(field, []).extend(messages)
    return errors
