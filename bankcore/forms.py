"""Form fields the pages share."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _

from bankcore.money import InvalidMoney, parse_amount


class AmountFormField(forms.CharField):
    """An amount of money on a page, parsed by `bankcore.money.parse_amount` (the same strict
    parser as the API): "1000.00"; no sign, exponent, separators or full-width digits."""

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "1000.00"})
        )
        super().__init__(**kwargs)
        # The length limit applies to the text typed; the cleaned value is a Decimal, which
        # the inherited length validator cannot measure (it raised a TypeError: a 500).
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def to_python(self, value) -> Decimal | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if self.max_length is not None and len(text) > self.max_length:
            raise ValidationError(
                _("Write the amount in at most %(n)d characters.") % {"n": self.max_length},
                code="max_length",
            )
        try:
            return parse_amount(text, allow_zero=self.allow_zero)
        except InvalidMoney as exc:
            raise ValidationError(str(exc), code="invalid_amount") from None

    def prepare_value(self, value):
        return format(value, "f") if isinstance(value, Decimal) else value
