"""Benchmark of the reports (issue 12) on PostgreSQL. Not a test: prints numbers measured in
one run.

    .venv/bin/python bench/bench_reports.py [--sizes 100000,1000000] [--days 365]
                                            [--server postgres://postgres@127.0.0.1:5432]

Creates its own database (`bench_reports_<pid>`), migrates it and drops it at the end. For each
size in turn (the history grows: the second size adds to the first), it seeds the history with
`manage.py seed_history`, brings the reports up to date (`reports_refresh`: facts + rollups),
runs ANALYZE (both sides planned from fresh statistics), then for each dashboard filter the
pages use (whole range; one tier-1 branch; one channel; one transaction and mode) times:

- **rollups**: `reports.selectors.dashboard` (what the page runs: GROUP BYs over the rollups,
  months whole and days at the range's edges), best of 5;
- **raw**: the same numbers by plain SQL GROUP BY over the raw trail (authorization's events
  joined with requests and units), best of 3 below 1,000,000 requests and one run from
  1,000,000 on (a raw pass then takes minutes; with a ratio of 20x or more, a second run of
  the raw side cannot change the conclusion, and the numbers are compared on that run);

checks both give the same numbers, and prints the ratio raw / rollups (target >= 20x at the
largest size) and, across sizes, the rollups' cost at the largest size against the smallest
(target within 2x while raw grows with the history). Last, it adds one more hour's worth of
requests (all their events in that hour) and times `reports_refresh` (target: below the beat
interval, REPORTS_REFRESH_SECONDS, 60 s) — after each size, so a run stopped during a larger
size still has it for the smaller ones.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Timings: rollups best of 5; raw best of 3, one run at sizes of 1,000,000 and "
        "more (minutes per pass there; with a ratio >= 20x one run of the raw side is enough).",
    )
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--database", default="", help="database to create and drop (default bench_reports_<pid>)"
    )
    return parser.parse_args()


def database_create(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


def database_drop(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_start(url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bankcore.settings.base",
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-bench-only-secret-key-0123456789",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "600",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


RAW_FROM = """
FROM authorization_requestevent e
JOIN authorization_authorizationrequest r ON r.id = e.request_id
JOIN bankcore_orgunit o ON o.id = r.branch_id
"""
DECISION_KINDS = ("first_approved", "approved", "rejected", "returned")
BAND_SQL = """CASE
    WHEN extract(epoch FROM e.occurred_at - s.occurred_at) <= 300 THEN '0-5'
    WHEN extract(epoch FROM e.occurred_at - s.occurred_at) <= 900 THEN '5-15'
    WHEN extract(epoch FROM e.occurred_at - s.occurred_at) <= 1800 THEN '15-30'
    WHEN extract(epoch FROM e.occurred_at - s.occurred_at) <= 3600 THEN '30-60'
    ELSE '60+' END"""
TURNAROUND_SQL = "extract(epoch FROM e.occurred_at - s.occurred_at)"
BUCKET_SQL = f"""CASE
    WHEN {TURNAROUND_SQL} <= 600 THEN ceil({TURNAROUND_SQL} / 10) * 10
    WHEN {TURNAROUND_SQL} <= 1800 THEN ceil({TURNAROUND_SQL} / 30) * 30
    WHEN {TURNAROUND_SQL} <= 7200 THEN ceil({TURNAROUND_SQL} / 60) * 60
    WHEN {TURNAROUND_SQL} <= 86400 THEN ceil({TURNAROUND_SQL} / 600) * 600
    ELSE ceil({TURNAROUND_SQL} / 3600) * 3600 END"""


def raw_dashboard(filters) -> dict:
    """The dashboard's numbers by plain GROUP BY over the raw trail (as tests/reports do)."""
    from django.db import connection

    def run(select, group, extra="", params=(), from_extra=""):
        where = ["e.occurred_at >= %s", "e.occurred_at < %s", "o.path LIKE %s"]
        args = [filters.start_at, filters.end_at, filters.path + "%"]
        for column, value in (
            ("r.transaction_code", filters.transaction_code),
            ("r.channel", filters.channel),
            ("e.mode", filters.mode),
        ):
            if value:
                where.append(f"{column} = %s")
                args.append(value)
        if extra:
            where.append(extra)
            args.extend(params)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} {RAW_FROM}{from_extra} WHERE {' AND '.join(where)} GROUP BY {group}",
                args,
            )
            return cursor.fetchall()

    def percentiles(group: str) -> dict:
        rows = run(
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

    kinds = dict(run("e.kind, count(*)", "e.kind"))
    seconds = dict(run("e.kind, sum(e.seconds_since_previous)", "e.kind"))
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
        "by_branch": dict(run("o.code, count(*)", "o.code", *submitted)),
        "by_channel": dict(run("r.channel, count(*)", "r.channel", *submitted)),
        "by_transaction": dict(
            run("r.transaction_code, count(*)", "r.transaction_code", *submitted)
        ),
        "by_day": {
            day.isoformat(): n
            for day, n in run(
                "(e.occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*)",
                "day",
                *submitted,
            )
        },
        "by_reason": {
            f"{code or '—'} ({kind})": n
            for kind, code, n in run(
                "e.kind, e.reason_code, count(*)",
                "e.kind, e.reason_code",
                "e.kind IN ('returned', 'rejected')",
            )
        },
        "by_turnaround": dict(
            run(
                f"{BAND_SQL} AS band, count(*)",
                "band",
                "e.kind IN ('approved', 'rejected') AND s.request_id = e.request_id "
                "AND s.kind = 'submitted'",
                from_extra=", authorization_requestevent s",
            )
        ),
        "turnaround": percentiles("'All'"),
        "turnaround_by_transaction": percentiles("r.transaction_code"),
        "turnaround_by_mode": percentiles("e.mode"),
        "by_authorizer": dict(
            run(
                "e.actor_username, count(*)",
                "e.actor_username",
                "e.kind IN ('first_approved', 'approved', 'rejected', 'returned')",
            )
        ),
    }


