"""Serializers of the customers API: thin shapes; the rules live in customers.services."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from bankcore.api.serializers import StrictFieldsMixin
from bankcore.models import OrgUnit
from bankcore.scoping import user_can_see_unit
from customers import services
from customers.models import (
    AddressKind,
    ContactChannelKind,
    Customer,
    CustomerChangeAction,
    CustomerStatus,
    CustomerType,
    DocumentType,
    EconomicType,
    ExtensionDataType,
    ExtensionScope,
    Gender,
    RelationshipKind,
    StatusChangeState,
)
from customers.validation import (
    DocumentNumberInvalid,
    document_number_normalise,
    extension_value_typed,
)

CUSTOMER_NO_HELP = _(
    "Customer number: 12 digits = 1 type digit (1 personal, 2 corporate, 9 internal) + "
    "10-digit serial + 1 Luhn check digit. A number whose check digit is wrong is refused "
    "(400) before any lookup."
)


def _inline_enum_field(choices_class, name: str):
    """A ChoiceField documented as a string with a pattern listing its values. Several fields
    share a name ("kind", "status") with different choice sets across components, which as
    enum components collide (and ENUM_NAME_OVERRIDES is a kernel setting)."""

    values = "|".join(choices_class.values)
    labels = ", ".join(f"`{value}` ({label})" for value, label in choices_class.choices)

    @extend_schema_field({"type": "string", "pattern": f"^({values})$", "description": labels})
    class InlineChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices_class.choices, **kwargs)

    InlineChoiceField.__name__ = name
    return InlineChoiceField


ContactKindField = _inline_enum_field(ContactChannelKind, "ContactKindField")
AddressKindField = _inline_enum_field(AddressKind, "AddressKindField")
RelationshipKindField = _inline_enum_field(RelationshipKind, "RelationshipKindField")
CustomerStatusField = _inline_enum_field(CustomerStatus, "CustomerStatusField")


# --- Read shapes --------------------------------------------------------------------------------


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    document_type = serializers.CharField(source="document_type.code")
    document_type_name = serializers.CharField(source="document_type.name")
    number = serializers.CharField()
    issuing_authority = serializers.CharField()
    issue_date = serializers.DateField(allow_null=True)
    expiry_date = serializers.DateField(allow_null=True, help_text=_("null = long-term."))
    is_opening_document = serializers.BooleanField()
    is_expired = serializers.SerializerMethodField(help_text=_("Expired as of today."))

    def get_is_expired(self, document) -> bool:
        return document.is_expired_on(timezone.localdate())


class ContactChannelSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = ContactKindField()
    value = serializers.CharField()
    is_primary = serializers.BooleanField()


class AddressSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = AddressKindField()
    country = serializers.CharField()
    region_code = serializers.CharField()
    line = serializers.CharField()
    postal_code = serializers.CharField()


class RelationshipSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = RelationshipKindField()
    related_customer_no = serializers.CharField(source="related_customer.customer_no")
    related_customer_name = serializers.CharField(source="related_customer.name")
    start_date = serializers.DateField(allow_null=True)


class ExtensionValueSerializer(serializers.Serializer):
    code = serializers.CharField(source="attribute.code")
    label = serializers.CharField(source="attribute.label")
    scope = serializers.CharField(source="attribute.scope")
    data_type = serializers.CharField(source="attribute.data_type")
    value = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.ANY)
    def get_value(self, row):
        return extension_value_typed(row.attribute, row.value)


class PersonalBasicSerializer(serializers.Serializer):
    name = serializers.CharField()
    vip_level = serializers.IntegerField()
    is_domestic = serializers.BooleanField()
    is_employee = serializers.BooleanField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    birth_date = serializers.DateField(allow_null=True)
    nationality = serializers.CharField()


class CorporateBasicSerializer(serializers.Serializer):
    name = serializers.CharField()
    industry_code = serializers.CharField(source="industry.code")
    industry_name = serializers.CharField(source="industry.name")
    economic_type = serializers.ChoiceField(choices=EconomicType.choices)
    registration_region_code = serializers.CharField()
    is_interbank = serializers.BooleanField()
    is_domestic = serializers.BooleanField()


class InternalBasicSerializer(serializers.Serializer):
    name = serializers.CharField()
    purpose = serializers.CharField()


BASIC_SERIALIZERS = {
    CustomerType.PERSONAL: PersonalBasicSerializer,
    CustomerType.CORPORATE: CorporateBasicSerializer,
    CustomerType.INTERNAL: InternalBasicSerializer,
}


class OpeningDocumentSerializer(serializers.Serializer):
    document_type = serializers.CharField(source="document_type.code")
    number = serializers.CharField()
    expiry_date = serializers.DateField(allow_null=True)
    is_expired = serializers.SerializerMethodField()

    def get_is_expired(self, document) -> bool:
        return document.is_expired_on(timezone.localdate())


class CustomerListSerializer(serializers.Serializer):
    """Index layer plus the basic fields staff filter on."""

    customer_no = serializers.CharField(help_text=CUSTOMER_NO_HELP)
    customer_type = serializers.ChoiceField(choices=CustomerType.choices)
    status = CustomerStatusField()
    name = serializers.CharField()
    home_branch = serializers.CharField(source="home_branch.code")
    vip_level = serializers.IntegerField()
    is_employee = serializers.BooleanField()
    is_interbank = serializers.BooleanField()
    is_domestic = serializers.BooleanField()
    opening_document = serializers.SerializerMethodField()

    @extend_schema_field(OpeningDocumentSerializer(allow_null=True))
    def get_opening_document(self, customer):
        documents = getattr(customer, "opening_documents", None)
        if documents is None:
            documents = [d for d in customer.documents.all() if d.is_opening_document]
        return OpeningDocumentSerializer(documents[0]).data if documents else None


class CustomerDetailSerializer(serializers.Serializer):
    """All four layers: index (top-level fields), basic, classified modules, extended."""

    customer_no = serializers.CharField(help_text=CUSTOMER_NO_HELP)
    customer_type = serializers.ChoiceField(choices=CustomerType.choices)
    status = CustomerStatusField()
    home_branch = serializers.CharField(source="home_branch.code")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    basic = serializers.SerializerMethodField(help_text=_("Basic info layer (per customer type)."))
    documents = DocumentSerializer(many=True)
    contact_channels = ContactChannelSerializer(many=True)
    addresses = AddressSerializer(many=True)
    relationships = RelationshipSerializer(many=True)
    extensions = ExtensionValueSerializer(many=True, source="extension_values")

    @extend_schema_field(
        PolymorphicProxySerializer(
            component_name="CustomerBasicInfo",
            serializers=[
                PersonalBasicSerializer,
                CorporateBasicSerializer,
                InternalBasicSerializer,
            ],
            resource_type_field_name=None,
        )
    )
    def get_basic(self, customer: Customer) -> dict:
        return BASIC_SERIALIZERS[customer.customer_type](customer.basic).data


# --- Write shapes -------------------------------------------------------------------------------


class HomeBranchField(serializers.SlugRelatedField):
    """An organisation unit code the requesting user may see."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Organisation unit code, e.g. BJ01."))
        super().__init__(
            slug_field="code", queryset=OrgUnit.objects.filter(is_active=True), **kwargs
        )

    def to_internal_value(self, data):
        unit = super().to_internal_value(data)
        request = self.context.get("request")
        if request is not None and not user_can_see_unit(request.user, unit):
            raise serializers.ValidationError(_("This unit is outside your branch."))
        return unit


