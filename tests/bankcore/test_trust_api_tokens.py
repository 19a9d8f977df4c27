"""API tokens: hashed, expiring, one per client, revoked by logout, a password change or a
deactivation; the token endpoint throttled per address (issue 13, item 10)."""

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/auth/me/"


def login(user, password, **extra) -> dict:
    response = APIClient().post(
        TOKEN_URL, {"username": user.username, "password": password}, format="json", **extra
    )
    assert response.status_code == 200, response.content
    return response.json()


def me_status(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get(ME_URL).status_code


def test_a_token_is_stored_only_as_a_digest(integrator, password):
    token = login(integrator, password)["token"]

    stored = AuthToken.objects.get(user=integrator)
    assert stored.digest == hashlib.sha512(token.encode()).hexdigest()
    assert not AuthToken.objects.filter(digest=token).exists()
    assert token not in (stored.digest, stored.token_key)


def test_a_token_expires(integrator, password):
    body = login(integrator, password)
    assert body["expires_at"] is not None
    assert me_status(body["token"]) == 200

    AuthToken.objects.filter(user=integrator).update(expiry=timezone.now() - timedelta(seconds=1))

    assert me_status(body["token"]) == 401


def test_a_password_change_revokes_every_token_of_the_user(integrator, password):
    first, second = login(integrator, password)["token"], login(integrator, password)["token"]

    integrator.set_password("A-new-Pass-2027")
    integrator.save()

    assert me_status(first) == 401 and me_status(second) == 401
    assert me_status(login(integrator, "A-new-Pass-2027")["token"]) == 200


def test_a_deactivated_user_s_tokens_are_revoked_for_good(integrator, password):
    token = login(integrator, password)["token"]

    integrator.is_active = False
    integrator.save()
    integrator.is_active = True
    integrator.save()

    assert me_status(token) == 401
    assert not AuthToken.objects.filter(user=integrator).exists()


def test_saving_other_fields_keeps_the_tokens(integrator, password):
    token = login(integrator, password)["token"]
    integrator.first_name = "Renamed"
    integrator.save()
    assert me_status(token) == 200


def test_each_client_has_its_own_token_and_logout_revokes_only_that_one(integrator, password):
    counter, mobile = login(integrator, password)["token"], login(integrator, password)["token"]
    assert counter != mobile

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {counter}")
    assert client.post("/api/v1/auth/logout/").status_code == 204

    assert me_status(counter) == 401
    assert me_status(mobile) == 200


def test_logout_all_revokes_every_client(integrator, password):
    counter, mobile = login(integrator, password)["token"], login(integrator, password)["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {counter}")

    assert client.post("/api/v1/auth/logout-all/").status_code == 204

    assert me_status(counter) == 401 and me_status(mobile) == 401


def test_the_token_endpoint_is_throttled_per_address(settings, integrator):
    settings.API_TOKEN_THROTTLE_RATE = "3/min"
    cache.clear()
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    # Different usernames each time: django-axes' per-username lockout never trips.
    for n in range(3):
        response = client.post(TOKEN_URL, {"username": f"guess{n}", "password": "x"}, format="json")
        assert response.status_code == 401

    refused = client.post(TOKEN_URL, {"username": "guess9", "password": "x"}, format="json")

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    other_address = APIClient(REMOTE_ADDR="203.0.113.8")
    assert (
        other_address.post(
            TOKEN_URL, {"username": "guess9", "password": "x"}, format="json"
        ).status_code
        == 401
    )
    cache.clear()


def test_beyond_the_limit_per_user_the_oldest_token_is_revoked(settings, integrator, password):
    settings.API_TOKENS_PER_USER = 2
    first, second, third = (login(integrator, password)["token"] for _ in range(3))

    assert me_status(first) == 401
    assert me_status(second) == 200 and me_status(third) == 200
