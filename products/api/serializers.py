"""Serializers of the products API. Values of parameters travel as canonical text (see
products.parameters); amounts as decimal strings with their currency, never float."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bankcore.api.fields import AmountField, amount_places_validate
from bankcore.api.serializers import StrictFieldsMixin
from products.models import (
    BusinessNature,
    CustomerGroup,
    DataType,
    PrincipleLevel,
    ProductModel,
    Zone,
)
from products.parameters import display

# ---------------------------------------------------------------- read


class ChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class ProductLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    line_code = serializers.CharField()
    business_nature = serializers.CharField()


class ParameterDefinitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    zone = serializers.CharField()
    data_type = serializers.CharField()
    principle_level = serializers.CharField()
    choices = ChoiceSerializer(many=True)
    min_value = serializers.CharField()
    max_value = serializers.CharField()
    help_text = serializers.CharField()
    is_active = serializers.BooleanField()
    lines = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_lines(self, definition) -> list[str]:
        return [line.code for line in definition.lines.all()]


class SettingSerializer(serializers.Serializer):
    """One parameter as a template or product version sets it."""

    code = serializers.CharField(source="definition.code")
    label = serializers.CharField(source="definition.label")
    zone = serializers.CharField(source="definition.zone")
    data_type = serializers.CharField(source="definition.data_type")
    principle_level = serializers.CharField()
    value = serializers.CharField()
    display = serializers.SerializerMethodField()
    free_min = serializers.CharField()
    free_max = serializers.CharField()
    negotiable_min = serializers.CharField()
    negotiable_max = serializers.CharField()
    is_locked = serializers.BooleanField()

    def get_display(self, setting) -> str:
        return display(setting.definition, setting.value)


class TemplateSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    line = serializers.CharField(source="line.code")
    customer_group = serializers.CharField()
    business_nature = serializers.CharField()
    description = serializers.CharField()
    is_active = serializers.BooleanField()
    parameters = SettingSerializer(many=True)


class ProductSummarySerializer(serializers.Serializer):
    product_code = serializers.CharField()
    name = serializers.CharField()
    line = serializers.CharField(source="line.code")
    model = serializers.CharField()
    customer_group = serializers.CharField()
    business_nature = serializers.CharField()
    status = serializers.CharField()
    active_version = serializers.IntegerField(
        source="active_version.number", allow_null=True, default=None
    )
    version_count = serializers.IntegerField()
    account_count = serializers.IntegerField()
    template = serializers.CharField(source="template.code", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)


class VersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    change_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    approved_by = serializers.CharField(
        source="approved_by.username",
        allow_null=True,
        default=None,
        help_text="The second parameter administrator who approved this version (none for a "
        "draft's version 1).",
    )


class VersionSerializer(VersionSummarySerializer):
    parameters = SettingSerializer(many=True)


class ComponentSerializer(serializers.Serializer):
    product_code = serializers.CharField(source="component.product_code")
    name = serializers.CharField(source="component.name")
    binding_rule = serializers.CharField()


class ProductDetailSerializer(ProductSummarySerializer):
    description = serializers.CharField()
    published_by = serializers.CharField(
        source="published_by.username",
        allow_null=True,
        default=None,
        help_text="Who proposed publishing the product.",
    )
    publication_approved_by = serializers.CharField(
        source="publication_approved_by.username",
        allow_null=True,
        default=None,
        help_text="The second parameter administrator who approved the publication.",
    )
    retired_by = serializers.CharField(source="retired_by.username", allow_null=True, default=None)
    copied_from = serializers.CharField(
        source="copied_from.product_code", allow_null=True, default=None
    )
    latest_version = serializers.SerializerMethodField()
    versions = VersionSummarySerializer(many=True)
    components = ComponentSerializer(many=True)
    parameters = serializers.SerializerMethodField()

    def get_latest_version(self, product) -> int:
        return list(product.versions.all())[-1].number

    @extend_schema_field(SettingSerializer(many=True))
    def get_parameters(self, product) -> list:
        """The latest version's parameters (the draft being designed, or the active one)."""
        latest = list(product.versions.all())[-1]
        return SettingSerializer(latest.parameters.all(), many=True).data


class ParameterDiffSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    zone = serializers.CharField()
    left = serializers.CharField()
    right = serializers.CharField()
    changed = serializers.BooleanField()


class AccountSerializer(serializers.Serializer):
    account_no = serializers.CharField()
    customer_no = serializers.CharField()
    customer_name = serializers.CharField()
    customer_type = serializers.CharField()
    product_code = serializers.CharField(source="product.product_code")
    product_name = serializers.CharField(source="product.name")
    product_version = serializers.IntegerField(source="product_version.number")
    currency = serializers.CharField()
    opening_amount = serializers.DecimalField(max_digits=20, decimal_places=2)
    channel = serializers.CharField()
    medium = serializers.CharField()
    status = serializers.CharField()
    authorization_required = serializers.SerializerMethodField()
    negotiated_parameters = serializers.ListField(child=serializers.CharField())
    parameters = serializers.DictField(
        source="parameter_values", child=serializers.CharField(allow_blank=True)
    )
    early_withdrawals_used = serializers.IntegerField()
    branch = serializers.CharField(source="branch.code")
    opened_at = serializers.DateTimeField()

    def get_authorization_required(self, account) -> bool:
        return account.status == "pending_authorization"


class AccountAuthorizationSerializer(serializers.Serializer):
    """What the authorization rules decided when the account was opened."""

    mode = serializers.CharField(source="authorization_mode")
    level = serializers.IntegerField(source="authorization_level", allow_null=True)
    reasons = serializers.ListField(
        source="authorization_reasons", child=serializers.DictField(child=serializers.CharField())
    )
    evaluation_reference = serializers.CharField()


class AccountDetailSerializer(AccountSerializer):
    authorization = AccountAuthorizationSerializer(source="*")


class DecisionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(source="reason_code")
    reason_name = serializers.CharField()
    rule = serializers.CharField(source="rule_code")
    explanation = serializers.CharField()


class OpeningDecisionSerializer(serializers.Serializer):
    """The authorization rules' answer on this opening (`evaluated: false` when no rule set is
    in force). `required: true` leaves the account `pending_authorization`."""

    evaluated = serializers.BooleanField()
    required = serializers.BooleanField()
    mode = serializers.CharField()
    mode_label = serializers.CharField()
    level = serializers.IntegerField(allow_null=True)
    reasons = DecisionReasonSerializer(many=True)
    reference = serializers.CharField()
    rule_set_version = serializers.IntegerField(allow_null=True)


class AccountOpenedSerializer(AccountDetailSerializer):
    decision = OpeningDecisionSerializer()


# ---------------------------------------------------------------- write


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string"},
            {"type": "integer"},
            {"type": "boolean"},
            {"type": "array", "items": {}},
            {"type": "object"},
        ],
        "description": "A value (never a floating-point number, never null) or a setting object.",
    }
)
class SettingChangeField(serializers.Field):
    """A bare value (string, or list for choice lists) or an object with any of value,
    principle_level, free_min, free_max, negotiable_min, negotiable_max."""

    def to_internal_value(self, data):
        if isinstance(data, float):
            raise serializers.ValidationError(
                _("Give numbers as strings, never as floating point.")
            )
        if isinstance(data, (str, int, bool, list, dict)):
            return data
        raise serializers.ValidationError(_("Give a value or a setting object."))

    def to_representation(self, value):
        return value


class ParameterDefinitionCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    code = serializers.SlugField(max_length=60)
    label = serializers.CharField(max_length=120)
    zone = serializers.ChoiceField(choices=Zone.choices)
    data_type = serializers.ChoiceField(choices=DataType.choices)
    principle_level = serializers.ChoiceField(choices=PrincipleLevel.choices)
    choices = serializers.ListField(child=serializers.JSONField(), required=False, default=list)
    min_value = serializers.CharField(required=False, allow_blank=True, default="")
    max_value = serializers.CharField(required=False, allow_blank=True, default="")
    help_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    line_codes = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    sort_order = serializers.IntegerField(required=False, default=100, min_value=0, max_value=32767)


class ParameterDefinitionUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    """Label, help text, order and the active flag change at any time; bounds and choices
    only while no product or template uses the parameter. Code, zone, data type and
    principle level never change."""

    label = serializers.CharField(max_length=120, required=False)
    help_text = serializers.CharField(max_length=255, required=False, allow_blank=True)
    sort_order = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    is_active = serializers.BooleanField(required=False)
    min_value = serializers.CharField(required=False, allow_blank=True)
    max_value = serializers.CharField(required=False, allow_blank=True)
    choices = serializers.ListField(child=serializers.JSONField(), required=False)


class ParameterDefinitionDetailSerializer(ParameterDefinitionSerializer):
    product_count = serializers.IntegerField(help_text="Products with a version setting it.")
    template_count = serializers.IntegerField()


class TransactionPermissionSerializer(serializers.Serializer):
    account_no = serializers.CharField()
    transaction_code = serializers.CharField()
    allowed = serializers.BooleanField()
    reason_code = serializers.CharField()
    message = serializers.CharField()


class TemplateCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    code = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=120)
    line = serializers.CharField()
    customer_group = serializers.ChoiceField(choices=CustomerGroup.choices)
    business_nature = serializers.ChoiceField(choices=BusinessNature.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    parameters = serializers.DictField(child=SettingChangeField())
    locked = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class ComponentInputSerializer(StrictFieldsMixin, serializers.Serializer):
    product_code = serializers.CharField()
    binding_rule = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=255
    )


class ProductCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    template = serializers.CharField(help_text="Code of the line template to start from.")
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    customer_group = serializers.ChoiceField(choices=CustomerGroup.choices, required=False)
    business_nature = serializers.ChoiceField(choices=BusinessNature.choices, required=False)
    model = serializers.ChoiceField(choices=ProductModel.choices, required=False, default="single")
    parameters = serializers.DictField(child=SettingChangeField(), required=False, default=dict)
    components = ComponentInputSerializer(many=True, required=False, default=list)


class ProductModifySerializer(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    parameters = serializers.DictField(child=SettingChangeField(), required=False, default=dict)
    components = ComponentInputSerializer(many=True, required=False)
    change_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=255
    )


class ProductProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product_code = serializers.CharField(source="product.product_code")
    kind = serializers.CharField(help_text="publish or modify")
    status = serializers.CharField(help_text="pending, approved, rejected or withdrawn")
    changes = serializers.JSONField(help_text="A modification as submitted (modify only).")
    base_version_number = serializers.IntegerField()
    proposed_by = serializers.CharField(source="proposed_by.username")
    proposed_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_comment = serializers.CharField()
    result_version = serializers.IntegerField(
        source="result_version.number", allow_null=True, default=None
    )


class ProposalRejectSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(max_length=500, help_text="Why the proposal is rejected.")


class ProductCopySerializer(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class AccountOpenSerializer(StrictFieldsMixin, serializers.Serializer):
    product_code = serializers.CharField()
    customer_no = serializers.CharField(max_length=32)
    currency = serializers.CharField(max_length=3, default="CNY")
    opening_amount = AmountField(
        allow_zero=True,
        help_text='A string such as "1000.00", within the currency\'s minor units; zero where '
        "the product's minimum opening amount allows it.",
    )
    channel = serializers.CharField(max_length=20, default="counter")
    medium = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    branch_code = serializers.CharField(
        required=False,
        help_text="Opening branch; defaults to the user's own unit (channel systems name the branch).",
    )
    parameters = serializers.DictField(
        child=SettingChangeField(),
        required=False,
        default=dict,
        help_text="Values of default parameters the account overrides (code → value).",
    )

    def validate(self, attrs):
        amount_places_validate(attrs, amount_field="opening_amount", currency=attrs["currency"])
        return attrs
