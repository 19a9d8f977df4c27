"""Reads of the reports app: the dashboard from the daily rollups (volumes, rates, turnaround
p50/p90 against the time limit from the turnaround histogram), "now" tiles and drill-down lists
from the request facts. The filters live in `reports.filters`, the authorizer-quality analytics
in `reports.quality`; both are re-exported here (the pages and tests import them from here)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, QuerySet, Sum
from django.utils.translation import gettext as _

from bankcore.models import OrgUnit

from .filters import (
    APPROVAL_KINDS,
    CHANNELS,
    DECISION_KINDS,
    MODES,
    OPEN_STATES,
    TILE_KINDS,
    FilterError,
    ReportFilters,
    _cells,
    _filtered,
    _out_of_hours,
    _periods,
    _rollups,
    _zone,
    report_filters_for,
    scoped_units,
    signed,
    user_scope_path,
)
from .models import (
    TURNAROUND_BANDS,
    DailyRollup,
    InstrumentationEvent,
    RequestFact,
    TrailFact,
)
from .names import ReportNames, code_names
from .quality import AuthorizerQuality, QualityFlag, authorizer_quality

__all__ = [
    "APPROVAL_KINDS",
    "CHANNELS",
    "DECISION_KINDS",
    "MODES",
    "OPEN_STATES",
    "TILE_KINDS",
    "AuthorizerQuality",
    "FilterError",
    "PageEvents",
    "QualityFlag",
    "ReportFilters",
    "ReportNames",
    "Turnaround",
    "authorizer_quality",
    "code_names",
    "dashboard",
    "drill_references",
    "histogram_percentile",
    "instrumentation_summary",
    "queue_now",
    "report_filters_for",
    "request_rows",
    "request_rows_iter",
    "scoped_units",
    "user_scope_path",
]


# --- The dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    drill: dict[str, str]  # query parameters of the request list behind this bar


@dataclass(frozen=True, slots=True)
class Dashboard:
    filters: ReportFilters
    totals: dict[str, int]  # event kind → count
    approval_rate: Decimal | None  # approvals / (approvals + rejections), percent
    mean_decision_seconds: Decimal | None
    by_day: list[Bar]
    by_branch: list[Bar]
    by_channel: list[Bar]
    by_transaction: list[Bar]
    by_reason: list[Bar]  # returns and rejections by reason code
    by_authorizer: list[Bar]  # decisions per authorizer
    by_turnaround: list[Bar]  # approvals and rejections per band of minutes since submission
    decisions_by_transaction: dict[str, dict[str, int]] = field(default_factory=dict)
    turnaround: Turnaround | None = None  # every approval and rejection in the filters
    turnaround_by_transaction: list[Turnaround] = field(default_factory=list)
    turnaround_by_mode: list[Turnaround] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Turnaround:
    """Submit → final decision (approval or rejection) of a set of requests, from the merged
    turnaround histogram: p50 and p90 exact to the histogram's bucket width (see
    `reports.models.TURNAROUND_BUCKETS`: 10 s up to 10 min, 30 s up to 30 min, 1 min up to
    2 h), each the upper bound of the bucket holding the nearest-rank percentile."""

    label: str
    decisions: int
    p50_seconds: int | None
    p90_seconds: int | None
    limits: tuple[int, ...]  # the requests' time limits, in minutes
    with_limit: int  # decisions on requests with a time limit
    within_limit: int  # of those, decided within it
    drill: dict[str, str]

    @property
    def limit_label(self) -> str:
        if not self.limits:
            return "—"
        if len(self.limits) == 1:
            return str(self.limits[0])
        return f"{self.limits[0]}-{self.limits[-1]}"

    @property
    def within_limit_pct(self) -> Decimal | None:
        if not self.with_limit:
            return None
        return (Decimal(self.within_limit * 100) / self.with_limit).quantize(Decimal("0.1"))


def histogram_percentile(histogram: dict[int, int], fraction: float) -> int | None:
    """The bucket (its upper bound) holding the nearest-rank percentile: the first bucket whose
    running count reaches ceil(fraction x n), the rank PostgreSQL's percentile_disc takes."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(math.ceil(fraction * total), 1)
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return bucket
    return None


def _turnaround(label: str, cells: list[tuple[int | None, dict[int, int]]], drill) -> Turnaround:
    """From (time limit, histogram) cells of the turnaround rollup."""
    histogram: dict[int, int] = defaultdict(int)
    with_limit = within = 0
    for limit, packed in cells:
        for bucket, n in packed.items():
            histogram[bucket] += n
            if limit:
                with_limit += n
                if bucket <= limit * 60:
                    within += n
    return Turnaround(
        label=label,
        decisions=sum(histogram.values()),
        p50_seconds=histogram_percentile(histogram, 0.5),
        p90_seconds=histogram_percentile(histogram, 0.9),
        limits=tuple(sorted({limit for limit, _h in cells if limit})),
        with_limit=with_limit,
        within_limit=within,
        drill={**drill, "kind": "final"},
    )


