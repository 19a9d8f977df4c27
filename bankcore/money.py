"""Money: an exact Decimal amount with an ISO 4217 currency. Never float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# ISO 4217 codes a Chinese bank deals in, with their minor units. Extend here when a bank
# adds a currency; a code not listed is refused everywhere money is accepted.
CURRENCY_MINOR_UNITS: dict[str, int] = {
    "CNY": 2,
    "HKD": 2,
    "MOP": 2,
    "TWD": 2,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "JPY": 0,
    "KRW": 0,
    "SGD": 2,
    "AUD": 2,
    "CAD": 2,
    "CHF": 2,
    "NZD": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "RUB": 2,
    "THB": 2,
    "MYR": 2,
    "IDR": 2,
    "PHP": 2,
    "VND": 0,
    "INR": 2,
    "AED": 2,
    "SAR": 2,
    "KZT": 2,
    "ZAR": 2,
    "BRL": 2,
}
MAX_DIGITS = 20
DECIMAL_PLACES = 2


class InvalidMoney(ValueError):
    pass


def validate_currency(code: str) -> None:
    if code not in CURRENCY_MINOR_UNITS:
        raise ValidationError(
            _("%(code)s is not a supported ISO 4217 currency code."),
            code="invalid_currency",
            params={"code": code},
        )


_DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def to_decimal(value) -> Decimal:
    """Parse a decimal number exactly: a Decimal, an int, or text of ASCII digits with an
    optional sign and decimal part. Floats are refused (they cannot carry money exactly), and
    so are exponents, digit separators and non-ASCII digits that Decimal() would take."""
    if isinstance(value, float):
        raise InvalidMoney("Amounts must be given as strings or Decimal, never float.")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        text = str(value).strip()
        if not _DECIMAL_TEXT.fullmatch(text):
            raise InvalidMoney(f"{value!r} is not an amount.")
        amount = Decimal(text)
    if not amount.is_finite():
        raise InvalidMoney(f"{value!r} is not an amount.")
    return amount


# An amount as it arrives from outside: ASCII digits, optionally a point and more ASCII digits.
# No sign, exponent, digit separators ("1_000", "1,000"), spaces or non-ASCII digits (full-width),
# all of which Python's Decimal() would otherwise take.
AMOUNT_PATTERN = r"^[0-9]+(\.[0-9]+)?$"
_AMOUNT_TEXT = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_amount(raw, *, currency: str | None = None, allow_zero: bool = False) -> Decimal:
    """The one strict parser for an amount of money arriving from a channel, a form or an
    API body. `raw` must be a string of the AMOUNT_PATTERN (or a Decimal already parsed by
    this module's form or serializer field); bare numbers are refused (a JSON number goes
    through float in many clients). The amount must be positive (zero too with
    `allow_zero`), and with `currency` it may carry at most that currency's minor units.
    Raises InvalidMoney with a message fit to show next to the field."""
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise InvalidMoney(gettext("Enter an amount such as 1000.00."))
        amount = raw
    elif isinstance(raw, str):
        if not _AMOUNT_TEXT.fullmatch(raw):
            raise InvalidMoney(
                gettext(
                    "Enter an amount such as 1000.00: digits 0-9 and an optional decimal "
                    "point only (no sign, exponent, separators or spaces)."
                )
            )
        amount = Decimal(raw)
    else:
        raise InvalidMoney(gettext('Give the amount as a string such as "1000.00", not a number.'))
    if amount < 0 or (amount == 0 and not allow_zero):
        raise InvalidMoney(
            gettext("The amount cannot be negative.")
            if allow_zero
            else gettext("The amount must be greater than zero.")
        )
    if currency is not None:
        amount_check_places(amount, currency)
    return amount


def amount_check_places(amount: Decimal, currency: str) -> None:
    """Refuse an amount with more decimal places than `currency` has minor units."""
    places = CURRENCY_MINOR_UNITS.get(currency)
    if places is None:
        raise InvalidMoney(
            gettext("%(code)s is not a supported ISO 4217 currency code.") % {"code": currency}
        )
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise InvalidMoney(
            gettext("%(currency)s amounts have at most %(places)d decimal places.")
            % {"currency": currency, "places": places}
        )


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise InvalidMoney("Money.amount must be a Decimal.")
        if self.currency not in CURRENCY_MINOR_UNITS:
            raise InvalidMoney(f"{self.currency!r} is not a supported ISO 4217 currency code.")
        exponent = self.amount.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > CURRENCY_MINOR_UNITS[self.currency]:
            raise InvalidMoney(
                f"{self.currency} has {CURRENCY_MINOR_UNITS[self.currency]} decimal places; "
                f"{self.amount} has more."
            )

    @classmethod
    def of(cls, amount, currency: str) -> Money:
        return cls(to_decimal(amount), currency)

    def quantized(self) -> Money:
        places = Decimal(1).scaleb(-CURRENCY_MINOR_UNITS[self.currency])
        return Money(self.amount.quantize(places, rounding=ROUND_HALF_EVEN), self.currency)

    def _same_currency(self, other: Money) -> None:
        if not isinstance(other, Money) or other.currency != self.currency:
            raise InvalidMoney("Cannot combine amounts in different currencies.")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def __str__(self) -> str:
        return f"{self.amount:,} {self.currency}"


class AmountField(models.DecimalField):
    """A money amount column; pair it with a CurrencyField on the same model."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)


class CurrencyField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("validators", [validate_currency])
        super().__init__(*args, **kwargs)
