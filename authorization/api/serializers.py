from rest_framework import serializers

from bankcore.api.serializers import StrictFieldsMixin

from ..rules.compiler import Decision
from ..services.decisions import decision_as_dict


class EvaluateRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    transaction_code = serializers.CharField(max_length=40)
    channel = serializers.CharField(
        max_length=40, help_text="Trigger system: counter, self_service, mobile, lobby_pad, core."
    )
    branch_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    teller = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    elements = serializers.DictField(
        required=False,
        default=dict,
        help_text='Typed elements of the transaction; money as {"amount": "60000.00", "currency": "CNY"}.',
    )


class ImageTypeOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    min_count = serializers.IntegerField()


class ReviewPointOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    mandatory = serializers.BooleanField()


class ReasonOutSerializer(serializers.Serializer):
    reason = serializers.CharField()
    reason_name = serializers.CharField()
    rule = serializers.CharField()
    rule_name = serializers.CharField()
    condition = serializers.CharField(
        help_text="The rule's condition as a sentence in the request's language (labels, no codes)."
    )
    condition_expression = serializers.CharField(
        help_text=(
            "The condition's technical form with field paths, the same in every language, "
            'e.g. "elements.amount ≥ 50,000.00 CNY AND customer.is_employee = true".'
        )
    )
    explanation = serializers.CharField(
        help_text="The compared values that made the condition hold, in the request's language."
    )
    outcome = serializers.CharField()
    mode = serializers.CharField()
    level = serializers.IntegerField()
    authorizers_required = serializers.IntegerField()


class SceneOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    classification = serializers.CharField()
    business_type = serializers.CharField()


class VersionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()


class DecisionSerializer(serializers.Serializer):
    """Documentation of the evaluate response (the view builds it with `decision_body`)."""

    reference = serializers.UUIDField(allow_null=True)
    required = serializers.BooleanField()
    refused = serializers.BooleanField()
    mode = serializers.CharField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    authorizer_role = serializers.CharField(allow_null=True)
    authorizers_required = serializers.IntegerField(allow_null=True)
    time_limit_minutes = serializers.IntegerField(allow_null=True)
    escalation_level = serializers.IntegerField(allow_null=True)
    scene = SceneOutSerializer(allow_null=True)
    required_image_types = ImageTypeOutSerializer(many=True)
    optional_image_types = ImageTypeOutSerializer(many=True)
    review_points = ReviewPointOutSerializer(many=True)
    reasons = ReasonOutSerializer(many=True)
    rule_set_version = VersionOutSerializer()


def decision_body(decision: Decision, *, reference=None) -> dict:
    """The decision as the API answers it (plain dicts: this is the hot path)."""
    return {"reference": str(reference) if reference else None, **decision_as_dict(decision)}
