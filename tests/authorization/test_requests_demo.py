"""seed_demo leaves requests in every state, across branches and levels, and only once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from authorization.models import AuthorizationRequest, RequestState
from authorization.services.trail import trail_verify
from tests.authorization.request_fixtures import imaging_store  # noqa: F401


@pytest.mark.django_db
def test_seed_demo_creates_requests_in_every_state_once():
    call_command("seed_demo", stdout=StringIO())
    states = set(AuthorizationRequest.objects.values_list("state", flat=True))
    count = AuthorizationRequest.objects.count()

    assert states == set(RequestState.values)
    assert set(AuthorizationRequest.objects.values_list("branch__code", flat=True)) >= {
        "BJ01",
        "BJ02",
        "SH01",
    }
    assert set(AuthorizationRequest.objects.values_list("level", flat=True)) >= {1, 2}
    queued = AuthorizationRequest.objects.filter(state=RequestState.QUEUED)
    assert queued.filter(level=1, mode="remote_centralized").exists()  # authorizer1's queue
    assert trail_verify().ok

    call_command("seed_demo", stdout=StringIO())
    assert AuthorizationRequest.objects.count() == count
