"""Reads of requests: the list costs the same whatever its length, counts per level, the
reason catalogue, and the trail events other apps (reports) read incrementally."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from authorization.selectors import request_events_after
from authorization.services.requests import request_cancel
from authorization.services.trail import Actor
from tests.authorization.request_fixtures import *  # noqa: F403

API = "/api/v1/authorization"


def _queries(api, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


def test_request_list_costs_the_same_for_one_or_many(
    submit_withdrawal, teller1, authorizer1, api_client_for
):
    api = api_client_for(authorizer1)
    submit_withdrawal(teller1)
    one = _queries(api, f"{API}/requests")
    for amount in ("61000.00", "62000.00", "63000.00", "64000.00"):
        submit_withdrawal(teller1, amount)

    assert _queries(api, f"{API}/requests") == one
    assert api.get(f"{API}/requests").json()["count"] == 5


def test_counts_per_level(submit_withdrawal, teller1, manager, api_client_for):
    submit_withdrawal(teller1, "60000.00")
    submit_withdrawal(teller1, "61000.00")
    submit_withdrawal(teller1, "250000.00")

    counts = api_client_for(manager).get(f"{API}/requests/counts").json()

    assert counts == [
        {"level": 1, "waiting_for_evidence": 2, "queued": 0, "in_review": 0, "returned": 0},
        {"level": 2, "waiting_for_evidence": 1, "queued": 0, "in_review": 0, "returned": 0},
    ]


def test_reason_codes_are_listed_in_the_readers_language(reason_catalogue, teller1, api_client_for):
    api = api_client_for(teller1)
    english = {row["code"]: row["name"] for row in api.get(f"{API}/reason-codes").json()}
    chinese = {
        row["code"]: row["name"]
        for row in api.get(f"{API}/reason-codes", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    }
    assert english["IDENTITY_DOUBT"] == "The customer's identity could not be confirmed"
    assert chinese["IDENTITY_DOUBT"] == "无法确认客户身份"


def test_request_events_after_reads_the_trail_in_order_from_a_given_id(submit_withdrawal, teller1):
    request = submit_withdrawal(teller1, "60000.00")
    request_cancel(reference=request.reference, actor=Actor(user=teller1), comment="gone")

    events = request_events_after(after_id=0)
    assert [(e.kind, e.from_state, e.to_state) for e in events] == [
        ("submitted", "", "waiting_for_evidence"),
        ("cancelled", "waiting_for_evidence", "cancelled"),
    ]
    first, second = events
    assert (first.request_reference, first.branch_code, first.transaction_code) == (
        request.reference,
        "BJ01",
        "CASH_WITHDRAWAL",
    )
    assert (first.mode, first.level, str(first.amount), first.currency) == (
        "remote_centralized",
        1,
        "60000.00",
        "CNY",
    )
    assert first.reason_codes == ("LARGE_CASH",) and first.actor_username == "teller1"
    assert request_events_after(after_id=first.id) == [second]
    assert request_events_after(after_id=0, limit=1) == [first]
