"""Reads of requests used by the services, the API and the pages: who may see which."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from bankcore.scoping import scope_queryset, user_can_see_unit

from ...models import AuthorizationRequest, ReviewVerdict
from ..eligibility import authorizer_scope, eligibility_problem
from .clock import clock
from .errors import RequestNotFound


def requests_visible_to(user):
    """The requests `user` may see: their branch subtree's (bank-wide roles: all), and any
    they claimed or decided."""
    qs = AuthorizationRequest.objects.all()
    scoped = scope_queryset(qs, user, unit_field="branch")
    if not user.is_authenticated:
        return scoped
    return qs.filter(
        Q(pk__in=scoped.values("pk"))
        | Q(claimed_by=user)
        | Q(first_approver=user)
        | Q(decided_by=user)
    )


def request_get(*, reference: str, user) -> AuthorizationRequest:
    """The request, if `user` may see it (otherwise RequestNotFound: no existence leak)."""
    request = (
        AuthorizationRequest.objects.select_related(
            "branch", "submitted_by", "claimed_by", "first_approver", "decided_by"
        )
        .filter(reference=reference)
        .first()
    )
    if request is None or not user_may_see_request(user=user, request=request):
        raise RequestNotFound()
    return request


def user_may_see_request(*, user, request: AuthorizationRequest) -> bool:
    if not user.is_authenticated:
        return False
    if user_can_see_unit(user, request.branch):
        return True
    if user.pk in (request.claimed_by_id, request.first_approver_id, request.decided_by_id):
        return True
    # A branch supervisor of the parent unit, or a substitute: whoever may decide it.
    scope = authorizer_scope(user=user, now=clock())
    return eligibility_problem(scope, request, on_site=request.mode == "on_site") is None


def missing_images(*, request: AuthorizationRequest) -> list[dict[str, Any]]:
    """Required image types with fewer ready images than their minimum count."""
    from imaging import facade as imaging_facade

    required = request.decision_shown.get("required_image_types", [])
    if not required:
        return []
    counts = imaging_facade.ready_image_counts(owner_ref=request.owner_ref)
    return [
        {
            "code": image["code"],
            "name": image["name"],
            "min_count": image["min_count"],
            "ready": counts.get(image["code"], 0),
        }
        for image in required
        if counts.get(image["code"], 0) < image["min_count"]
    ]


def verdicts_of(*, request: AuthorizationRequest, user) -> dict[str, ReviewVerdict]:
    """`user`'s verdicts on the request's review points in the current round."""
    return {
        verdict.review_point_code: verdict
        for verdict in ReviewVerdict.objects.filter(
            request=request, round=request.round, recorded_by=user
        )
    }


def image_owner_can_view(user, owner_ref: str) -> bool:
    """Who may see a request's images (registered with imaging for "authreq:")."""
    request = (
        AuthorizationRequest.objects.select_related("branch")
        .filter(reference=owner_ref.removeprefix("authreq:"))
        .first()
    )
    return request is not None and user_may_see_request(user=user, request=request)
