"""Forms of the staff pages. Shapes only: the rules are checked by customers.services, whose
DomainErrors are shown next to the fields they name (form_add_domain_error)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bankcore.models import OrgUnit
from bankcore.scoping import visible_units
from bankcore.widgets import LookupInput
from customers.models import (
    AddressKind,
    ContactChannelKind,
    CustomerStatus,
    CustomerType,
    DocumentType,
    EconomicType,
    ExtensionAttribute,
    ExtensionDataType,
    ExtensionScope,
    Gender,
    IndustryCode,
    RelationshipKind,
)
from customers.reference_data import RESIDENT_ID_CARD, USCC_CERTIFICATE


def _style(form: forms.Form) -> None:
    """Bootstrap classes on every widget (idempotent)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DateInput(forms.DateInput):
    input_type = "date"


class CustomerSearchForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("Customer number, ID document number or name"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    customer_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *CustomerType.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *CustomerStatus.choices]
    )


def _branch_field(user) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Home branch"),
        queryset=visible_units(user).filter(is_active=True).order_by("path"),
        to_field_name="code",
    )


class _OpeningDocumentFields(forms.Form):
    document_number = forms.CharField(label=_("Document number"), max_length=40)
    document_expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=DateInput, help_text=_("Empty = long-term.")
    )
    mobile = forms.CharField(label=_("Mobile phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address_line = forms.CharField(label=_("Address"), max_length=255, required=False)

    holder_kind = ""
    default_document_type = ""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_branch"] = _branch_field(user)
        if user.org_unit_id and "home_branch" not in self.initial:
            self.initial["home_branch"] = user.org_unit.code
        self.fields["document_type"] = forms.ModelChoiceField(
            label=_("Opening document type"),
            queryset=DocumentType.objects.filter(
                is_active=True, holder_kind__in=[self.holder_kind, "any"]
            ).order_by("code"),
            to_field_name="code",
            initial=self.default_document_type,
        )
        order = [name for name in self.field_order_names if name in self.fields]
        self.order_fields(order)
        _style(self)

    field_order_names: list[str] = []


class PersonalCustomerForm(BootstrapMixin, _OpeningDocumentFields):
    name = forms.CharField(label=_("Name"), max_length=120)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNSTATED)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput,
        help_text=_("Empty = taken from the resident ID number."),
    )
    nationality = forms.CharField(
        label=_("Nationality (ISO 3166 alpha-3)"), max_length=3, initial="CHN"
    )
    vip_level = forms.IntegerField(label=_("VIP level"), min_value=0, max_value=9, initial=0)
    is_domestic = forms.BooleanField(label=_("Domestic (境内)"), required=False, initial=True)
    is_employee = forms.BooleanField(label=_("Internal employee"), required=False)

    holder_kind = "personal"
    default_document_type = RESIDENT_ID_CARD
    field_order_names = [
        "name",
        "home_branch",
        "gender",
        "birth_date",
        "nationality",
        "vip_level",
        "is_domestic",
        "is_employee",
        "document_type",
        "document_number",
        "document_expiry_date",
        "mobile",
        "email",
        "address_line",
    ]


class CorporateCustomerForm(BootstrapMixin, _OpeningDocumentFields):
    name = forms.CharField(label=_("Name"), max_length=200)
    industry = forms.ModelChoiceField(
        label=_("Industry (GB/T 4754)"),
        queryset=IndustryCode.objects.filter(is_active=True).order_by("code"),
        to_field_name="code",
    )
    economic_type = forms.ChoiceField(label=_("Economic type"), choices=EconomicType.choices)
    registration_region_code = forms.RegexField(
        label=_("Place of registration (region code)"),
        regex=r"^[0-9]{6}$",
        error_messages={"invalid": _("Use the 6-digit administrative division code.")},
    )
    is_interbank = forms.BooleanField(label=_("Interbank (同业)"), required=False)
    is_domestic = forms.BooleanField(label=_("Domestic (境内)"), required=False, initial=True)

    holder_kind = "corporate"
    default_document_type = USCC_CERTIFICATE
    field_order_names = [
        "name",
        "home_branch",
        "industry",
        "economic_type",
        "registration_region_code",
        "is_interbank",
        "is_domestic",
        "document_type",
        "document_number",
        "document_expiry_date",
        "mobile",
        "email",
        "address_line",
    ]