class DocumentInputSerializer(StrictFieldsMixin, serializers.Serializer):
    document_type = serializers.CharField(
        max_length=8, help_text=_("Document type code, see /api/v1/customers/document-types/.")
    )
    number = serializers.CharField(
        max_length=40,
        help_text=_(
            "Checked where a standard defines a check: resident ID (GB 11643, MOD 11-2, "
            "real birth date) and unified social credit code (GB 32100, MOD 31)."
        ),
    )
    issue_date = serializers.DateField(required=False, allow_null=True)
    expiry_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("null = long-term.")
    )
    issuing_authority = serializers.CharField(max_length=120, required=False, allow_blank=True)

    def validate(self, attrs):
        document_type = DocumentType.objects.filter(
            code=attrs["document_type"], is_active=True
        ).first()
        if document_type is None:
            raise serializers.ValidationError({"document_type": [_("Unknown document type.")]})
        try:
            attrs["number"] = document_number_normalise(
                validator=document_type.validator,
                number=attrs["number"],
                today=timezone.localdate(),
            )
        except DocumentNumberInvalid as exc:
            raise serializers.ValidationError(exc.fields) from None
        return attrs

    @staticmethod
    def to_input(attrs: dict) -> services.DocumentInput:
        return services.DocumentInput(
            document_type_code=attrs["document_type"],
            number=attrs["number"],
            issue_date=attrs.get("issue_date"),
            expiry_date=attrs.get("expiry_date"),
            issuing_authority=attrs.get("issuing_authority", ""),
        )


class DocumentCreateSerializer(DocumentInputSerializer):
    is_opening_document = serializers.BooleanField(
        default=False, help_text=_("Make this the account-opening document (replaces the old one).")
    )


class ContactInputSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = ContactKindField()
    value = serializers.CharField(
        max_length=120,
        help_text=_(
            "Mobile: 11-digit mainland number or +international; landline/fax: 7-15 digits "
            "with area code (extension after #); email: a valid address (stored lower-case)."
        ),
    )
    is_primary = serializers.BooleanField(
        default=False, help_text=_("Replaces the customer's previous primary of this kind.")
    )

    def to_input(self) -> services.ContactInput:
        return services.ContactInput(**self.validated_data)


class AddressInputSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = AddressKindField()
    line = serializers.CharField(max_length=255)
    region_code = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    country = serializers.CharField(
        max_length=3, required=False, default="CHN", help_text=_("ISO 3166 alpha-3.")
    )

    def to_input(self) -> services.AddressInput:
        return services.AddressInput(**self.validated_data)


