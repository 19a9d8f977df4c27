"""Forms of the parameter administrators' pages: editing a draft rule set, publishing it,
comparing versions and trying a transaction."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bankcore.catalogues import bilingual_fields, bilingual_labels
from bankcore.errors import DomainError
from bankcore.forms import AmountFormField
from bankcore.money import CURRENCY_MINOR_UNITS
from bankcore.widgets import LookupInput

from . import item_kinds as kinds
from .item_kinds import KINDS_BY_MODEL, ItemKind
from .models import RuleSetVersion, SceneReviewRule, TransactionElement


def _style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            widget.attrs["class"] = "form-check-input"
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def form_add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A model ValidationError from a service, next to the fields the form has (else on top)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def form_mark_invalid(form: forms.BaseForm) -> None:
    """Red borders on the fields that have errors (Bootstrap's is-invalid)."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class ConditionField(forms.JSONField):
    """The condition tree as indented JSON in a textarea."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.Textarea(attrs={"rows": 12, "class": "font-monospace", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)


def draft_item_form_fields(kind: ItemKind) -> list[str]:
    """The form's fields as the kind declares them, catalogue texts in both languages."""
    names: list[str] = []
    for item_field in kind.fields:
        if item_field.form:
            names += bilingual_fields(item_field.name) if item_field.text else [item_field.name]
    return names


def draft_item_meta(kind: ItemKind) -> type:
    """A ModelForm Meta from the kind's declaration (many-to-many fields as checkboxes)."""
    return type(
        "Meta",
        (),
        {
            "model": kind.model,
            "fields": draft_item_form_fields(kind),
            "labels": {f.name: f.form_label for f in kind.fields if f.form_label is not None},
            "widgets": dict.fromkeys(kind.m2m, forms.CheckboxSelectMultiple),
        },
    )


class DraftItemForm(forms.ModelForm):
    """An item of a draft version; choices limited to that version, codes unique in it."""

    def __init__(self, *args, version: RuleSetVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.kind = KINDS_BY_MODEL[self._meta.model]
        self.limit_choices(version)
        bilingual_labels(self)
        _style(self)

    def limit_choices(self, version: RuleSetVersion) -> None:
        """A choice of another item: the items of that kind in `version` (and the "none"
        choice the declaration words)."""
        for item_field in self.kind.fields:
            field = self.fields.get(item_field.name)
            if not isinstance(field, forms.ModelChoiceField):
                continue
            other = KINDS_BY_MODEL.get(field.queryset.model)
            if other is not None:
                field.queryset = other.items_of(version)
            if item_field.empty_choice is not None:
                field.empty_label = item_field.empty_choice

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        model = self._meta.model
        if any(f.name == "version" for f in model._meta.fields):
            taken = model.objects.filter(version=self.version, code=code)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise ValidationError(
                    _("The code %(code)s is already used in this version."),
                    params={"code": code},
                    code="unique",
                )
        return code


def draft_item_form(kind: ItemKind) -> type[DraftItemForm]:
    """The form of a kind with nothing beyond its declaration."""
    return type(f"{kind.model.__name__}Form", (DraftItemForm,), {"Meta": draft_item_meta(kind)})


class TriggerRuleForm(DraftItemForm):
    condition = ConditionField(
        label=_("Condition (JSON)"),
        help_text=_(
            'A tree of {"all": [...]}, {"any": [...]}, {"not": ...} and comparisons '
            '{"field": "elements.amount", "op": "gte", "value": "50000.00 CNY"}.'
        ),
    )

    class Meta(draft_item_meta(kinds.TRIGGER_RULES)):
        pass


class SceneImageRuleForm(DraftItemForm):
    class Meta(draft_item_meta(kinds.SCENE_IMAGE_RULES)):
        pass

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("image_type")) == bool(cleaned.get("image_combination")):
            raise ValidationError(_("Choose either one image type or one image combination."))
        return cleaned

    def _get_validation_exclusions(self):
        # clean() already says it in words; skip the type-xor-combination constraint's
        # technical message (the service's full_clean still checks it).
        return super()._get_validation_exclusions() | {"image_type", "image_combination"}


class ReviewRuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.scene.code} · {obj.name}"


