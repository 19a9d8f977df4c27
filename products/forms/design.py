"""Forms of the product designer: a new product from a template, a copy, and the parameter
design of a product or a template."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from products.forms.widgets import BootstrapForm, CheckList, PairWidget, value_widget
from products.models import BusinessNature, CustomerGroup, DataType, PrincipleLevel, ProductModel
from products.parameters import ORDERED_TYPES, choice_codes, choice_labels
from products.services import BOUND_KEYS


class ProductCreateForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    name_zh_hans = forms.CharField(
        label=_("In Simplified Chinese"),
        max_length=120,
        required=False,
        help_text=_("The name Chinese users read (empty: the English one)."),
    )
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

    parameter_field_format = "{code}__value"

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    change_note = forms.CharField(label=_("Change note"), max_length=255, required=False)

    honour_locks = True  # a product cannot change what its template locked

    def __init__(self, *args, settings: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.rows: dict[str, list] = {}
        for setting in settings:
            definition = setting.definition
            locked = setting.is_locked and self.honour_locks
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
                        widget=value_widget(definition.data_type) or forms.TextInput(),
                    )
            self.rows.setdefault(definition.zone, []).append(setting)
        for field in self.fields.values():
            if isinstance(field.widget, PairWidget):
                field.widget.owner_label = field.label
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
                widget=CheckList,
                required=False,
            )
        widget = value_widget(data_type)
        if widget is not None:
            return forms.CharField(max_length=500, widget=widget)
        if data_type in (DataType.INTEGER, DataType.DECIMAL):
            return forms.CharField(
                max_length=60, widget=forms.TextInput(attrs={"inputmode": "decimal"})
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
                    "lock": self[f"{code}__is_locked"]
                    if f"{code}__is_locked" in self.fields
                    else None,
                }
            )
        return rows

    def parameter_changes(self) -> dict:
        """code → setting change, for the parameters whose fields changed."""
        changes: dict[str, dict] = {}
        for setting in self.settings:
            code = setting.definition.code
            if setting.is_locked and self.honour_locks:
                continue
            change = {}
            level = self.cleaned_data.get(f"{code}__principle_level")
            keys = ("value", "principle_level")
            if level in (None, "", PrincipleLevel.DEFAULT):
                # Bounds belong to default parameters; a parameter made product principle
                # drops them (the boxes are hidden then, whatever they still hold).
                keys = (*keys, *BOUND_KEYS)
            for key in keys:
                name = f"{code}__{key}"
                if name not in self.fields:
                    continue
                value = self.cleaned_data.get(name)
                if isinstance(value, list):
                    value = ",".join(value)
                change[key] = value if value is not None else ""
            changes[code] = change
        return changes


class TemplateEditForm(ProductDesignForm):
    """The designer's rows for a template's presets, plus a "locked" box per parameter."""

    honour_locks = False
    is_active = forms.BooleanField(
        label=_("Offered for new products"), required=False, widget=forms.CheckboxInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["change_note"]
        self.fields["is_active"].widget.attrs["class"] = "form-check-input"
        for setting in self.settings:
            field = forms.BooleanField(label=_("Locked"), required=False, initial=setting.is_locked)
            field.widget.attrs["class"] = "form-check-input"
            self.fields[f"{setting.definition.code}__is_locked"] = field

    def locked_codes(self) -> list[str]:
        return [
            setting.definition.code
            for setting in self.settings
            if self.cleaned_data.get(f"{setting.definition.code}__is_locked")
        ]
