from dataclasses import asdict

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bankcore.api.authentication import (
    TokenEndpointThrottle,
    api_token_create,
    api_tokens_revoke,
)
from bankcore.api.serializers import (
    CurrentUserSerializer,
    HealthSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from bankcore.errors import error_body
from bankcore.health import system_health
from bankcore.roles import user_roles


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token (integrators and mobile clients).
    Each call gives a new token for one client; it expires (REST_KNOX's TOKEN_TTL) and is
    revoked by logout, a password change or deactivation."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenEndpointThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Malformed request or unknown fields."),
            401: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(
                description="Account locked after repeated failures, or too many token "
                "requests from this address."
            ),
        },
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = authenticate(request._request, **serializer.validated_data)
        except AxesBackendPermissionDenied:
            user, locked = None, True
        else:
            locked = getattr(request._request, "axes_locked_out", False)
        if locked:
            return Response(
                error_body(
                    "locked_out", _("Too many failed logins: this account is locked for now.")
                ),
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None or not user.is_active:
            return Response(
                error_body("authentication_failed", _("Wrong username or password.")),
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": 'Bearer realm="api"'},
            )
        token, stored = api_token_create(user=user)
        return Response(
            {
                "token": token,
                "expires_at": stored.expiry,
                "username": user.username,
                "roles": user_roles(user),
                "org_unit": user.org_unit.code if user.org_unit_id else None,
            }
        )


class CurrentUserView(APIView):
    """Who the token belongs to: roles, unit and authorization level."""

    @extend_schema(responses={200: CurrentUserSerializer}, tags=["auth"])
    def get(self, request):
        user = request.user
        return Response(
            {
                "username": user.username,
                "full_name": user.get_full_name(),
                "roles": user_roles(user),
                "org_unit": user.org_unit.code if user.org_unit_id else None,
                "authorization_level": user.authorization_level,
            }
        )


class LogoutView(APIView):
    """Revoke the token this request carries (this client only)."""

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request):
        if request.auth is not None and hasattr(request.auth, "delete"):
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every token of the authenticated user (all clients)."""

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request):
        api_tokens_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HealthView(APIView):
    """State of the database, the cache and the broker: 200 when all are up, 503 when not.
    Anyone (a load balancer) gets up or down per part; only signed-in staff (is_staff) get
    the detail, which names backends and errors."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer}, tags=["ops"])
    def get(self, request):
        checks = system_health()
        healthy = all(check.ok for check in checks.values())
        detailed = request.user.is_authenticated and request.user.is_staff
        return Response(
            {
                "status": "ok" if healthy else "unavailable",
                "checks": {
                    name: asdict(check) if detailed else {"ok": check.ok}
                    for name, check in checks.items()
                },
            },
            status=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE,
        )
