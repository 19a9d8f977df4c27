"""Every dashboard number (turnaround p50/p90 against the time limit included) equals the same number counted by a plain SQL GROUP BY over the raw
trail (authorization's tables), for every tile and filter the pages use; late events and a
re-run of the rollups leave them unchanged."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from authorization.models import AuthorizationRequest, RequestEventKind
from authorization.services.trail import SYSTEM, trail_append
from reports.models import IngestCursor
from reports.selectors import (
    DECISION_KINDS,
    ReportFilters,
    dashboard,
    queue_now,
)
from reports.services import reports_refresh, rollups_rebuild
from tests.conftest import requires_postgres

from .conftest import HISTORY_END

pytestmark = [pytest.mark.postgres, requires_postgres]

RAW_FROM = """
FROM authorization_requestevent e
JOIN authorization_authorizationrequest r ON r.id = e.request_id
JOIN bankcore_orgunit o ON o.id = r.branch_id
"""


def _raw(
    filters: ReportFilters, select: str, group: str, extra: str = "", params=(), from_extra=""
):
    where = ["e.occurred_at >= %s", "e.occurred_at < %s", "o.path LIKE %s"]
    args = [filters.start_at, filters.end_at, filters.path + "%"]
    if filters.transaction_code:
        where.append("r.transaction_code = %s")
        args.append(filters.transaction_code)
    if filters.channel:
        where.append("r.channel = %s")
        args.append(filters.channel)
    if filters.mode:
        where.append("e.mode = %s")
        args.append(filters.mode)
    if extra:
        where.append(extra)
        args.extend(params)
    sql = f"SELECT {select} {RAW_FROM}{from_extra} WHERE {' AND '.join(where)} GROUP BY {group}"
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


BAND_SQL = """CASE
    WHEN extract(epoch FROM e.occurred_at - s.occurred_at) <= 300 THEN '0-5'
    WHEN extract(epoch FROM e.occurred_at - s.occurred_at) <= 900 THEN '5-15'
    WHEN extract(epoch FROM e.occurred_at - s.occurred_at) <= 1800 THEN '15-30'
    WHEN extract(epoch FROM e.occurred_at - s.occurred_at) <= 3600 THEN '30-60'
    ELSE '60+' END"""


def _raw_turnaround(filters: ReportFilters) -> dict:
    """Approvals and rejections by band of minutes since the request's submitted event."""
    return dict(
        _raw(
            filters,
            f"{BAND_SQL} AS band, count(*)",
            "band",
            "e.kind IN ('approved', 'rejected') AND s.request_id = e.request_id "
            "AND s.kind = 'submitted'",
            from_extra=", authorization_requestevent s",
        )
    )


TURNAROUND_SQL = "extract(epoch FROM e.occurred_at - s.occurred_at)"
# The histogram bucket (upper bound, seconds) of a turnaround, written independently of
# reports.models.TURNAROUND_BUCKETS: 10 s to 10 min, 30 s to 30 min, 1 min to 2 h, ...
BUCKET_SQL = f"""CASE
    WHEN {TURNAROUND_SQL} <= 600 THEN ceil({TURNAROUND_SQL} / 10) * 10
    WHEN {TURNAROUND_SQL} <= 1800 THEN ceil({TURNAROUND_SQL} / 30) * 30
    WHEN {TURNAROUND_SQL} <= 7200 THEN ceil({TURNAROUND_SQL} / 60) * 60
    WHEN {TURNAROUND_SQL} <= 86400 THEN ceil({TURNAROUND_SQL} / 600) * 600
    ELSE ceil({TURNAROUND_SQL} / 3600) * 3600 END"""


def _raw_percentiles(filters: ReportFilters, group: str = "'All'") -> dict:
    """p50 and p90 of submit → approval or rejection, with PostgreSQL's percentile_disc (the
    nearest rank) over the raw trail, at the histogram's resolution; the decisions, and those
    within the request's time limit; per `group`."""
    rows = _raw(
        filters,
        f"{group} AS g, count(*), "
        f"percentile_disc(0.5) WITHIN GROUP (ORDER BY {BUCKET_SQL}), "
        f"percentile_disc(0.9) WITHIN GROUP (ORDER BY {BUCKET_SQL}), "
        f"count(*) FILTER (WHERE {TURNAROUND_SQL} <= r.time_limit_minutes * 60)",
        "g",
        "e.kind IN ('approved', 'rejected') AND s.request_id = e.request_id "
        "AND s.kind = 'submitted'",
        from_extra=", authorization_requestevent s",
    )
    return {g or "—": (n, int(p50), int(p90), within) for g, n, p50, p90, within in rows}


