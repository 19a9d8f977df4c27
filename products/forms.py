"""Forms of the product factory pages and account opening."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bankcore.errors import DomainError
from bankcore.forms import AmountFormField
from bankcore.money import CURRENCY_MINOR_UNITS
from bankcore.widgets import LookupInput
from products.choice_labels import choice_label
from products.models import (
    BusinessNature,
    CustomerGroup,
    DataType,
    PrincipleLevel,
    ProductModel,
    Zone,
)
from products.parameters import (
    ORDERED_TYPES,
    bounds_text,
    choice_codes,
    choice_labels,
    display,
)
from products.services import BOUND_KEYS

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


PARAMETER_PREFIX = "parameter_"

_CHANNELS = ["counter", "lobby_pad", "self_service", "mobile", "core"]
_MEDIA = ["passbook", "card", "certificate", "none"]


class AccountOpenForm(BootstrapForm):
    """Opening an account. With the product known (`terms`: products.selectors.OpeningTerms)
    the currency, channel and medium lists are the ones its usage controls allow, and each
    parameter an opening may set is a typed field `parameter_<code>` showing the product's
    value, its free bounds and its negotiable range."""

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

    def add_domain_error(self, error: DomainError) -> None:
        placed = False
        for field, messages in error.fields.items():
            name = (
                PARAMETER_PREFIX + field.removeprefix("parameters.")
                if field.startswith("parameters.")
                else field
            )
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)


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