class CustomerEditForm(BootstrapMixin, forms.Form):
    """Index and basic fields of one customer; the fields depend on its type. The status is
    not here: a status change waits for a supervisor (StatusChangeRequestForm)."""

    def __init__(self, *args, user, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_branch"] = _branch_field(user)
        basic = customer.basic
        if customer.customer_type == CustomerType.PERSONAL:
            extra = PersonalCustomerForm.base_fields
            names = [
                "name",
                "gender",
                "birth_date",
                "nationality",
                "vip_level",
                "is_domestic",
                "is_employee",
            ]
        elif customer.customer_type == CustomerType.CORPORATE:
            extra = CorporateCustomerForm.base_fields
            names = [
                "name",
                "industry",
                "economic_type",
                "registration_region_code",
                "is_interbank",
                "is_domestic",
            ]
        else:
            extra = {
                "name": forms.CharField(label=_("Name"), max_length=200),
                "purpose": forms.CharField(label=_("Purpose"), max_length=200, required=False),
            }
            names = ["name", "purpose"]
        for name in names:
            self.fields[name] = extra[name].__class__(**_field_kwargs(extra[name]))
        self.initial.update({"home_branch": customer.home_branch.code})
        for name in names:
            value = basic.industry.code if name == "industry" else getattr(basic, name)
            self.initial[name] = value
        _style(self)

    def changes(self) -> dict:
        """The cleaned fields that differ from the initial values, as service arguments."""
        result = {}
        for name, value in self.cleaned_data.items():
            initial = self.initial.get(name)
            if isinstance(value, OrgUnit):
                if value.code != initial:
                    result[name] = value
            elif isinstance(value, IndustryCode):
                if value.code != initial:
                    result["industry_code"] = value.code
            elif value != initial:
                result[name] = value
        return result


def _field_kwargs(field: forms.Field) -> dict:
    """Enough to rebuild a declared form field as a fresh instance."""
    kwargs = {"label": field.label, "required": field.required, "help_text": field.help_text}
    if isinstance(field, forms.ModelChoiceField):
        kwargs.update(queryset=field.queryset, to_field_name=field.to_field_name)
    elif isinstance(field, forms.ChoiceField):
        kwargs["choices"] = field.choices
    if isinstance(field, forms.RegexField):
        kwargs["regex"] = field.regex
    if isinstance(field, forms.IntegerField):
        kwargs.update(min_value=field.min_value, max_value=field.max_value)
    if isinstance(field, forms.CharField) and not isinstance(field, forms.RegexField):
        kwargs["max_length"] = field.max_length
    if isinstance(field.widget, DateInput):
        kwargs["widget"] = DateInput
    return kwargs


class DocumentAddForm(BootstrapMixin, forms.Form):
    document_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.none(), to_field_name="code"
    )
    number = forms.CharField(label=_("Document number"), max_length=40)
    issue_date = forms.DateField(label=_("Issue date"), required=False, widget=DateInput)
    expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=DateInput, help_text=_("Empty = long-term.")
    )
    issuing_authority = forms.CharField(
        label=_("Issuing authority"), max_length=120, required=False
    )
    is_opening_document = forms.BooleanField(
        label=_("Make this the account-opening document"), required=False
    )

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = DocumentType.objects.filter(
            is_active=True, holder_kind__in=[customer.customer_type, "any"]
        ).order_by("code")


class ExtensionValuesForm(BootstrapMixin, forms.Form):
    """One field per extension attribute that applies to the customer, named by its code."""

    def __init__(self, *args, attributes: list[ExtensionAttribute], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for attribute in attributes:
            self.fields[attribute.code] = _extension_field(attribute)
            if attribute.code in current:
                self.initial[attribute.code] = current[attribute.code]
        _style(self)


def _extension_field(attribute: ExtensionAttribute) -> forms.Field:
    common = {"label": attribute.label, "required": False}
    if attribute.data_type == ExtensionDataType.BOOLEAN:
        return forms.ChoiceField(
            choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))], **common
        )
    if attribute.data_type == ExtensionDataType.CHOICE:
        return forms.ChoiceField(
            choices=[("", "—")] + [(c, c) for c in attribute.choices], **common
        )
    if attribute.data_type == ExtensionDataType.DATE:
        return forms.CharField(widget=DateInput, **common)
    # Text, integer and decimal stay text here so the service gives the one error message.
    return forms.CharField(**common)


class ContactAddForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactChannelKind.choices)
    value = forms.CharField(
        label=_("Phone number or email address"),
        max_length=120,
        help_text=_(
            "Mobile: 11 digits (e.g. 13800138000) or +country code; landline: with area code."
        ),
    )
    is_primary = forms.BooleanField(
        label=_("Primary (replaces the current primary of this kind)"), required=False
    )


class AddressAddForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AddressKind.choices)
    line = forms.CharField(label=_("Address"), max_length=255)
    region_code = forms.CharField(
        label=_("Region code (GB/T 2260)"),
        max_length=6,
        required=False,
        help_text=_("6 digits, e.g. 110105."),
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=12, required=False)
    country = forms.CharField(label=_("Country (ISO 3166 alpha-3)"), max_length=3, initial="CHN")


class RelationshipAddForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("The other customer is this customer's"), choices=RelationshipKind.choices
    )
    related_customer_no = forms.CharField(
        label=_("Other customer's number"),
        max_length=20,
        help_text=_("12 digits, or type part of a name or document number and pick the customer."),
        widget=LookupInput("customers:pick"),
    )
    start_date = forms.DateField(label=_("Since"), required=False, widget=DateInput)


class ExtensionAttributeForm(BootstrapMixin, forms.Form):
    """Definition of a new extension attribute (parameter administrators)."""

    scope = forms.ChoiceField(label=_("Applies to"), choices=ExtensionScope.choices)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Letters, digits, - and _; used by the API. Cannot change later."),
    )
    label = forms.CharField(label=_("Label"), max_length=120)
    label_zh_hans = forms.CharField(
        label=_("In Simplified Chinese"),
        max_length=120,
        required=False,
        help_text=_("The label Chinese users read (empty: the English one)."),
    )
    data_type = forms.ChoiceField(label=_("Data type"), choices=ExtensionDataType.choices)
    is_required = forms.BooleanField(label=_("Required"), required=False)
    min_value = forms.CharField(
        label=_("Minimum"),
        max_length=40,
        required=False,
        help_text=_("Length for text, value for numbers, YYYY-MM-DD for dates."),
    )
    max_value = forms.CharField(label=_("Maximum"), max_length=40, required=False)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the choice type: one per line."),
    )
    display_order = forms.IntegerField(
        label=_("Display order"), min_value=0, max_value=32767, initial=100
    )

    def clean_choices(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        return list(dict.fromkeys(line for line in lines if line))


class StatusChangeRequestForm(BootstrapMixin, forms.Form):
    """Ask for a status change; a branch supervisor other than you decides it."""

    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (value, label) for value, label in CustomerStatus.choices if value != customer.status
        ]
        _style(self)


class StatusChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(label=_("Comment"), max_length=255, required=False)