def _raw_dashboard(filters: ReportFilters) -> dict:
    kinds = dict(_raw(filters, "e.kind, count(*)", "e.kind"))
    seconds = dict(_raw(filters, "e.kind, sum(e.seconds_since_previous)", "e.kind"))
    decided = kinds.get("approved", 0) + kinds.get("rejected", 0)
    decisions = sum(kinds.get(k, 0) for k in DECISION_KINDS)
    decision_seconds = sum(seconds.get(k) or Decimal(0) for k in DECISION_KINDS)
    submitted = ("e.kind = %s", ["submitted"])
    return {
        "totals": kinds,
        "approval_rate": (
            (Decimal(kinds.get("approved", 0) * 100) / decided).quantize(Decimal("0.1"))
            if decided
            else None
        ),
        "mean_decision_seconds": (
            (decision_seconds / decisions).quantize(Decimal("0.1")) if decisions else None
        ),
        "by_branch": dict(_raw(filters, "o.code, count(*)", "o.code", *submitted)),
        "by_channel": dict(_raw(filters, "r.channel, count(*)", "r.channel", *submitted)),
        "by_transaction": dict(
            _raw(filters, "r.transaction_code, count(*)", "r.transaction_code", *submitted)
        ),
        "by_day": {
            day.isoformat(): n
            for day, n in _raw(
                filters,
                "(e.occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*)",
                "day",
                *submitted,
            )
        },
        "by_reason": {
            f"{code or '—'} ({kind})": n
            for kind, code, n in _raw(
                filters,
                "e.kind, e.reason_code, count(*)",
                "e.kind, e.reason_code",
                "e.kind IN ('returned', 'rejected')",
            )
        },
        "by_turnaround": _raw_turnaround(filters),
        "turnaround": _raw_percentiles(filters),
        "turnaround_by_transaction": _raw_percentiles(filters, "r.transaction_code"),
        "turnaround_by_mode": _raw_percentiles(filters, "e.mode"),
        "by_authorizer": dict(
            _raw(
                filters,
                "e.actor_username, count(*)",
                "e.actor_username",
                "e.kind IN ('first_approved', 'approved', 'rejected', 'returned')",
            )
        ),
    }


def _percentiles(items) -> dict:
    return {
        t.label: (t.decisions, t.p50_seconds, t.p90_seconds, t.within_limit)
        for t in items
        if t is not None and t.decisions
    }


def _board_numbers(filters: ReportFilters) -> dict:
    board = dashboard(filters=filters)
    return {
        "turnaround": {"All": _percentiles([board.turnaround])[board.turnaround.label]}
        if board.turnaround and board.turnaround.decisions
        else {},
        "turnaround_by_transaction": _percentiles(board.turnaround_by_transaction),
        "turnaround_by_mode": _percentiles(board.turnaround_by_mode),
        "totals": {kind: n for kind, n in board.totals.items() if n},
        "approval_rate": board.approval_rate,
        "mean_decision_seconds": board.mean_decision_seconds,
        **{
            name: {bar.label: bar.value for bar in getattr(board, name)}
            for name in (
                "by_branch",
                "by_channel",
                "by_transaction",
                "by_day",
                "by_reason",
                "by_authorizer",
                "by_turnaround",
            )
        },
    }


def _filters(
    org, *, days: int | tuple[date, date], branch: str, channel: str, transaction: str, mode: str
):
    """Filters over the last `days` of the history, or over a (first, last) range of days."""
    first, last = (
        days if isinstance(days, tuple) else (HISTORY_END - timedelta(days=days - 1), HISTORY_END)
    )
    return ReportFilters(
        date_from=first,
        date_to=last,
        scope_path="",
        branch_code=branch,
        branch_path=org[branch].path if branch else "",
        transaction_code=transaction,
        channel=channel,
        mode=mode,
    )


