from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictFieldsMixin:
    """Refuse fields the serializer does not know, instead of silently ignoring them: a
    misspelt field from a channel system must be an error, never a default. A text field
    takes a JSON string only (DRF would turn 12 or 1.5 into "12" or "1.5")."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = set(data.keys()) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unknown field.")] for name in sorted(unknown)}
                )
            not_text = {
                name: [_("Not a valid string.")]
                for name, value in data.items()
                if _not_text(self.fields[name], value)
            }
            if not_text:
                raise serializers.ValidationError(not_text)
        return super().to_internal_value(data)


def _not_text(field, value) -> bool:
    """A value that is no string given to a text field (or to a list of text fields)."""
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        return any(_not_text(field.child, item) for item in value)
    return isinstance(field, serializers.CharField) and not isinstance(value, (str, type(None)))


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
