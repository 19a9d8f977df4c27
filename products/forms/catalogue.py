"""Forms of the parameter catalogue: adding a parameter definition and editing one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from products.forms.widgets import BootstrapForm, CheckList, value_widget
from products.models import DataType, PrincipleLevel, Zone
from products.parameters import ORDERED_TYPES


def _choices_parse(text: str) -> list[dict]:
    """One choice per line: `code` or `code=label`."""
    choices = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        code, _sep, label = line.partition("=")
        choices.append({"code": code.strip(), "label": label.strip() or code.strip()})
    return choices


def choices_text(choices) -> str:
    return "\n".join(
        f"{c['code']}={c.get('label') or c['code']}" if isinstance(c, dict) else str(c)
        for c in choices or []
    )


class ParameterDefinitionForm(BootstrapForm):
    """Add a parameter to a zone of the catalogue (no migration: a row)."""

    zone = forms.ChoiceField(label=_("Zone"), choices=Zone.choices)
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lower case, digits and underscores; never changes once created."),
    )
    label = forms.CharField(label=_("Label"), max_length=120)
    label_zh_hans = forms.CharField(
        label=_("Label (Simplified Chinese)"), max_length=120, required=False
    )
    data_type = forms.ChoiceField(label=_("Data type"), choices=DataType.choices)
    principle_level = forms.ChoiceField(label=_("Principle level"), choices=PrincipleLevel.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "passbook=Passbook\ncard=Debit card"}
        ),
        help_text=_("For choice types: one per line, code=label."),
    )
    min_value = forms.CharField(
        label=_("Minimum"),
        required=False,
        max_length=60,
        help_text=_("Numbers, amounts (80000.00 CNY) and terms (21D, 6M, 1Y) only."),
    )
    max_value = forms.CharField(label=_("Maximum"), required=False, max_length=60)
    line_codes = forms.MultipleChoiceField(
        label=_("Product lines"),
        required=False,
        widget=CheckList,
        help_text=_("None ticked = offered to every line."),
    )
    help_text = forms.CharField(label=_("Help text"), required=False, max_length=255)
    sort_order = forms.IntegerField(
        label=_("Order in the zone"), min_value=0, max_value=32767, initial=100
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line_codes"].choices = [(line.code, line.name) for line in lines]
        self._style()

    def clean_choices(self) -> list[dict]:
        return _choices_parse(self.cleaned_data["choices"])


class ParameterDefinitionEditForm(BootstrapForm):
    """Label, help and order always; bounds and choices only while nothing uses it."""

    label = forms.CharField(label=_("Label"), max_length=120)
    label_zh_hans = forms.CharField(
        label=_("Label (Simplified Chinese)"), max_length=120, required=False
    )
    help_text = forms.CharField(label=_("Help text"), required=False, max_length=255)
    help_text_zh_hans = forms.CharField(
        label=_("Help text (Simplified Chinese)"), required=False, max_length=255
    )
    sort_order = forms.IntegerField(label=_("Order in the zone"), min_value=0, max_value=32767)
    is_active = forms.BooleanField(label=_("Offered to new products"), required=False)
    min_value = forms.CharField(label=_("Minimum"), required=False, max_length=60)
    max_value = forms.CharField(label=_("Maximum"), required=False, max_length=60)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, code=label."),
    )

    def __init__(self, *args, definition, in_use: bool, **kwargs):
        super().__init__(*args, **kwargs)
        ordered = definition.data_type in ORDERED_TYPES
        is_choice = definition.data_type in (DataType.CHOICE, DataType.CHOICE_LIST)
        if not ordered:
            del self.fields["min_value"], self.fields["max_value"]
        if not is_choice:
            del self.fields["choices"]
        for name in ("min_value", "max_value", "choices"):
            if name in self.fields and in_use:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Products or templates use this parameter, so this stays as it is."
                )
        if ordered and definition.data_type in (DataType.MONEY, DataType.TERM):
            for name in ("min_value", "max_value"):
                widget = value_widget(definition.data_type)
                widget.owner_label = self.fields[name].label
                self.fields[name].widget = widget
        self._style()
        self.fields["is_active"].widget.attrs["class"] = "form-check-input"

    def clean_choices(self) -> list[dict]:
        return _choices_parse(self.cleaned_data["choices"])
