"""The open-account form: the product, the customer, the opening's terms and the parameters
an opening may set."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bankcore.forms import AmountFormField
from bankcore.money import CURRENCY_MINOR_UNITS
from bankcore.widgets import LookupInput
from products.choice_labels import choice_label
from products.forms.widgets import BootstrapForm, value_widget
from products.models import DataType
from products.parameters import bounds_text, choice_codes, choice_labels, display

PARAMETER_PREFIX = "parameter_"

_CHANNELS = ["counter", "lobby_pad", "self_service", "mobile", "core"]
_MEDIA = ["passbook", "card", "certificate", "none"]


class AccountOpenForm(BootstrapForm):
    """Opening an account. With the product known (`terms`: products.selectors.OpeningTerms)
    the currency, channel and medium lists are the ones its usage controls allow, and each
    parameter an opening may set is a typed field `parameter_<code>` showing the product's
    value, its free bounds and its negotiable range."""

    parameter_field_format = PARAMETER_PREFIX + "{code}"

    customer_no = forms.CharField(
        label=_("Customer"),
        max_length=32,
        # Search as you type (number, name, ID document), within the user's branches.
        widget=LookupInput("customers:pick"),
        help_text=_("Type a customer number, a name or an ID document number."),
    )
    product_code = forms.CharField(
        label=_("Product"),
        max_length=8,
        widget=LookupInput("products:pick"),
        help_text=_("Type a product code or name; its currencies, channels and parameters follow."),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        initial="CNY",
        help_text=_("Amounts are never converted: the product must allow this currency."),
    )
    opening_amount = AmountFormField(label=_("Opening amount"), allow_zero=True)
    channel = forms.ChoiceField(label=_("Channel"), initial="counter")
    medium = forms.ChoiceField(label=_("Medium"), required=False)

    def __init__(self, *args, terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = terms
        currencies = (terms.currencies if terms else None) or list(CURRENCY_MINOR_UNITS)
        self.fields["currency"].choices = [(code, code) for code in currencies]
        if len(currencies) == 1:
            self.fields["currency"].initial = currencies[0]
        channels = (terms.channels if terms else None) or _CHANNELS
        self.fields["channel"].choices = [
            (code, choice_label("allowed_channels", code)) for code in channels
        ]
        if "counter" not in channels:
            self.fields["channel"].initial = channels[0]
        media = (terms.media if terms else None) or _MEDIA
        self.fields["medium"].choices = [("", "—")] + [
            (code, choice_label("allowed_media", code)) for code in media
        ]
        self.parameter_settings = {}
        for setting in terms.overridable if terms else []:
            name = PARAMETER_PREFIX + setting.definition.code
            self.fields[name] = opening_parameter_field(setting)
            self.parameter_settings[name] = setting
        self._style()

    def parameter_fields(self):
        """(bound field, setting) of each overridable parameter, in the product's order."""
        return [(self[name], setting) for name, setting in self.parameter_settings.items()]

    def clean_product_code(self) -> str:
        return self.cleaned_data["product_code"].strip()

    def clean_customer_no(self) -> str:
        return self.cleaned_data["customer_no"].strip()

    @property
    def overrides(self) -> dict:
        """The parameters set differently from the product (code → raw value)."""
        data = getattr(self, "cleaned_data", {})
        overrides = {}
        for name, setting in self.parameter_settings.items():
            value = str(data.get(name) or "").strip()
            if value and value != setting.value:
                overrides[setting.definition.code] = value
        return overrides

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        """The service's errors beside their fields (a field that already shows an error
        keeps it; the form-level list takes what has no field here)."""
        for field, messages in errors.items():
            name = (
                PARAMETER_PREFIX + field.removeprefix("parameters.")
                if field.startswith("parameters.")
                else field
            )
            if name in self.fields:
                if name in self.errors:
                    continue
                for message in messages:
                    self.add_error(name, message)
            else:
                for message in messages:
                    self.add_error(None, message)


def opening_parameter_field(setting) -> forms.Field:
    """A typed field for one overridable parameter: its product value preset, the free bounds
    and the negotiable range said in its help text."""
    definition = setting.definition
    data_type = definition.data_type
    options = {"label": definition.label, "required": False, "initial": setting.value}
    if data_type in (DataType.CHOICE,):
        labels = choice_labels(definition)
        field = forms.ChoiceField(
            choices=[(code, labels.get(code, code)) for code in choice_codes(definition)],
            **options,
        )
    elif data_type == DataType.BOOLEAN:
        field = forms.ChoiceField(choices=[("true", _("yes")), ("false", _("no"))], **options)
    else:
        field = forms.CharField(max_length=60, **options)
        widget = value_widget(data_type)
        if widget is not None:
            widget.owner_label = definition.label
            field.widget = widget
        elif data_type in (DataType.INTEGER, DataType.DECIMAL):
            field.widget.attrs["inputmode"] = "decimal"
    parts = [_("Product value: %(value)s.") % {"value": display(definition, setting.value)}]
    if setting.free_min or setting.free_max:
        parts.append(
            _("Free: %(bounds)s.")
            % {"bounds": bounds_text(definition, setting.free_min, setting.free_max)}
        )
    if setting.negotiable_min or setting.negotiable_max:
        parts.append(
            _("Negotiable (needs authorization): %(bounds)s.")
            % {"bounds": bounds_text(definition, setting.negotiable_min, setting.negotiable_max)}
        )
    field.help_text = " ".join(str(part) for part in parts)
    return field
