"""An authorizer names a substitute for a period through the API: recorded, checked, and the
queue follows it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from authorization.services.requests import request_claim_next
from authorization.services.trail import Actor
from bankcore.roles import Role
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import limit

API = "/api/v1/authorization"


@pytest.fixture
def colleague(make_user):
    user = make_user(Role.REMOTE_AUTHORIZER, "RAC", level=1, username="colleague")
    limit(user, "100000.00")
    return user


def _period(hours=8):
    now = timezone.now()
    return {
        "starts_at": (now - timedelta(minutes=1)).isoformat(),
        "ends_at": (now + timedelta(hours=hours)).isoformat(),
    }


def test_authorizer_names_a_substitute_and_stops_receiving_requests(
    submit_withdrawal, with_evidence, teller1, authorizer1, colleague, api_client_for
):
    request = with_evidence(submit_withdrawal(teller1))
    api = api_client_for(authorizer1)

    created = api.post(
        f"{API}/delegations",
        {"substitute": "colleague", **_period(), "note": "Leave"},
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert created.json()["delegator"] == "authorizer1"
    assert api.post(f"{API}/requests/claim-next").status_code == 204
    assert request_claim_next(actor=Actor(user=colleague)).pk == request.pk

    revoked = api.post(f"{API}/delegations/{created.json()['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert [d["id"] for d in api.get(f"{API}/delegations").json()] == [created.json()["id"]]


def test_overlapping_periods_and_a_non_authorizer_substitute_are_refused(
    authorizer1, colleague, teller1, api_client_for
):
    api = api_client_for(authorizer1)
    assert (
        api.post(
            f"{API}/delegations", {"substitute": "colleague", **_period()}, format="json"
        ).status_code
        == 201
    )

    overlapping = api.post(
        f"{API}/delegations", {"substitute": "colleague", **_period(2)}, format="json"
    )
    teller = api.post(f"{API}/delegations", {"substitute": "teller1", **_period()}, format="json")

    assert overlapping.status_code == 409
    assert teller.status_code == 400 and "substitute" in teller.json()["error"]["fields"]


def test_a_teller_cannot_delegate(teller1, api_client_for, colleague):
    answer = api_client_for(teller1).post(
        f"{API}/delegations", {"substitute": "colleague", **_period()}, format="json"
    )
    assert answer.status_code == 403