# Ranges read from month rows and day rows (the history is Feb 15 - Mar 31, 2026): January
# (no data) as its month minus its first days, February (half of it seeded) and March whole
# as months, April's first days as days; two partial months read as days; exactly one whole
# month; March as its month minus its first days, or minus its last days (days with data).
MONTH_RANGES = (
    (date(2026, 1, 10), date(2026, 4, 3)),
    (date(2026, 2, 20), date(2026, 3, 10)),
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2026, 3, 5), date(2026, 3, 31)),
    (date(2026, 2, 18), date(2026, 3, 27)),
)
COMBINATIONS = [
    *itertools.product(
        (45, 7),  # the whole history (half of February, then March whole), its last week
        ("", "BJ", "BJ01", "SH01"),
        ("", "counter", "pad"),
        ("", "CASH_WITHDRAWAL"),
        ("", "remote_centralized"),
    ),
    *itertools.product(
        MONTH_RANGES, ("", "BJ01"), ("", "pad"), ("", "CASH_WITHDRAWAL"), ("", "remote_centralized")
    ),
]


def _assert_equal_everywhere(org):
    for days, branch, channel, transaction, mode in COMBINATIONS:
        filters = _filters(
            org, days=days, branch=branch, channel=channel, transaction=transaction, mode=mode
        )
        assert _board_numbers(filters) == _raw_dashboard(filters), filters


def test_every_dashboard_number_equals_a_group_by_over_the_raw_trail(history):
    assert (
        _board_numbers(_filters(history, days=45, branch="", channel="", transaction="", mode=""))[
            "totals"
        ]["submitted"]
        == 1200
    )
    _assert_equal_everywhere(history)
    whole = _board_numbers(
        _filters(history, days=45, branch="", channel="", transaction="", mode="")
    )
    n, p50, p90, within = whole["turnaround"]["All"]
    assert 0 < p50 < p90 and 0 < within < n  # a spread, some decisions past their limit
    assert len(whole["turnaround_by_transaction"]) > 3


def _raw_queue(path: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.state, count(*) FROM authorization_authorizationrequest r "
            "JOIN bankcore_orgunit o ON o.id = r.branch_id WHERE o.path LIKE %s "
            "AND r.state IN ('waiting_for_evidence', 'queued', 'in_review', 'returned') "
            "GROUP BY r.state",
            [path + "%"],
        )
        return dict(cursor.fetchall())


def test_now_tiles_equal_the_open_requests_counted_raw(history):
    for branch in ("", "BJ", "SH01"):
        filters = _filters(history, days=45, branch=branch, channel="", transaction="", mode="")
        shown = {
            k: v for k, v in queue_now(filters=filters, now=timezone.now()).by_state.items() if v
        }
        assert shown == _raw_queue(filters.path)
        assert shown.get("returned", 0) > 0


def test_late_events_and_a_rerun_leave_the_numbers_equal_to_the_raw_trail(history):
    whole = _filters(history, days=45, branch="", channel="", transaction="", mode="")
    before = _board_numbers(whole)
    # Late events: cancellations recorded now but dated in old hours (a branch system that
    # reports what happened offline), for requests the teller never resubmitted.
    returned = list(AuthorizationRequest.objects.filter(state="returned").order_by("id")[:5])
    for request in returned:
        request.state = "cancelled"
        request.save(update_fields=["state"])
        trail_append(
            request=request,
            kind=RequestEventKind.CANCELLED,
            actor=SYSTEM,
            now=timezone.make_aware(
                timezone.datetime.combine(date(2026, 3, 20), timezone.datetime.min.time())
            )
            + timedelta(hours=3),
            from_state="returned",
            to_state="cancelled",
        )
    reports_refresh()
    after = _board_numbers(whole)
    assert after["totals"]["cancelled"] == before["totals"].get("cancelled", 0) + 5
    _assert_equal_everywhere(history)
    # A re-run: every hour recomputed, and the whole trail read again from the start.
    rollups_rebuild()
    IngestCursor.objects.filter(feed="trail").update(last_id=0)
    reports_refresh()
    assert _board_numbers(whole) == after
    _assert_equal_everywhere(history)
