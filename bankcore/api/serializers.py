from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictFieldsMixin:
    """Refuse fields the serializer does not know, instead of silently ignoring them: a
    misspelt field from a channel system must be an error, never a default."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = set(data.keys()) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unknown field.")] for name in sorted(unknown)}
                )
        return super().to_internal_value(data)


class TokenRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    org_unit = serializers.CharField(allow_null=True)


class CurrentUserSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    org_unit = serializers.CharField(allow_null=True)
    authorization_level = serializers.IntegerField(allow_null=True)


class HealthCheckSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    detail = serializers.CharField(
        required=False, help_text="Backend and error; for signed-in staff only."
    )


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "unavailable"])
    checks = serializers.DictField(child=HealthCheckSerializer())