def _band_of_bucket(bucket: int) -> str:
    for upper, band in TURNAROUND_BANDS:
        if upper is None or bucket <= upper * 60:
            return band
    return ""


def _turnarounds(filters: ReportFilters):
    """The turnaround overall, by transaction and by mode, and the bands' bars, from the
    packed histograms of the turnaround grain (one row per period x cell x time limit), merged
    in Python: first per transaction x mode x limit, then per group."""
    merged: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for code, mode, limit, packed, sign in (
        _rollups(filters, DailyRollup.Grain.TURNAROUND)
        .values_list("transaction_code", "mode", "time_limit_minutes", "packed", "sign")
        .order_by()
    ):
        histogram = merged[(code, mode, limit)]
        for bucket, n in packed.items():
            histogram[int(bucket)] += n * sign
    cells = [
        (code, mode, limit, {bucket: n for bucket, n in histogram.items() if n})
        for (code, mode, limit), histogram in merged.items()
        if any(histogram.values())
    ]
    overall = _turnaround(_("All"), [c[2:] for c in cells], {})
    by_transaction = [
        _turnaround(code, [c[2:] for c in cells if c[0] == code], {"transaction": code})
        for code in sorted({c[0] for c in cells})
    ]
    by_mode = [
        _turnaround(mode or "—", [c[2:] for c in cells if c[1] == mode], {"mode": mode})
        for mode in sorted({c[1] for c in cells})
    ]
    bands: dict[str, int] = defaultdict(int)
    for _code, _mode, _limit, histogram in cells:
        for bucket, n in histogram.items():
            bands[_band_of_bucket(bucket)] += n
    by_band = [
        Bar(label=band, value=int(bands[band]), drill={"band": band, "kind": "final"})
        for _upper, band in TURNAROUND_BANDS
        if bands.get(band)
    ]
    return overall, by_transaction, by_mode, by_band


def _submitted_by_day(filters: ReportFilters) -> list[Bar]:
    """Submissions per day: the months' from their packed "days" rows (one per cell and month,
    the days outside the range left out), the other days' from the daily rows."""
    periods = _periods(filters)
    first, last = filters.date_from.isoformat(), filters.date_to.isoformat()
    counts: dict[str, int] = defaultdict(int)
    months = _cells(
        DailyRollup.objects.filter(
            grain=DailyRollup.Grain.DAYS, period="month", day__in=periods.months
        ),
        filters,
    )
    for packed in months.values_list("packed", flat=True).order_by():
        for day, n in packed.items():
            if first <= day <= last:
                counts[day] += n
    for start, end in periods.days:
        days = _cells(
            DailyRollup.objects.filter(
                grain=DailyRollup.Grain.MAIN,
                period="day",
                kind="submitted",
                day__gte=start,
                day__lt=end,
            ),
            filters,
        )
        for day, n in days.values_list("day").annotate(n=Sum("events")).order_by():
            counts[day.isoformat()] += int(n)
    return [
        Bar(label=day, value=counts[day], drill={"day": day, "kind": "submitted"})
        for day in sorted(counts)
        if counts[day]
    ]


_SUBMITTED_BARS = (
    ("branch_code", "branch"),
    ("channel", "channel"),
    ("transaction_code", "transaction"),
)


