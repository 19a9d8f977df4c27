"""The widgets and the form base the product factory pages share: amount and term pairs,
check lists, and Bootstrap classes on every field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bankcore.errors import DomainError
from bankcore.money import CURRENCY_MINOR_UNITS
from products.models import DataType

TERM_UNITS = [("D", _("days")), ("M", _("months")), ("Y", _("years"))]


class PairWidget(forms.MultiWidget):
    """A number box with a unit list beside it (amount + currency, count + days/months/years),
    read back as the parameter's canonical text ("80000.00 CNY", "21D"). A whole value posted
    under the field's own name (scripts, tests) is accepted as it is."""

    template_name = "products/widgets/pair.html"

    def __init__(self, *, units, separator: str, unit_label, attrs=None):
        self.separator = separator
        self.unit_label = unit_label
        self.owner_label = ""  # the field's label, so the unit list is named after it
        super().__init__(
            [
                forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                forms.Select(choices=units),
            ],
            attrs,
        )

    def decompress(self, value):
        text = str(value or "").strip()
        if not text:
            return ["", None]
        if self.separator:
            number, _sep, unit = text.rpartition(self.separator)
            return [number, unit] if number else [text, None]
        if text[-1:].isalpha():
            return [text[:-1], text[-1:].upper()]
        return [text, None]

    def value_from_datadict(self, data, files, name):
        if name in data:
            return data.get(name)
        number, unit = super().value_from_datadict(data, files, name)
        number = (number or "").strip().replace(",", "")
        if not number:
            return ""
        if self.separator and self.separator in number:
            return number  # typed with its currency already
        if not self.separator and number[-1:].isalpha():
            return number
        return f"{number}{self.separator}{unit or ''}"

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        _number, unit = context["widget"]["subwidgets"]
        unit["attrs"]["class"] = (
            unit["attrs"].get("class", "").replace("form-control", "form-select")
        )
        unit["attrs"]["class"] += " pair-unit"
        unit["attrs"]["style"] = "max-width: 7.5rem"
        unit["attrs"]["aria-label"] = (
            f"{self.owner_label}, {self.unit_label}" if self.owner_label else str(self.unit_label)
        )
        return context


class CheckList(forms.CheckboxSelectMultiple):
    """Checkboxes side by side, each a Bootstrap form-check with its own label."""

    template_name = "products/widgets/checks.html"


def money_widget() -> PairWidget:
    currencies = [(code, code) for code in CURRENCY_MINOR_UNITS]
    return PairWidget(units=currencies, separator=" ", unit_label=_("currency"))


def term_widget() -> PairWidget:
    return PairWidget(units=TERM_UNITS, separator="", unit_label=_("unit"))


def value_widget(data_type: str) -> forms.Widget | None:
    if data_type == DataType.MONEY:
        return money_widget()
    if data_type == DataType.TERM:
        return term_widget()
    return None


class BootstrapForm(forms.Form):
    """Gives every widget its Bootstrap class and marks invalid fields for screen readers."""

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_invalid()  # also errors a service reported after cleaning

    # The field a service's error names "parameters.<code>" is shown on (None: above the form).
    parameter_field_format: str | None = None

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal beside each field it names, or above the form."""
        placed = False
        for field, messages in error.fields.items():
            name = field
            if field.startswith("parameters.") and self.parameter_field_format:
                name = self.parameter_field_format.format(code=field.removeprefix("parameters."))
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)

    def _mark_invalid(self):
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
