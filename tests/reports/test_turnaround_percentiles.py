"""Turnaround p50/p90 (and decisions within the time limit) on the dashboard equal what Python
computes from the raw trail's events, on any database (SQLite included; the PostgreSQL test
compares them with percentile_disc), at the histogram's resolution: nearest-rank percentiles,
rounded up to their bucket's upper bound."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from authorization.models import RequestEvent
from reports.selectors import ReportFilters, dashboard

from .conftest import HISTORY_END

pytestmark = pytest.mark.django_db

# Written independently of reports.models.TURNAROUND_BUCKETS: (up to seconds, bucket width).
WIDTHS = ((600, 10), (1800, 30), (7200, 60), (86400, 600), (None, 3600))


def _bucket(seconds: Decimal) -> int:
    for limit, width in WIDTHS:
        if limit is None or seconds <= limit:
            return math.ceil(seconds / width) * width
    raise AssertionError


def _nearest_rank(values: list[int], fraction: float) -> int:
    return sorted(values)[max(math.ceil(fraction * len(values)), 1) - 1]


def _raw(filters: ReportFilters) -> dict[str, dict]:
    submitted = dict(
        RequestEvent.objects.filter(kind="submitted").values_list("request_id", "occurred_at")
    )
    decisions = RequestEvent.objects.filter(
        kind__in=("approved", "rejected"),
        occurred_at__gte=filters.start_at,
        occurred_at__lt=filters.end_at,
        request__branch__path__startswith=filters.path,
    )
    if filters.transaction_code:
        decisions = decisions.filter(request__transaction_code=filters.transaction_code)
    if filters.channel:
        decisions = decisions.filter(request__channel=filters.channel)
    if filters.mode:
        decisions = decisions.filter(mode=filters.mode)
    groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for request_id, at, mode, code, limit in decisions.values_list(
        "request_id",
        "occurred_at",
        "mode",
        "request__transaction_code",
        "request__time_limit_minutes",
    ):
        micros = (at - submitted[request_id]) // timedelta(microseconds=1)
        seconds = Decimal(micros) / 1_000_000
        for group, key in (("all", "All"), ("transaction", code), ("mode", mode or "—")):
            groups[group][key].append(
                (_bucket(seconds), limit is not None and seconds <= limit * 60)
            )
    return {
        group: {
            key: (
                len(rows),
                _nearest_rank([b for b, _w in rows], 0.5),
                _nearest_rank([b for b, _w in rows], 0.9),
                sum(1 for _b, within in rows if within),
            )
            for key, rows in keyed.items()
        }
        for group, keyed in groups.items()
    }


def _shown(filters: ReportFilters) -> dict[str, dict]:
    board = dashboard(filters=filters)

    def numbers(items):
        return {
            t.label: (t.decisions, t.p50_seconds, t.p90_seconds, t.within_limit)
            for t in items
            if t.decisions
        }

    shown = {
        "all": numbers([board.turnaround]),
        "transaction": numbers(board.turnaround_by_transaction),
        "mode": numbers(board.turnaround_by_mode),
    }
    return {group: keyed for group, keyed in shown.items() if keyed}


@pytest.mark.parametrize(
    ("days", "branch", "channel", "transaction", "mode"),
    [
        (45, "", "", "", ""),
        (45, "BJ", "", "", ""),
        (45, "", "counter", "", ""),
        (7, "SH01", "", "CASH_WITHDRAWAL", ""),
        (45, "", "", "TRANSFER", "remote_centralized"),
        # Whole months read as month rows, the edges as day rows (history Feb 15 - Mar 31).
        ((date(2026, 1, 10), date(2026, 4, 3)), "", "", "", ""),
        ((date(2026, 1, 10), date(2026, 4, 3)), "BJ", "counter", "", ""),
        ((date(2026, 2, 20), date(2026, 3, 10)), "", "", "CASH_WITHDRAWAL", ""),
        # March as its month minus its first days, then minus its last days.
        ((date(2026, 3, 5), date(2026, 3, 31)), "", "", "", ""),
        ((date(2026, 2, 18), date(2026, 3, 27)), "BJ", "", "", ""),
    ],
)
def test_turnaround_percentiles_equal_python_over_the_raw_trail(
    history, days, branch, channel, transaction, mode
):
    filters = ReportFilters(
        date_from=days[0] if isinstance(days, tuple) else HISTORY_END - timedelta(days=days - 1),
        date_to=days[1] if isinstance(days, tuple) else HISTORY_END,
        scope_path="",
        branch_code=branch,
        branch_path=history[branch].path if branch else "",
        transaction_code=transaction,
        channel=channel,
        mode=mode,
    )
    raw = _raw(filters)
    assert raw["all"]["All"][0] > 0
    assert _shown(filters) == raw
