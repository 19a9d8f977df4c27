"""What the request pages share: who may open them, and who acts from where (the trail)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from ..services.trail import Actor

SUBMIT_PERMISSION = "authorization.submit_request"
REVIEW_PERMISSION = "authorization.review_request"
# A terminal names itself once (a cookie set by the branch's set-up); the trail records it.
TERMINAL_COOKIE = "terminal_id"


def page_actor(request) -> Actor:
    """The signed-in person, their address, browser and terminal, for the trail."""
    return Actor(
        user=request.user,
        ip_address=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.headers.get("User-Agent", "")[:255],
        terminal=request.COOKIES.get(TERMINAL_COOKIE, "")[:60],
    )


def _permission_required(permission: str):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


submitter_required = _permission_required(SUBMIT_PERMISSION)
reviewer_required = _permission_required(REVIEW_PERMISSION)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
