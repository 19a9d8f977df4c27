"""Serializers of the authorization requests API (input checking and documented answers)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bankcore.api.serializers import StrictFieldsMixin

from ..models import AuthorizationMode, RequestState

# --- Input -------------------------------------------------------------------------------------


class SubmitSerializer(StrictFieldsMixin, serializers.Serializer):
    evaluation_reference = serializers.UUIDField(
        help_text=_("The `reference` the evaluate endpoint answered.")
    )
    teller = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Channel systems (integrators): the teller who submits; must exist, be active and "
            "belong to the transaction's branch. Staff: empty (you are the submitter)."
        ),
    )
    changes = serializers.DictField(
        required=False,
        default=dict,
        help_text=_(
            "A customer-information change (CUSTOMER_INFO_CHANGE): the fields to change and "
            'their new values, e.g. {"vip_level": 3}. The request keeps old and new values.'
        ),
    )


class CommentSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class VerdictItemSerializer(StrictFieldsMixin, serializers.Serializer):
    review_point = serializers.CharField(max_length=40)
    passed = serializers.BooleanField()
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class VerdictsSerializer(StrictFieldsMixin, serializers.Serializer):
    verdicts = VerdictItemSerializer(many=True, allow_empty=False)


class ReasonedDecisionSerializer(StrictFieldsMixin, serializers.Serializer):
    reason_code = serializers.CharField(
        max_length=40, help_text=_("A code of the reason catalogue (GET reason-codes).")
    )
    comment = serializers.CharField(max_length=500)


class ResubmitSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    elements = serializers.DictField(
        required=False,
        default=dict,
        help_text=_("Corrected elements (only those that change), typed as for evaluate."),
    )


class TransferSerializer(StrictFieldsMixin, serializers.Serializer):
    mode = serializers.ChoiceField(choices=AuthorizationMode.choices)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OnSiteDecisionSerializer(StrictFieldsMixin, serializers.Serializer):
    supervisor_username = serializers.CharField(max_length=150)
    supervisor_password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
    action = serializers.ChoiceField(choices=["approve", "reject", "return"])
    verdicts = VerdictItemSerializer(many=True, required=False, default=list)
    reason_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ImageAttachSerializer(StrictFieldsMixin, serializers.Serializer):
    image_type = serializers.CharField(
        max_length=40, help_text=_("An image type the request's decision asks for.")
    )
    file = serializers.FileField(help_text=_("JPEG, PNG or PDF."))


# --- Output ------------------------------------------------------------------------------------


class MoneyOutSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    currency = serializers.CharField()


def _username(user) -> str | None:
    return user.username if user else None


class RequestSerializer(serializers.Serializer):
    """An authorization request as the API answers it."""

    reference = serializers.CharField()
    state = serializers.ChoiceField(choices=RequestState.choices)
    transaction_code = serializers.CharField()
    channel = serializers.CharField()
    branch_code = serializers.CharField(source="branch.code")
    submitted_by = serializers.CharField(source="submitted_by.username")
    submitted_at = serializers.DateTimeField()
    terminal = serializers.CharField()
    elements = serializers.DictField()
    amount = serializers.SerializerMethodField()
    mode = serializers.ChoiceField(choices=AuthorizationMode.choices)
    authorizer_role = serializers.CharField()
    level = serializers.IntegerField()
    authorizers_required = serializers.IntegerField()
    time_limit_minutes = serializers.IntegerField(allow_null=True)
    escalation_level = serializers.IntegerField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    priority = serializers.IntegerField()
    round = serializers.IntegerField()
    scene_code = serializers.CharField()
    reason_codes = serializers.ListField(child=serializers.CharField())
    decision = serializers.DictField(
        source="decision_shown",
        help_text=_(
            "The decision as evaluated: scene, required/optional image types, review points, "
            "reasons with explanations, rule-set version. Names, texts and explanations are in "
            "the language asked for (Accept-Language), as they read at submission; `language` "
            "names it (absent for requests submitted before every language was kept: those "
            "read in the submitter's language)."
        ),
    )
    queued_at = serializers.DateTimeField(allow_null=True)
    claimed_by = serializers.SerializerMethodField()
    claimed_at = serializers.DateTimeField(allow_null=True)
    lease_expires_at = serializers.DateTimeField(allow_null=True)
    first_approver = serializers.SerializerMethodField()
    first_approved_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason_code = serializers.CharField()
    decision_comment = serializers.CharField()
    subject_ref = serializers.CharField()
    changes = serializers.DictField()

    @extend_schema_field(MoneyOutSerializer(allow_null=True))
    def get_amount(self, obj):
        if obj.amount is None:
            return None
        return {"amount": f"{obj.amount:.2f}", "currency": obj.currency}

    def get_claimed_by(self, obj) -> str | None:
        return _username(obj.claimed_by)

    def get_first_approver(self, obj) -> str | None:
        return _username(obj.first_approver)

    def get_decided_by(self, obj) -> str | None:
        return _username(obj.decided_by)


class MissingImageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    min_count = serializers.IntegerField()
    ready = serializers.IntegerField()


class VerdictOutSerializer(serializers.Serializer):
    review_point = serializers.CharField(source="review_point_code")
    passed = serializers.BooleanField()
    comment = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username")
    recorded_at = serializers.DateTimeField()
    round = serializers.IntegerField()


class RequestDetailSerializer(RequestSerializer):
    missing_images = MissingImageSerializer(many=True, read_only=True)
    verdicts = VerdictOutSerializer(source="verdicts_list", many=True, read_only=True)
    images = serializers.ListField(
        child=serializers.DictField(), read_only=True, help_text=_("Images attached.")
    )


class TrailEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    kind = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField(source="actor_username")
    actor_unit = serializers.CharField(source="actor_unit_code")
    occurred_at = serializers.DateTimeField()
    seconds_since_previous = serializers.DecimalField(max_digits=14, decimal_places=3)
    ip_address = serializers.CharField()
    user_agent = serializers.CharField()
    terminal = serializers.CharField()
    mode = serializers.CharField()
    level = serializers.IntegerField(allow_null=True)
    reason_code = serializers.CharField()
    details = serializers.DictField()
    prev_hash = serializers.CharField()
    hash = serializers.CharField()


class ReasonCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        return obj.label()


class LevelCountSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    waiting_for_evidence = serializers.IntegerField()
    queued = serializers.IntegerField()
    in_review = serializers.IntegerField()
    returned = serializers.IntegerField()


class ImageAttachedSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    image_type = serializers.CharField(source="image_type_code")
    state = serializers.CharField()
    view_url = serializers.CharField()
    thumbnail_url = serializers.CharField()


class DelegationCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    substitute = serializers.CharField(max_length=150, help_text=_("The substitute's username."))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DelegationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    delegator = serializers.CharField(source="delegator.username")
    substitute = serializers.CharField(source="substitute.username")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
