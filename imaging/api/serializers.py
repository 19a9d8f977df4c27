from rest_framework import serializers

from bankcore.api.serializers import StrictFieldsMixin


class ImageUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    owner_ref = serializers.CharField(
        max_length=120, help_text='e.g. "authreq:<request reference>"'
    )
    image_type_code = serializers.CharField(max_length=40)
    subject_ref = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="Customer number."
    )
    file = serializers.FileField(
        allow_empty_file=True,  # an empty file is refused by imaging itself, with its reason
        use_url=False,
        help_text="JPEG, PNG, TIFF or PDF; judged by content, not by name or declared type.",
    )


class QualityFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    value = serializers.FloatField()


class ImageSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    owner_ref = serializers.CharField()
    image_type_code = serializers.CharField()
    subject_ref = serializers.CharField()
    state = serializers.ChoiceField(choices=["received", "processing", "ready", "rejected"])
    reject_reason = serializers.CharField()
    content_format = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    quality_flags = QualityFlagSerializer(many=True)
    reuse_flags = serializers.ListField(child=serializers.CharField())
    uploaded_by = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    view_url = serializers.CharField()
    review_url = serializers.CharField()
    thumbnail_url = serializers.CharField()


def image_body(facts) -> dict:
    return {
        "public_id": facts.public_id,
        "owner_ref": facts.owner_ref,
        "image_type_code": facts.image_type_code,
        "subject_ref": facts.subject_ref,
        "state": facts.state,
        "reject_reason": facts.reject_reason,
        "content_format": facts.content_format,
        "width": facts.width,
        "height": facts.height,
        "quality_flags": [
            {"code": code, "message": message, "value": value}
            for code, message, value in facts.quality_flags
        ],
        "reuse_flags": list(facts.reuse_flags),
        "uploaded_by": facts.uploaded_by_username,
        "uploaded_at": facts.uploaded_at,
        "view_url": facts.view_url,
        "review_url": facts.review_url,
        "thumbnail_url": facts.thumbnail_url,
    }