def _bars(counts: dict[str, int], drill_key: str) -> list[Bar]:
    """Submissions per value, most first (ties by value), each drilling down to its requests."""
    return [
        Bar(label=value or "—", value=n, drill={drill_key: value, "kind": "submitted"})
        for value, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def dashboard(*, filters: ReportFilters) -> Dashboard:
    """Every number of the managers' dashboard, from the rollups (a handful of GROUP BYs over
    at most periods x dimensions rows, whatever the history's size: months whole, days only at
    the range's edges)."""
    # One GROUP BY over the main grain (rows: periods x cells x kinds x reasons), folded in
    # Python into every tile and bar below: one scan of the rollups rather than six.
    totals = dict.fromkeys((*TILE_KINDS, "first_approved"), 0)
    seconds: dict[str, Decimal] = defaultdict(Decimal)
    submitted: dict[str, dict[str, int]] = {
        "branch_code": defaultdict(int),
        "channel": defaultdict(int),
        "transaction_code": defaultdict(int),
    }
    reasons: dict[tuple[str, str], int] = defaultdict(int)
    decisions_by_transaction: dict[str, dict[str, int]] = defaultdict(dict)
    for branch, channel, code, kind, reason, n, s in (
        _rollups(filters)
        .values_list("branch_code", "channel", "transaction_code", "kind", "decision_reason_code")
        .annotate(n=signed("events"), s=signed("seconds_total"))
        .order_by()
    ):
        n = int(n)
        if not n:
            continue  # a cell whose events all fell on a partial month's subtracted days
        totals[kind] = totals.get(kind, 0) + n
        seconds[kind] += s or Decimal(0)
        if kind == "submitted":
            for key, value in (("branch_code", branch), ("channel", channel)):
                submitted[key][value] += n
            submitted["transaction_code"][code] += n
        if kind in ("returned", "rejected"):
            reasons[(kind, reason)] += n
        if kind in ("approved", "rejected", "returned"):
            decisions_by_transaction[code][kind] = decisions_by_transaction[code].get(kind, 0) + n
    decided = totals["approved"] + totals["rejected"]
    approval_rate = (
        (Decimal(totals["approved"] * 100) / decided).quantize(Decimal("0.1")) if decided else None
    )
    decisions = sum(totals[k] for k in DECISION_KINDS)
    mean_seconds = (
        (sum(seconds[k] for k in DECISION_KINDS) / decisions).quantize(Decimal("0.1"))
        if decisions
        else None
    )
    by_day = _submitted_by_day(filters)
    by_branch, by_channel, by_transaction = (
        _bars(submitted[key], drill_key) for key, drill_key in _SUBMITTED_BARS
    )
    by_reason = [
        Bar(
            label=f"{reason or '—'} ({kind})",
            value=n,
            drill={"reason": reason, "kind": kind},
        )
        for (kind, reason), n in sorted(reasons.items(), key=lambda item: (-item[1], *item[0]))
    ]
    by_authorizer = [
        Bar(
            label=row["actor_username"] or "—",
            value=int(row["n"]),
            drill={"authorizer": row["actor_username"], "kind": "decided"},
        )
        for row in _rollups(filters, DailyRollup.Grain.AUTHORIZER)
        .values("actor_username")
        .annotate(n=signed("events"))
        .order_by("-n", "actor_username")
        if row["n"]
    ]
    turnaround, turnaround_by_transaction, turnaround_by_mode, by_turnaround = _turnarounds(filters)
    decisions_by_transaction = {
        code: dict(sorted(kinds.items()))
        for code, kinds in sorted(decisions_by_transaction.items())
    }
    return Dashboard(
        filters=filters,
        totals=totals,
        approval_rate=approval_rate,
        mean_decision_seconds=mean_seconds,
        by_day=by_day,
        by_branch=by_branch,
        by_channel=by_channel,
        by_transaction=by_transaction,
        by_reason=by_reason,
        by_authorizer=by_authorizer,
        by_turnaround=by_turnaround,
        decisions_by_transaction=decisions_by_transaction,
        turnaround=turnaround,
        turnaround_by_transaction=turnaround_by_transaction,
        turnaround_by_mode=turnaround_by_mode,
    )


@dataclass(frozen=True, slots=True)
class QueueNow:
    by_state: dict[str, int]
    oldest_queued_at: datetime | None
    oldest_queued_minutes: int | None


def queue_now(*, filters: ReportFilters, now: datetime) -> QueueNow:
    """Open requests now (queue depth and age), in the filters' branch subtree, transaction,
    channel and mode (dates do not apply: this is now)."""
    qs = _cells(RequestFact.objects.filter(state__in=OPEN_STATES), filters)
    by_state = dict.fromkeys(OPEN_STATES, 0)
    for row in qs.values("state").annotate(n=Count("id")).order_by():
        by_state[row["state"]] = row["n"]
    oldest = (
        qs.filter(state="queued").order_by("state_at").values_list("state_at", flat=True).first()
    )
    minutes = int((now - oldest).total_seconds() // 60) if oldest else None
    return QueueNow(by_state=by_state, oldest_queued_at=oldest, oldest_queued_minutes=minutes)


# --- Instrumentation: what the pages reported ------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageEvents:
    name: str
    label: str
    events: int
    mean_ms: int | None  # for events with a duration (time on a point, claim to decision)


def instrumentation_summary(*, filters: ReportFilters) -> list[PageEvents]:
    """The pages' events in the date range, sent by people of the filters' branch subtree (the
    unit they belong to): how many of each, and their mean duration. One GROUP BY over the
    indexed (name, occurred_at) range."""
    qs = InstrumentationEvent.objects.filter(
        occurred_at__gte=filters.start_at, occurred_at__lt=filters.end_at
    )
    if filters.path:
        qs = qs.filter(
            unit_code__in=OrgUnit.objects.filter(path__startswith=filters.path).values("code")
        )
    counted = {
        row["name"]: row
        for row in qs.values("name").annotate(n=Count("id"), mean=Avg("duration_ms")).order_by()
    }
    return [
        PageEvents(
            name=name,
            label=str(label),
            events=counted[name]["n"] if name in counted else 0,
            mean_ms=round(counted[name]["mean"])
            if name in counted and counted[name]["mean"] is not None
            else None,
        )
        for name, label in InstrumentationEvent.Name.choices
    ]


# --- Drill-down: the requests behind a bar ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestRow:
    reference: str
    branch_code: str
    transaction_code: str
    channel: str
    mode: str
    amount: Decimal | None
    currency: str
    submitted_by: str
    submitted_at: datetime
    state: str
    decided_by: str
    decided_at: datetime | None


DRILL_KINDS = (*TILE_KINDS, "first_approved", "decided", "final")


def drill_references(*, filters: ReportFilters, params) -> QuerySet:
    """References of the requests behind a bar: those with an event of `kind` in the filters
    (and the bar's own branch, channel, transaction, reason, authorizer, teller or day)."""
    kind = params.get("kind") or "submitted"
    if kind not in DRILL_KINDS:
        raise FilterError({"kind": _("Unknown kind of event.")})
    qs = _filtered(TrailFact.objects.all(), filters, time_field="occurred_at")
    if kind == "decided":
        qs = qs.filter(kind__in=DECISION_KINDS)
    elif kind == "final":
        qs = qs.filter(kind__in=("approved", "rejected"))
    else:
        qs = qs.filter(kind=kind)
    if params.get("band"):
        qs = qs.filter(turnaround_band=params["band"])
    if params.get("reason"):
        qs = qs.filter(decision_reason_code=params["reason"])
    if params.get("authorizer"):
        qs = qs.filter(actor_username=params["authorizer"])
    if params.get("teller"):
        qs = qs.filter(submitted_by=params["teller"])
    if params.get("out_of_hours"):
        qs = qs.filter(source_id__in=_out_of_hours_ids(qs))
    if params.get("day"):
        try:
            day = date.fromisoformat(params["day"])
        except ValueError:
            raise FilterError({"day": _("Enter a date as YYYY-MM-DD.")}) from None
        start = datetime.combine(day, time.min, tzinfo=_zone())
        qs = qs.filter(occurred_at__gte=start, occurred_at__lt=start + timedelta(days=1))
    return qs.values("request_reference")


def _out_of_hours_ids(qs: QuerySet) -> list[int]:
    return [
        source_id
        for source_id, at in qs.values_list("source_id", "occurred_at")
        if _out_of_hours(at)
    ]


def request_rows(
    *, filters: ReportFilters, params, limit: int = 500
) -> tuple[list[RequestRow], int]:
    """The requests behind a bar (newest first, at most `limit`) and how many there are."""
    references = drill_references(filters=filters, params=params)
    qs = RequestFact.objects.filter(reference__in=references)
    if filters.path:
        qs = qs.filter(branch_path__startswith=filters.path)
    total = qs.count()
    rows = [
        RequestRow(
            reference=f.reference,
            branch_code=f.branch_code,
            transaction_code=f.transaction_code,
            channel=f.channel,
            mode=f.mode,
            amount=f.amount,
            currency=f.currency,
            submitted_by=f.submitted_by,
            submitted_at=f.submitted_at,
            state=f.state,
            decided_by=f.decided_by,
            decided_at=f.decided_at,
        )
        for f in qs.order_by("-submitted_at", "-id")[:limit]
    ]
    return rows, total


def request_rows_iter(*, filters: ReportFilters, params, chunk_size: int = 2000):
    """Every request behind a bar, streamed in chunks (exports)."""
    references = drill_references(filters=filters, params=params)
    qs = RequestFact.objects.filter(reference__in=references)
    if filters.path:
        qs = qs.filter(branch_path__startswith=filters.path)
    yield from (
        qs.order_by("-submitted_at", "-id")
        .values_list(
            "reference",
            "branch_code",
            "transaction_code",
            "channel",
            "mode",
            "amount",
            "currency",
            "submitted_by",
            "submitted_at",
            "state",
            "decided_by",
            "decided_at",
        )
        .iterator(chunk_size=chunk_size)
    )
