"""The rollup refresh: hours, days and months of rollups recomputed whole from the facts (an
hour, a day) or from the days (a month), for the hours marked dirty by ingestion; so late events
and re-runs give the same numbers. Called by `reports.services.reports_refresh`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Count, Sum

from .filters import DECISION_KINDS
from .models import DailyRollup, DirtyHour, HourlyRollup, TrailFact

_ROLLUP_COLUMNS = (
    "branch_code, branch_path, transaction_code, channel, mode, level, kind, actor_username, "
    "decision_reason_code"
)
_DAY_COLUMNS = "branch_code, branch_path, transaction_code, channel, mode"
_CELL = tuple(column.strip() for column in _DAY_COLUMNS.split(","))


@dataclass(frozen=True, slots=True)
class _Grain:
    columns: str  # the grain's own columns, as inserted
    select: str  # what is selected into them
    group: str  # what the facts are grouped by (with _DAY_COLUMNS)
    condition: str  # the facts the grain counts
    blanks: str  # the text columns the grain leaves blank


# The grains summed by SQL from the facts (a day) and from the days (a month); the turnaround
# and days grains pack a histogram per cell and are built in Python (_packed_days_refresh).
_SQL_GRAINS = {
    "main": _Grain(
        "kind, decision_reason_code",
        "kind, decision_reason_code",
        "kind, decision_reason_code",
        "1 = 1",
        "actor_username",
    ),
    # What the dashboard reads of it: decisions per authorizer (kind "decided", one row per
    # authorizer per cell rather than four).
    "authorizer": _Grain(
        "kind, actor_username",
        "'decided', actor_username",
        "actor_username",
        "kind IN ({})".format(", ".join(f"'{kind}'" for kind in DECISION_KINDS)),
        "decision_reason_code",
    ),
}


def rollups_refresh(*, max_hours: int = 500) -> int:
    """Recompute the rollups of every hour marked dirty (up to `max_hours`), of the days they
    fall in and of those days' months; returns how many hours. An hour is one DELETE and one
    INSERT ... SELECT ... GROUP BY over its facts, a day the same over its 24 hours of facts,
    a month the same over its days' rows (never over the month's facts). An hour marked again
    while it was being recomputed stays dirty for the next run."""
    with transaction.atomic(using="default"):
        dirty = list(
            DirtyHour.objects.using("default")
            .select_for_update(skip_locked=True)
            .order_by("hour")
            .values_list("hour", "marked_at")[:max_hours]
        )
        if not dirty:
            return 0
        hours = [hour for hour, _marked in dirty]
        HourlyRollup.objects.using("default").filter(hour__in=hours).delete()
        marks = ", ".join(["%s"] * len(hours))
        ops = connections["default"].ops  # raw parameters as the ORM would write them
        with connections["default"].cursor() as cursor:
            cursor.execute(
                # Table and column names are constants; every value is a parameter.
                f"INSERT INTO {HourlyRollup._meta.db_table} "  # noqa: S608
                f"(hour, {_ROLLUP_COLUMNS}, events, seconds_total) "
                f"SELECT hour, {_ROLLUP_COLUMNS}, COUNT(*), SUM(seconds_since_previous) "
                f"FROM {TrailFact._meta.db_table} WHERE hour IN ({marks}) "
                f"GROUP BY hour, {_ROLLUP_COLUMNS}",
                [ops.adapt_datetimefield_value(hour) for hour in hours],
            )
        days = {hour.astimezone(_zone()).date() for hour in hours}
        _days_refresh(days)
        _months_refresh({day.replace(day=1) for day in days})
        for hour, marked_at in dirty:
            DirtyHour.objects.using("default").filter(hour=hour, marked_at=marked_at).delete()
    return len(hours)


def _zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


def _day_start(day) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=_zone())


def _month_end(first):
    """The first day of the next month."""
    return (first + timedelta(days=32)).replace(day=1)


def _days_refresh(days: set) -> None:
    """Recompute the daily rollup of whole local days from the facts (a day is 24 indexed
    hours of facts, whatever the history's size), one INSERT ... SELECT per SQL grain, and the
    day's packed turnaround histograms."""
    ops = connections["default"].ops
    table = DailyRollup._meta.db_table
    for day in sorted(days):
        start = _day_start(day)
        DailyRollup.objects.using("default").filter(period="day", day=day).delete()
        with connections["default"].cursor() as cursor:
            for name, grain in _SQL_GRAINS.items():
                blanks = ", ".join(["''"] * len(grain.blanks.split(",")))
                cursor.execute(
                    f"INSERT INTO {table} "  # noqa: S608
                    f"(grain, period, day, {_DAY_COLUMNS}, {grain.columns}, events, "
                    f"seconds_total, {grain.blanks}) "
                    f"SELECT %s, 'day', %s, {_DAY_COLUMNS}, {grain.select}, COUNT(*), "
                    f"SUM(seconds_since_previous), {blanks} "
                    f"FROM {TrailFact._meta.db_table} WHERE hour >= %s AND hour < %s "
                    f"AND {grain.condition} GROUP BY {_DAY_COLUMNS}, {grain.group}",
                    [
                        name,
                        ops.adapt_datefield_value(day),
                        ops.adapt_datetimefield_value(start),
                        ops.adapt_datetimefield_value(start + timedelta(days=1)),
                    ],
                )
        cells: dict[tuple, list] = {}  # (cell..., limit) -> [histogram, events, seconds]
        for *key, bucket, n, seconds in (
            TrailFact.objects.using("default")
            .filter(
                hour__gte=start,
                hour__lt=start + timedelta(days=1),
                turnaround_bucket__isnull=False,
            )
            .values_list(*_CELL, "time_limit_minutes", "turnaround_bucket")
            .annotate(n=Count("id"), s=Sum("seconds_since_previous"))
            .order_by()
        ):
            cell = cells.setdefault(tuple(key), [{}, 0, Decimal(0)])
            cell[0][str(bucket)] = n
            cell[1] += n
            cell[2] += seconds or Decimal(0)
        _packed_create("turnaround", "day", day, "final", cells)


def _packed_create(grain: str, period: str, day, kind: str, cells: dict) -> None:
    """Rows of a packed grain, from {(cell..., time limit): [packed, events, seconds]}."""
    DailyRollup.objects.using("default").bulk_create(
        [
            DailyRollup(
                grain=grain,
                period=period,
                day=day,
                **dict(zip(_CELL, key[:-1], strict=True)),
                kind=kind,
                time_limit_minutes=key[-1],
                packed=packed,
                events=events,
                seconds_total=seconds,
            )
            for key, (packed, events, seconds) in cells.items()
        ],
        batch_size=2000,
    )


def _months_refresh(months: set) -> None:
    """Recompute whole months from their days' rows (at most ~31 x the cube, whatever the
    history's size): the SQL grains by one INSERT ... SELECT ... SUM, the turnaround
    histograms merged and the submissions per day packed in Python."""
    ops = connections["default"].ops
    table = DailyRollup._meta.db_table
    columns = (
        f"grain, {_DAY_COLUMNS}, kind, actor_username, decision_reason_code, time_limit_minutes"
    )
    for first in sorted(months):
        end = _month_end(first)
        DailyRollup.objects.using("default").filter(period="month", day=first).delete()
        days = DailyRollup.objects.using("default").filter(
            period="day", day__gte=first, day__lt=end
        )
        with connections["default"].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (period, day, {columns}, events, seconds_total) "  # noqa: S608
                f"SELECT 'month', %s, {columns}, SUM(events), SUM(seconds_total) FROM {table} "
                f"WHERE period = 'day' AND day >= %s AND day < %s AND grain IN (%s, %s) "
                f"GROUP BY {columns}",
                [
                    ops.adapt_datefield_value(first),
                    ops.adapt_datefield_value(first),
                    ops.adapt_datefield_value(end),
                    *_SQL_GRAINS,
                ],
            )
        histograms: dict[tuple, list] = {}
        for *key, packed, n, seconds in days.filter(grain="turnaround").values_list(
            *_CELL, "time_limit_minutes", "packed", "events", "seconds_total"
        ):
            cell = histograms.setdefault(tuple(key), [{}, 0, Decimal(0)])
            for bucket, count in packed.items():
                cell[0][bucket] = cell[0].get(bucket, 0) + count
            cell[1] += n
            cell[2] += seconds
        _packed_create("turnaround", "month", first, "final", histograms)
        by_day: dict[tuple, list] = {}
        for *key, day, n, seconds in (
            days.filter(grain="main", kind="submitted")
            .values_list(*_CELL, "day")
            .annotate(n=Sum("events"), s=Sum("seconds_total"))
            .order_by()
        ):
            cell = by_day.setdefault((*key, None), [{}, 0, Decimal(0)])
            cell[0][day.isoformat()] = int(n)
            cell[1] += int(n)
            cell[2] += seconds
        _packed_create("days", "month", first, "submitted", by_day)
