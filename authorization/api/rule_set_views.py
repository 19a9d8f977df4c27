"""Rule-set versions over the API (read-only): where each version stands, and who proposed
and who approved each publication. Publishing goes through the pages' proposals."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import page_selectors
from ..views.access import user_can_read_rule_set


class CanReadRuleSet(BasePermission):
    def has_permission(self, request, view) -> bool:
        return user_can_read_rule_set(request.user)


class PendingProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    is_rollback = serializers.BooleanField()
    effective_at = serializers.DateTimeField(
        allow_null=True, help_text="Empty: in force from the moment it is approved."
    )
    proposed_by = serializers.CharField(source="proposed_by.username")
    proposed_at = serializers.DateTimeField()


class RuleSetVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="version.number")
    standing = serializers.CharField(
        help_text="draft, in_force, scheduled or superseded: worked out from the publications "
        "the same way evaluate picks the version in force."
    )
    note = serializers.CharField(source="version.note")
    based_on = serializers.IntegerField(
        source="version.based_on.number", allow_null=True, default=None
    )
    effective_at = serializers.DateTimeField(
        source="publication.effective_at", allow_null=True, default=None
    )
    proposed_by = serializers.CharField(
        source="publication.published_by.username", allow_null=True, default=None
    )
    approved_by = serializers.CharField(
        source="publication.approved_by.username", allow_null=True, default=None
    )
    pending_proposal = PendingProposalSerializer(allow_null=True)


class RuleSetVersionListView(APIView):
    permission_classes = [IsAuthenticated, CanReadRuleSet]

    @extend_schema(
        tags=["authorization"],
        summary="Rule-set versions and where each stands now",
        description=(
            "Newest first. For each version: its standing now, the publication it speaks of "
            "(in force, scheduled or the last one) with the administrator who proposed it and "
            "the one who approved it, and a pending proposal if any."
        ),
        responses={
            200: RuleSetVersionSerializer(many=True),
            403: OpenApiResponse(description="Parameter administrators and managers only."),
        },
    )
    def get(self, request):
        rows = page_selectors.rule_set_version_rows(now=timezone.now())
        return Response(RuleSetVersionSerializer(rows, many=True).data)
