"""Acceptance: the 60,000 CNY withdrawal of issue 9, through the API, with real images."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from authorization.models import RequestEvent
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import WITHDRAWAL_POINTS, upload

API = "/api/v1/authorization"


@pytest.fixture
def journey(withdrawal_rules, reason_catalogue, teller1, authorizer1, api_client_for):
    return api_client_for(teller1), api_client_for(authorizer1)


def _evaluate_and_submit(teller_api) -> str:
    evaluated = teller_api.post(
        f"{API}/evaluate",
        {
            "transaction_code": "CASH_WITHDRAWAL",
            "channel": "counter",
            "branch_code": "BJ01",
            "teller": "teller1",
            "elements": {"amount": {"amount": "60000.00", "currency": "CNY"}},
        },
        format="json",
    )
    assert evaluated.status_code == 200, evaluated.content
    submitted = teller_api.post(
        f"{API}/requests",
        {"evaluation_reference": evaluated.json()["reference"]},
        format="json",
        HTTP_USER_AGENT="CounterApp/3.1",
        HTTP_X_TERMINAL_ID="BJ01-T07",
    )
    assert submitted.status_code == 201, submitted.content
    return submitted.json()["reference"]


def _attach(teller_api, reference, image_type, seed, capture):
    with capture(execute=True):
        answer = teller_api.post(
            f"{API}/requests/{reference}/images",
            {"image_type": image_type, "file": upload(seed)},
            format="multipart",
        )
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_withdrawal_of_60000_cny_from_submission_to_approval(
    journey, django_capture_on_commit_callbacks
):
    teller_api, authorizer_api = journey
    reference = _evaluate_and_submit(teller_api)
    request = teller_api.get(f"{API}/requests/{reference}").json()
    assert request["state"] == "waiting_for_evidence"
    assert request["mode"] == "remote_centralized" and request["level"] == 1
    assert {m["code"] for m in request["missing_images"]} == {
        "ID_CARD_FRONT",
        "ID_CARD_BACK",
        "WITHDRAWAL_SLIP",
    }

    _attach(teller_api, reference, "ID_CARD_FRONT", 1, django_capture_on_commit_callbacks)
    _attach(teller_api, reference, "ID_CARD_BACK", 2, django_capture_on_commit_callbacks)
    request = teller_api.get(f"{API}/requests/{reference}").json()
    assert request["state"] == "waiting_for_evidence"
    assert [m["code"] for m in request["missing_images"]] == ["WITHDRAWAL_SLIP"]

    _attach(teller_api, reference, "WITHDRAWAL_SLIP", 3, django_capture_on_commit_callbacks)
    assert teller_api.get(f"{API}/requests/{reference}").json()["state"] == "queued"

    claimed = authorizer_api.post(f"{API}/requests/claim-next")
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["reference"] == reference
    assert claimed.json()["state"] == "in_review"
    assert claimed.json()["claimed_by"] == "authorizer1"

    refused = authorizer_api.post(f"{API}/requests/{reference}/approve", {}, format="json")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "evidence_incomplete"
    named = " ".join(error["fields"]["review_points"])
    for point in WITHDRAWAL_POINTS:
        assert point in named and point in error["message"]
    assert "PURPOSE" not in named  # advisory, not mandatory
    assert teller_api.get(f"{API}/requests/{reference}").json()["state"] == "in_review"

    verdicts = authorizer_api.post(
        f"{API}/requests/{reference}/verdicts",
        {"verdicts": [{"review_point": p, "passed": True} for p in WITHDRAWAL_POINTS]},
        format="json",
    )
    assert verdicts.status_code == 200, verdicts.content

    approved = authorizer_api.post(f"{API}/requests/{reference}/approve", {}, format="json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved"
    assert approved.json()["decided_by"] == "authorizer1"

    trail = teller_api.get(f"{API}/requests/{reference}/trail").json()
    assert [event["kind"] for event in trail] == [
        "submitted",
        "image_attached",
        "image_attached",
        "image_attached",
        "evidence_complete",
        "claimed",
        "verdicts_recorded",
        "approved",
    ]
    assert [event["actor"] for event in trail] == [
        "teller1",
        "teller1",
        "teller1",
        "teller1",
        "",  # the system, when the images were ready
        "authorizer1",
        "authorizer1",
        "authorizer1",
    ]
    assert trail[0]["terminal"] == "BJ01-T07" and trail[0]["user_agent"] == "CounterApp/3.1"
    assert trail[0]["to_state"] == "waiting_for_evidence" and trail[-1]["to_state"] == "approved"
    assert all(event["prev_hash"] == before["hash"] for before, event in itertools.pairwise(trail))

    call_command("trail_verify")  # intact: no error


def _edit_by_sql(event_id: int) -> None:
    table = RequestEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Only a database superuser gets round the append-only trigger (triggers off).
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            f"UPDATE {table} SET actor_username = 'someone_else' WHERE id = %s",  # noqa: S608
            [event_id],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_trail_verify_names_an_event_edited_by_sql(
    journey, django_capture_on_commit_callbacks, capsys
):
    teller_api, _authorizer_api = journey
    reference = _evaluate_and_submit(teller_api)
    _attach(teller_api, reference, "ID_CARD_FRONT", 1, django_capture_on_commit_callbacks)
    call_command("trail_verify")
    edited = RequestEvent.objects.get(request__reference=reference, seq=2)

    _edit_by_sql(edited.pk)

    with pytest.raises(CommandError):
        call_command("trail_verify")
    reported = capsys.readouterr().err
    assert f"{reference} event #2 (id {edited.pk}, image_attached) was edited" in reported
    assert "event #1 " not in reported  # the events before it are intact
