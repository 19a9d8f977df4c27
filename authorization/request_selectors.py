"""Reads of authorization requests for this app's API and pages (querysets are fine here;
other apps read through authorization.selectors)."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bankcore.models import OrgUnit

from .models import (
    AuthorizationMode,
    AuthorizationRequest,
    ReasonCode,
    RequestEvent,
    RequestState,
    ReviewVerdict,
)
from .services.eligibility import authorizer_scope, scope_q
from .services.requests import missing_images, request_get, requests_visible_to

LIST_RELATED = ("branch", "submitted_by", "claimed_by", "first_approver", "decided_by")


def request_list_for_user(*, user):
    """Requests `user` may see, newest first, with what a list shows loaded."""
    return requests_visible_to(user).select_related(*LIST_RELATED).order_by("-submitted_at", "-id")


class RequestFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=RequestState.choices)
    mode = django_filters.ChoiceFilter(choices=AuthorizationMode.choices)
    level = django_filters.NumberFilter()
    branch = django_filters.CharFilter(
        method="filter_branch", help_text=_("A unit code: its requests and its subtree's.")
    )
    transaction_code = django_filters.CharFilter()
    submitted_by = django_filters.CharFilter(field_name="submitted_by__username")
    subject = django_filters.CharFilter(
        field_name="subject_ref",
        help_text=_('What the request acts on: "account:<account_no>" or "customer:<no>".'),
    )
    due_before = django_filters.IsoDateTimeFilter(
        field_name="due_at", lookup_expr="lte", help_text=_("Due soon: due at or before.")
    )
    claimable = django_filters.BooleanFilter(
        method="filter_claimable", help_text=_("Only requests you may claim now.")
    )

    class Meta:
        model = AuthorizationRequest
        fields: list[str] = []

    def filter_branch(self, queryset, name, value):
        unit = OrgUnit.objects.filter(code=value).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(branch__path__startswith=unit.path)

    def filter_claimable(self, queryset, name, value):
        now = timezone.now()
        scope = authorizer_scope(user=self.request.user, now=now)
        claimable = (
            Q(state=RequestState.QUEUED) | Q(state=RequestState.IN_REVIEW, lease_expires_at__lt=now)
        ) & scope_q(scope)
        return queryset.filter(claimable) if value else queryset.exclude(claimable)


@dataclass(frozen=True, slots=True)
class LevelCount:
    level: int
    waiting_for_evidence: int
    queued: int
    in_review: int
    returned: int


def request_counts_by_level(*, user) -> list[LevelCount]:
    """Open requests `user` may see, counted per level and state (one query)."""
    rows = (
        requests_visible_to(user)
        .filter(
            state__in=[
                RequestState.WAITING_FOR_EVIDENCE,
                RequestState.QUEUED,
                RequestState.IN_REVIEW,
                RequestState.RETURNED,
            ]
        )
        .values("level", "state")
        .annotate(n=Count("id"))
    )
    table: dict[int, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["level"], {})[row["state"]] = row["n"]
    return [
        LevelCount(
            level=level,
            waiting_for_evidence=states.get(RequestState.WAITING_FOR_EVIDENCE, 0),
            queued=states.get(RequestState.QUEUED, 0),
            in_review=states.get(RequestState.IN_REVIEW, 0),
            returned=states.get(RequestState.RETURNED, 0),
        )
        for level, states in sorted(table.items())
    ]


def request_detail(*, reference: str, user) -> AuthorizationRequest:
    """The request with what its detail shows: missing images, verdicts, images."""
    from imaging import facade as imaging_facade

    request = request_get(reference=reference, user=user)
    request.missing_images = missing_images(request=request)
    request.verdicts_list = list(
        ReviewVerdict.objects.filter(request=request)
        .select_related("recorded_by")
        .order_by("round", "recorded_at", "id")
    )
    request.images = [
        {
            "public_id": image.public_id,
            "image_type": image.image_type_code,
            "state": image.state,
            "reject_reason": image.reject_reason,
            "uploaded_by": image.uploaded_by_username,
            "uploaded_at": image.uploaded_at.isoformat(),
            "view_url": image.view_url,
            "thumbnail_url": image.thumbnail_url,
        }
        for image in imaging_facade.images_for_owner(owner_ref=request.owner_ref)
    ]
    return request


def request_trail(*, reference: str, user) -> list[RequestEvent]:
    request = request_get(reference=reference, user=user)
    return list(RequestEvent.objects.filter(request=request).order_by("seq"))


def reason_codes(*, kind: str | None = None) -> list[ReasonCode]:
    qs = ReasonCode.objects.filter(is_active=True).order_by("kind", "position", "code")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs)
