"""API tokens: django-rest-knox tokens (stored as SHA-512 digests, expiring, one per client
login), sent as `Authorization: Bearer <token>`.

A token stops working when it expires (REST_KNOX's TOKEN_TTL), when its client logs out, and
for all of a user's clients at once when the user's password changes or the user is
deactivated (`api_tokens_revoke_on_user_change`, connected in BankcoreConfig.ready).
"""

from __future__ import annotations

import binascii
from hmac import compare_digest

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from bankcore import prepared
from bankcore.prepared import Param

# `Bearer` is what most channel systems send; `Token` (DRF's and knox's own word) works too.
KEYWORDS = (b"bearer", b"token")


class BearerTokenAuthentication(TokenAuthentication):
    """Knox's token check, taking the token after `Bearer` (or `Token`)."""

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() not in KEYWORDS:
            return None  # no token: another authentication class may apply
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        return self.authenticate_credentials(auth[1])

    def authenticate_credentials(self, token: bytes):
        """One query per request (the token with its user). Knox's own check also reads all
        of the user's other tokens on every request to delete expired ones; here an expired
        token is refused (and deleted) when it is used, and a new login clears the rest."""
        invalid = _("Invalid token.")
        try:
            text = token.decode("ascii")
            digest = hash_token(text)
        except (UnicodeDecodeError, TypeError, ValueError, binascii.Error):
            raise exceptions.AuthenticationFailed(invalid) from None
        candidates = prepared.select(
            "knox.token_with_user", _tokens_by_key, {"key": text[: CONSTANTS.TOKEN_KEY_LENGTH]}
        )
        for stored in candidates:
            if not compare_digest(digest, stored.digest):
                continue
            if stored.expiry is not None and stored.expiry <= timezone.now():
                stored.delete()
                raise exceptions.AuthenticationFailed(
                    _("The token has expired: ask for a new one.")
                )
            return self.validate_user(stored)
        raise exceptions.AuthenticationFailed(invalid)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def _tokens_by_key() -> QuerySet:
    # Run on every API request: compiled once per connection (bankcore.prepared). Building and
    # compiling this ORM query (a join to the user's every column) cost about 150-300 µs of CPU
    # per request, the largest part of a small request (bench/bench_evaluate.py, bare DRF).
    model = get_token_model()
    key = Param("key", model._meta.get_field("token_key"))
    return model.objects.filter(token_key=key).select_related("user")


def api_token_create(*, user) -> tuple[str, object]:
    """A new token for one client of `user`: (the token, shown once; its stored row). Beyond
    API_TOKENS_PER_USER live tokens, the oldest are revoked."""
    model = get_token_model()
    model.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    instance, token = model.objects.create(user=user)
    keep = getattr(settings, "API_TOKENS_PER_USER", 10)
    stale = (
        model.objects.filter(user=user).order_by("-created").values_list("digest", flat=True)[keep:]
    )
    model.objects.filter(digest__in=list(stale)).delete()
    return token, instance


def api_tokens_revoke(*, user) -> int:
    """Revoke every API token of `user` (all clients). Returns how many."""
    deleted, _by_model = get_token_model().objects.filter(user=user).delete()
    return deleted


def api_tokens_revoke_on_user_change(sender, instance, **kwargs) -> None:
    """pre_save of the user model: a changed password or a deactivation revokes every token
    (whichever path changed it: the admin, set_password, a management command)."""
    update_fields = kwargs.get("update_fields")
    if instance.pk is None or (
        update_fields is not None and not {"password", "is_active"} & set(update_fields)
    ):
        return
    before = (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values_list("password", "is_active")
        .first()
    )
    if before is None:
        return
    password, is_active = before
    if password != instance.password or (is_active and not instance.is_active):
        api_tokens_revoke(user=instance)


class TokenEndpointThrottle(SimpleRateThrottle):
    """Per client address on the token endpoint, beside django-axes' per-username lockout:
    one address trying many usernames is slowed down too. The rate is read at call time
    (API_TOKEN_THROTTLE_RATE, e.g. "20/min")."""

    scope = "auth_token"

    def get_rate(self) -> str:
        return getattr(settings, "API_TOKEN_THROTTLE_RATE", "20/min")

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the Bearer form in the OpenAPI schema."""

    target_class = "bankcore.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token from POST /api/v1/auth/token/ (expires; revoke with "
            "POST /api/v1/auth/logout/)",
        }