class ReviewPointForm(DraftItemForm):
    review_rule = ReviewRuleChoiceField(queryset=SceneReviewRule.objects.none(), label=_("Group"))

    class Meta(draft_item_meta(kinds.REVIEW_POINTS)):
        pass


class TransactionElementForm(DraftItemForm):
    class Meta(draft_item_meta(kinds.TRANSACTION_ELEMENTS)):
        pass

    def clean(self):
        cleaned = super().clean()
        tx, name = cleaned.get("transaction_type"), cleaned.get("name")
        if tx and name:
            taken = TransactionElement.objects.filter(transaction_type=tx, name=name)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("name", _("This transaction already has an element with this name."))
        return cleaned


# Each kind's form: the ones above, the others from their declaration alone.
DRAFT_ITEM_FORMS: dict[str, type[DraftItemForm]] = {
    kind.slug: kind_form
    for kind, kind_form in (
        (kinds.TRIGGER_RULES, TriggerRuleForm),
        (kinds.SCENE_IMAGE_RULES, SceneImageRuleForm),
        (kinds.REVIEW_POINTS, ReviewPointForm),
        (kinds.TRANSACTION_ELEMENTS, TransactionElementForm),
    )
}
for _kind in kinds.ITEM_KINDS:
    DRAFT_ITEM_FORMS.setdefault(_kind.slug, draft_item_form(_kind))
del _kind

ProcessingRuleForm = DRAFT_ITEM_FORMS[kinds.PROCESSING_RULES.slug]
SceneForm = DRAFT_ITEM_FORMS[kinds.SCENES.slug]
SceneReviewRuleForm = DRAFT_ITEM_FORMS[kinds.SCENE_REVIEW_RULES.slug]
ImageTypeForm = DRAFT_ITEM_FORMS[kinds.IMAGE_TYPES.slug]
ImageCombinationForm = DRAFT_ITEM_FORMS[kinds.IMAGE_COMBINATIONS.slug]
TransactionTypeForm = DRAFT_ITEM_FORMS[kinds.TRANSACTION_TYPES.slug]
TriggerReasonForm = DRAFT_ITEM_FORMS[kinds.REASONS.slug]
TriggerSystemForm = DRAFT_ITEM_FORMS[kinds.TRIGGER_SYSTEMS.slug]


# --- Lifecycle ------------------------------------------------------------------------------


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PublishForm(forms.Form):
    effective_at = forms.DateTimeField(
        label=_("In force from"),
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_(
            "Empty: from the moment a second parameter administrator approves. A time must be "
            "in the future and after the latest publication. Times are Beijing time."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ProposalRejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Why is it rejected?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DraftCreateForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


def _version_label(version: RuleSetVersion) -> str:
    """Where the version stands (in force, scheduled, ...) when the caller worked it out."""
    return str(getattr(version, "standing_label", "") or version.get_status_display())


class CompareForm(forms.Form):
    base = forms.TypedChoiceField(label=_("From version"), coerce=int)
    other = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, f"v{v.number} · {_version_label(v)}") for v in versions]
        self.fields["base"].choices = choices
        self.fields["other"].choices = choices
        _style(self)


# --- Try it ---------------------------------------------------------------------------------

BOOLEAN_CHOICES = [("", _("— not given —")), ("true", _("Yes")), ("false", _("No"))]


class OptionalJSONField(forms.JSONField):
    """A JSON field that may be left empty: shown empty when it has no value (Django's own
    shows the word `null`, which a person would have to delete)."""

    def prepare_value(self, value):
        return "" if value is None else super().prepare_value(value)


