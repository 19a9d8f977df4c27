"""Forms of the product factory pages and account opening."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bankcore.errors import DomainError
from products.models import BusinessNature, CustomerGroup, PrincipleLevel, ProductModel
from products.parameters import ORDERED_TYPES, choice_codes, choice_labels
from products.services import BOUND_KEYS


class BootstrapForm(forms.Form):
    """Gives every widget its Bootstrap class and marks invalid fields for screen readers."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
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


class ProductCreateForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    customer_group = forms.ChoiceField(label=_("Customer group"), choices=CustomerGroup.choices)
    business_nature = forms.ChoiceField(label=_("Business nature"), choices=BusinessNature.choices)
    model = forms.ChoiceField(
        label=_("Product model"), choices=ProductModel.choices, initial="single"
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ProductCopyForm(BootstrapForm):
    name = forms.CharField(label=_("Name of the copy"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


LEVEL_CHOICES = [
    (PrincipleLevel.PRODUCT, PrincipleLevel.PRODUCT.label),
    (PrincipleLevel.DEFAULT, PrincipleLevel.DEFAULT.label),
]
BOUND_LABELS = {
    "free_min": _("Free minimum"),
    "free_max": _("Free maximum"),
    "negotiable_min": _("Negotiable minimum"),
    "negotiable_max": _("Negotiable maximum"),
}


class ProductDesignForm(BootstrapForm):
    """One row of fields per parameter of the version being designed: value, principle
    level and (numbers, amounts, terms) the free bounds and negotiable range. Field names are
    `<code>__<key>`; errors of the services land next to the matching field."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    change_note = forms.CharField(label=_("Change note"), max_length=255, required=False)

    def __init__(self, *args, settings: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.rows: dict[str, list] = {}
        for setting in settings:
            definition = setting.definition
            locked = setting.is_locked
            system = definition.principle_level == PrincipleLevel.SYSTEM
            code = definition.code
            value_field = self._value_field(definition)
            value_field.label = definition.label
            value_field.help_text = definition.help_text
            value_field.initial = (
                [code for code in setting.value.split(",") if code]
                if definition.data_type == "choice_list"
                else setting.value
            )
            value_field.disabled = locked
            self.fields[f"{code}__value"] = value_field
            if not system:
                self.fields[f"{code}__principle_level"] = forms.ChoiceField(
                    label=_("Principle level"),
                    choices=LEVEL_CHOICES,
                    initial=setting.principle_level,
                    disabled=locked,
                )
            if definition.data_type in ORDERED_TYPES and not system:
                for key in BOUND_KEYS:
                    self.fields[f"{code}__{key}"] = forms.CharField(
                        label=BOUND_LABELS[key],
                        required=False,
                        initial=getattr(setting, key),
                        disabled=locked,
                    )
            self.rows.setdefault(definition.zone, []).append(setting)
        self._style()

    @staticmethod
    def _value_field(definition) -> forms.Field:
        data_type = definition.data_type
        if data_type == "boolean":
            return forms.ChoiceField(choices=[("true", _("Yes")), ("false", _("No"))])
        if data_type == "choice":
            labels = choice_labels(definition)
            return forms.ChoiceField(
                choices=[(code, labels[code]) for code in choice_codes(definition)]
            )
        if data_type == "choice_list":
            labels = choice_labels(definition)
            return forms.MultipleChoiceField(
                choices=[(code, labels[code]) for code in choice_codes(definition)],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        return forms.CharField(required=data_type != "text", max_length=500)

    def zone_rows(self, zone: str) -> list[dict]:
        """The bound fields of one zone's parameters, for the template."""
        rows = []
        for setting in self.rows.get(zone, []):
            code = setting.definition.code
            rows.append(
                {
                    "setting": setting,
                    "value": self[f"{code}__value"],
                    "level": self[f"{code}__principle_level"]
                    if f"{code}__principle_level" in self.fields
                    else None,
                    "bounds": [
                        self[f"{code}__{key}"]
                        for key in BOUND_KEYS
                        if f"{code}__{key}" in self.fields
                    ],
                }
            )
        return rows

    def parameter_changes(self) -> dict:
        """code → setting change, for the parameters whose fields changed."""
        changes: dict[str, dict] = {}
        for setting in self.settings:
            code = setting.definition.code
            if setting.is_locked:
                continue
            change = {}
            for key in ("value", "principle_level", *BOUND_KEYS):
                name = f"{code}__{key}"
                if name not in self.fields:
                    continue
                value = self.cleaned_data.get(name)
                if isinstance(value, list):
                    value = ",".join(value)
                change[key] = value if value is not None else ""
            changes[code] = change
        return changes

    def add_domain_error(self, error: DomainError) -> None:
        placed = False
        for field, messages in error.fields.items():
            name = field
            if field.startswith("parameters."):
                name = f"{field.removeprefix('parameters.')}__value"
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)


class AccountOpenForm(BootstrapForm):
    product_code = forms.ChoiceField(label=_("Product"))
    customer_no = forms.CharField(label=_("Customer number"), max_length=32)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    opening_amount = forms.DecimalField(
        label=_("Opening amount"), max_digits=20, decimal_places=2, min_value=0
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            ("counter", _("Counter")),
            ("lobby_pad", _("Lobby Pad")),
            ("self_service", _("Self-service")),
            ("mobile", _("Mobile")),
            ("core", _("Core system")),
        ],
        initial="counter",
    )
    medium = forms.ChoiceField(
        label=_("Medium"),
        required=False,
        choices=[
            ("", "—"),
            ("passbook", _("Passbook")),
            ("card", _("Debit card")),
            ("certificate", _("Certificate of deposit")),
            ("none", _("No medium")),
        ],
    )
    parameters = forms.CharField(
        label=_("Parameter overrides"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "early_withdrawals_allowed=2\nrenewal_count=1"}
        ),
        help_text=_("Default parameters the account sets differently, one code=value per line."),
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_code"].choices = [
            (product.product_code, f"{product.product_code} {product.name}") for product in products
        ]
        self._style()

    def clean_parameters(self) -> dict:
        overrides = {}
        for number, line in enumerate(self.cleaned_data["parameters"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, value = line.partition("=")
            if not sep:
                raise forms.ValidationError(_("Line %(n)s: write code=value.") % {"n": number})
            overrides[code.strip()] = value.strip()
        return overrides

    def add_domain_error(self, error: DomainError) -> None:
        placed = False
        for field, messages in error.fields.items():
            name = "parameters" if field.startswith("parameters.") else field
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)