class RelationshipInputSerializer(StrictFieldsMixin, serializers.Serializer):
    related_customer_no = serializers.CharField(
        max_length=20,
        help_text=_("The other customer (must exist, be visible to you and differ from this one)."),
    )
    kind = RelationshipKindField(
        help_text=_("What the related customer is to this one, e.g. legal_representative.")
    )
    start_date = serializers.DateField(required=False, allow_null=True, default=None)


class CustomerChangeSerializer(serializers.Serializer):
    """One entry of a customer's change history (read-only)."""

    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=CustomerChangeAction.choices)
    changed_at = serializers.DateTimeField()
    changed_by = serializers.CharField(
        source="changed_by.username",
        allow_null=True,
        default=None,
        help_text=_("Username; null = a system process (seed, migration)."),
    )
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
        help_text=_(
            "{field or attribute code: [old, new]}; old is null when added, new null when removed."
        ),
    )


EXTENSIONS_HELP = _(
    "Extension attribute values by attribute code (see /api/v1/customers/extension-attributes/); "
    "each is validated against its attribute's data type, bounds and choices."
)


class _CustomerCreateBase(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    home_branch = HomeBranchField()
    status = CustomerStatusField(default=CustomerStatus.ACTIVE)
    is_domestic = serializers.BooleanField(default=True)
    opening_document = DocumentInputSerializer()
    contact_channels = ContactInputSerializer(many=True, required=False)
    addresses = AddressInputSerializer(many=True, required=False)
    extensions = serializers.DictField(
        child=serializers.JSONField(), required=False, help_text=EXTENSIONS_HELP
    )

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data["opening_document"] = DocumentInputSerializer.to_input(data["opening_document"])
        data["contact_channels"] = [
            services.ContactInput(**row) for row in data.get("contact_channels", [])
        ]
        data["addresses"] = [services.AddressInput(**row) for row in data.get("addresses", [])]
        return data


class PersonalCustomerCreateSerializer(_CustomerCreateBase):
    vip_level = serializers.IntegerField(min_value=0, max_value=9, default=0)
    is_employee = serializers.BooleanField(default=False)
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.UNSTATED)
    birth_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("Defaults to the date inside a resident ID.")
    )
    nationality = serializers.CharField(max_length=3, default="CHN")


class CorporateCustomerCreateSerializer(_CustomerCreateBase):
    industry_code = serializers.CharField(max_length=8, help_text=_("GB/T 4754 industry code."))
    economic_type = serializers.ChoiceField(choices=EconomicType.choices)
    registration_region_code = serializers.RegexField(
        r"^[0-9]{6}$",
        help_text=_("Administrative division code (GB/T 2260) of the place of registration."),
    )
    is_interbank = serializers.BooleanField(default=False)


class CustomerUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    """Only the fields sent change; fields the customer's type does not have give 400."""

    status = CustomerStatusField(required=False)
    home_branch = HomeBranchField(required=False)
    name = serializers.CharField(max_length=200, required=False)
    vip_level = serializers.IntegerField(min_value=0, max_value=9, required=False)
    is_domestic = serializers.BooleanField(required=False)
    is_employee = serializers.BooleanField(required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    nationality = serializers.CharField(max_length=3, required=False)
    industry_code = serializers.CharField(max_length=8, required=False)
    economic_type = serializers.ChoiceField(choices=EconomicType.choices, required=False)
    registration_region_code = serializers.RegexField(r"^[0-9]{6}$", required=False)
    is_interbank = serializers.BooleanField(required=False)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ExtensionValuesWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text=_(
            '{attribute code: value}; null or "" clears a value. '
            "Extension attribute values by attribute code (see /api/v1/customers/extension-attributes/); "
            "each is validated against its attribute's data type, bounds and choices."
        ),
    )


class ExtensionAttributeSerializer(StrictFieldsMixin, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    scope = serializers.ChoiceField(choices=ExtensionScope.choices)
    code = serializers.SlugField(max_length=40)
    label = serializers.CharField(max_length=120)
    data_type = serializers.ChoiceField(choices=ExtensionDataType.choices)
    is_required = serializers.BooleanField(default=False)
    min_value = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    max_value = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    choices = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, default=list
    )
    display_order = serializers.IntegerField(min_value=0, max_value=32767, default=100)
    is_active = serializers.BooleanField(read_only=True)


class DocumentTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    holder_kind = serializers.CharField()
    validator = serializers.CharField(help_text=_("resident_id, uscc, or empty (no checksum)."))


class StatusChangeSerializer(serializers.Serializer):
    """A status change: requested by one person, decided by another (a branch supervisor)."""

    id = serializers.IntegerField()
    from_status = serializers.ChoiceField(choices=CustomerStatus.choices)
    to_status = serializers.ChoiceField(choices=CustomerStatus.choices)
    reason = serializers.CharField()
    state = serializers.ChoiceField(choices=StatusChangeState.choices)
    requested_by = serializers.CharField(source="requested_by.username")
    requested_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_comment = serializers.CharField()


class StatusChangeRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    to_status = serializers.ChoiceField(choices=CustomerStatus.choices)
    reason = serializers.CharField(max_length=255)


class StatusChangeDecisionSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when rejecting."),
    )