class TryItForm(forms.Form):
    """A transaction to evaluate: the fixed fields, then one field per declared element of the
    chosen transaction (money as amount + currency)."""

    version = forms.TypedChoiceField(label=_("Rule-set version"), coerce=int)
    transaction_code = forms.ChoiceField(label=_("Transaction"))
    channel = forms.ChoiceField(label=_("Channel"))
    branch_code = forms.CharField(label=_("Branch code"), max_length=20, required=False)
    teller = forms.CharField(
        label=_("Teller (username)"),
        max_length=150,
        required=False,
        help_text=_("Needed only by rules on the teller's level."),
    )

    def __init__(self, *args, versions, transaction_types, channels, transaction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [
            (v.number, f"v{v.number} · {_version_label(v)}") for v in versions
        ]
        self.fields["transaction_code"].choices = [
            (tx.code, f"{tx.code} · {tx.name}") for tx in transaction_types
        ]
        self.fields["channel"].choices = [(s.code, f"{s.code} · {s.name}") for s in channels]
        self.transaction = transaction
        self.element_names: list[str] = []
        self.money_elements: set[str] = set()
        self.element_kinds: dict[str, str] = {}
        currencies = [(code, code) for code in sorted(CURRENCY_MINOR_UNITS)]
        for element in transaction.elements.all() if transaction else ():
            name, label = f"el_{element.name}", element.label
            kind = element.element_type
            common = {"label": label, "required": element.is_required}
            if kind == "money":
                self.fields[name] = AmountFormField(**common)
                self.fields[name + "__currency"] = forms.ChoiceField(
                    label=_("Currency"), choices=currencies, initial="CNY"
                )
                self.money_elements.add(element.name)
            elif kind == "decimal":
                self.fields[name] = forms.DecimalField(**common)
            elif kind == "integer":
                self.fields[name] = forms.IntegerField(**common)
            elif kind == "boolean":
                self.fields[name] = forms.ChoiceField(**common, choices=BOOLEAN_CHOICES)
            elif kind == "date":
                self.fields[name] = forms.DateField(
                    **common, widget=forms.DateInput(attrs={"type": "date"})
                )
            elif kind == "parameters":
                self.fields[name] = OptionalJSONField(
                    **common,
                    help_text=_('Parameter code → value, e.g. {"RATE": "2.10"}'),
                    widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace"}),
                )
            elif kind == "customer_no":  # search as you type, within the user's branches
                self.fields[name] = forms.CharField(
                    **common, max_length=80, widget=LookupInput("customers:pick")
                )
            else:
                self.fields[name] = forms.CharField(**common, max_length=80)
            if kind in ("decimal", "integer"):
                self.fields[name].help_text = element.get_element_type_display()
            self.element_names.append(element.name)
            self.element_kinds[element.name] = kind
        _style(self)

    def element_rows(self):
        """(field, currency field or None) per element, for the template."""
        return [
            (
                self[f"el_{name}"],
                self[f"el_{name}__currency"] if name in self.money_elements else None,
            )
            for name in self.element_names
        ]

    def elements(self) -> dict:
        """The elements as a channel would send them (only those filled in)."""
        result = {}
        for name in self.element_names:
            value = self.cleaned_data.get(f"el_{name}")
            if value in (None, ""):
                continue
            if name in self.money_elements:
                result[name] = {
                    "amount": str(value),
                    "currency": self.cleaned_data[f"el_{name}__currency"],
                }
            elif self.element_kinds[name] == "boolean":
                result[name] = value == "true"
            elif isinstance(value, Decimal):
                result[name] = str(value)
            elif hasattr(value, "isoformat"):
                result[name] = value.isoformat()
            else:
                result[name] = value.strip() if isinstance(value, str) else value
        return result

    def add_domain_error(self, error: DomainError) -> None:
        """The evaluate service's field errors ("elements.amount", "channel") next to fields."""
        unplaced: list[str] = []
        for field, messages in error.fields.items():
            target = (
                "el_" + field.removeprefix("elements.") if field.startswith("elements.") else field
            )
            if target in self.fields:
                for message in messages:
                    self.add_error(target, message)
            else:  # e.g. the branch, which the page fills in from the user: said at the top
                unplaced.extend(messages)
        if unplaced:
            for message in unplaced:
                self.add_error(None, message)
        elif not error.fields:
            self.add_error(None, error.message)
