"""Serializer fields the whole API shares."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bankcore.money import (
    AMOUNT_PATTERN,
    CURRENCY_MINOR_UNITS,
    InvalidMoney,
    amount_check_places,
    parse_amount,
)


@extend_schema_field(
    {
        "type": "string",
        "pattern": AMOUNT_PATTERN,
        "example": "1000.00",
        "description": "An amount as a string of digits: no sign, exponent or separators.",
    }
)
class AmountField(serializers.Field):
    """An amount of money, parsed by `bankcore.money.parse_amount` (the one strict parser):
    a string such as "1000.00", positive (or zero with `allow_zero`). Pair it with a currency
    and call `amount_places_validate` in the serializer's `validate` for the minor units."""

    default_error_messages = {"invalid": "{message}"}

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> Decimal:
        try:
            return parse_amount(data, allow_zero=self.allow_zero)
        except InvalidMoney as exc:
            self.fail("invalid", message=str(exc))

    def to_representation(self, value) -> str:
        return format(value, "f")


def amount_places_validate(attrs: dict, *, amount_field: str, currency: str) -> None:
    """Raise a field error on `amount_field` when its amount has more decimal places than
    `currency` has minor units (2 for CNY, 0 for JPY). An unsupported currency is left to
    the currency's own check."""
    amount = attrs.get(amount_field)
    if amount is None or currency not in CURRENCY_MINOR_UNITS:
        return
    try:
        amount_check_places(amount, currency)
    except InvalidMoney as exc:
        raise serializers.ValidationError({amount_field: [str(exc)]}) from None