def rollup_dashboard(filters) -> dict:
    from reports.selectors import dashboard

    board = dashboard(filters=filters)

    def percentiles(items) -> dict:
        return {
            t.label: (t.decisions, t.p50_seconds, t.p90_seconds, t.within_limit)
            for t in items
            if t is not None and t.decisions
        }

    overall = percentiles([board.turnaround])
    return {
        "turnaround": {"All": overall[board.turnaround.label]} if overall else {},
        "turnaround_by_transaction": percentiles(board.turnaround_by_transaction),
        "turnaround_by_mode": percentiles(board.turnaround_by_mode),
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


class Progress(io.StringIO):
    """seed_history's progress lines, printed as they come with the time since the start."""

    def __init__(self):
        super().__init__()
        self.start = time.perf_counter()

    def write(self, text: str) -> int:
        if text.strip():
            print(f"    [{time.perf_counter() - self.start:7.0f} s] {text.strip()}", flush=True)
        return len(text)


def best_of(runs: int, fn, *args):
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def dashboards(days: int):
    from django.utils import timezone

    from bankcore.models import OrgUnit
    from reports.selectors import ReportFilters

    end = timezone.localdate()
    start = end - timedelta(days=days)
    branch = OrgUnit.objects.filter(kind="branch").order_by("code").first()
    base = {"date_from": start, "date_to": end, "scope_path": ""}
    return {
        "whole range": ReportFilters(**base),
        f"branch {branch.code}": ReportFilters(
            **base, branch_code=branch.code, branch_path=branch.path
        ),
        "channel counter": ReportFilters(**base, channel="counter"),
        "transaction+mode": ReportFilters(
            **base, transaction_code="CASH_WITHDRAWAL", mode="remote_centralized"
        ),
    }


def analyze() -> None:
    """Fresh planner statistics for both sides (raw tables and rollups), as autovacuum would
    give them within a minute or so of a bulk load; without them the planner takes the freshly
    filled tables for empty and picks sorts over hash aggregates."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def rollup_rows() -> str:
    from django.db.models import Count

    from reports.models import DailyRollup

    rows = (
        DailyRollup.objects.values_list("period", "grain")
        .annotate(n=Count("id"))
        .order_by("period", "grain")
    )
    return ", ".join(f"{period} {grain} {n:,}" for period, grain, n in rows)


RAW_RUNS_FROM = 1_000_000  # from this size on, the raw side is timed once (see --help)


def one_new_hour(size: int, days: int) -> None:
    """One more hour of work at this size (a busy hour's requests, all their events inside the
    hour), then the refresh beat runs: it must take less than the beat interval."""
    from django.core.management import call_command

    from reports.services import reports_refresh

    per_hour = max(size // (days * 9), 1) * 2
    call_command(
        "seed_history", requests=per_hour, days=1, seed=1, hour_only=True, stdout=io.StringIO()
    )
    start = time.perf_counter()
    outcome = reports_refresh()
    elapsed = time.perf_counter() - start
    print(
        f"  one new hour ({per_hour:,} requests, {outcome.events_read:,} events read, "
        f"{outcome.hours_refreshed} hours recomputed): reports_refresh {elapsed:.2f} s "
        f"(beat interval 60 s)"
    )


def main() -> None:
    args = parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens (in a log too)
    # Stopped by SIGTERM (kill) as by Ctrl-C: the finally below still drops the database.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sizes = [int(s) for s in args.sizes.split(",")]
    name = args.database or f"bench_reports_{os.getpid()}"
    database_create(args.server, name)
    try:
        django_start(f"{args.server}/{name}")
        from django.core.management import call_command

        from reports.services import reports_refresh

        seeded = 0
        costs: dict[int, dict[str, tuple[float, float]]] = {}
        for size in sizes:
            start = time.perf_counter()
            call_command(
                "seed_history",
                requests=size - seeded,
                days=args.days,
                seed=size,
                stdout=Progress(),
            )
            seeding = time.perf_counter() - start
            seeded = size
            start = time.perf_counter()
            outcome = reports_refresh()
            refresh = time.perf_counter() - start
            analyze()
            print(
                f"\n{size:,} requests: seeded in {seeding:.0f} s; reports brought up to date in "
                f"{refresh:.0f} s ({outcome.events_read:,} events, {outcome.hours_refreshed:,} hours)"
            )
            print(f"  rollup rows per period and grain: {rollup_rows()}")
            costs[size] = {}
            for label, filters in dashboards(args.days).items():
                rolled_s, rolled = best_of(5, rollup_dashboard, filters)
                runs = 1 if size >= RAW_RUNS_FROM else 3
                raw_s, raw = best_of(runs, raw_dashboard, filters)
                same = "same numbers" if rolled == raw else "DIFFERENT NUMBERS"
                costs[size][label] = (rolled_s, raw_s)
                print(
                    f"  {label:<18} rollups {rolled_s * 1000:8.1f} ms   raw {raw_s * 1000:9.1f} ms"
                    f" (best of {runs})   raw/rollups {raw_s / rolled_s:6.1f}x   {same}"
                )
            one_new_hour(size, args.days)
        if len(sizes) > 1:
            small, large = sizes[0], sizes[-1]
            print(f"\nRollups' cost at {large:,} against {small:,} (target within 2x):")
            for label in costs[large]:
                print(
                    f"  {label:<18} {costs[large][label][0] / costs[small][label][0]:5.2f}x"
                    f"   (raw: {costs[large][label][1] / costs[small][label][1]:5.2f}x)"
                )
    finally:
        from django.db import connections

        connections.close_all()
        database_drop(args.server, name)


if __name__ == "__main__":
    main()
