"""The reports' filters: what a manager may ask (date range, branch subtree within their own
unit, transaction, channel, mode) and how each read applies them.

Every read takes a `ReportFilters` built by `report_filters_for` from the user's scope: a
manager sees their unit's subtree only, whatever the query string asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from bankcore.models import OrgUnit
from bankcore.scoping import user_sees_all_branches

from .models import DailyRollup

OPEN_STATES = ("waiting_for_evidence", "queued", "in_review", "returned")
DECISION_KINDS = ("first_approved", "approved", "rejected", "returned")
APPROVAL_KINDS = ("first_approved", "approved")
TILE_KINDS = ("submitted", "approved", "rejected", "returned", "escalated", "expired", "cancelled")
CHANNELS = ("counter", "self_service", "mobile", "pad", "core")
MODES = ("on_site", "cross_terminal", "remote_centralized", "pad", "mobile")


class FilterError(ValueError):
    """A filter value outside what the user may ask (field → message)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class ReportFilters:
    date_from: date
    date_to: date  # inclusive
    scope_path: str  # the user's visible subtree ("" = every branch)
    branch_code: str = ""
    branch_path: str = ""  # the chosen branch's subtree (within the scope)
    transaction_code: str = ""
    channel: str = ""
    mode: str = ""

    @property
    def path(self) -> str:
        return self.branch_path or self.scope_path

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.date_from, time.min, tzinfo=_zone())

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=_zone())

    def as_header(self) -> list[tuple[str, str]]:
        """The filters as (label, value) pairs, for export headers and the e-mail."""
        return [
            (_("From"), self.date_from.isoformat()),
            (_("To"), self.date_to.isoformat()),
            (_("Scope"), self.scope_path or _("all branches")),
            (_("Branch"), self.branch_code or _("all")),
            (_("Transaction"), self.transaction_code or _("all")),
            (_("Channel"), self.channel or _("all")),
            (_("Mode"), self.mode or _("all")),
        ]

    def query(self, **extra: str) -> dict[str, str]:
        params = {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "branch": self.branch_code,
            "transaction": self.transaction_code,
            "channel": self.channel,
            "mode": self.mode,
            **extra,
        }
        return {k: v for k, v in params.items() if v}


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def user_scope_path(user) -> str | None:
    """The organisation path whose subtree `user` may report on; "" = all; None = nothing."""
    if user_sees_all_branches(user):
        return ""
    if not user.is_authenticated or user.org_unit_id is None:
        return None
    return user.org_unit.path


def report_filters_for(*, user, params, today: date | None = None) -> ReportFilters:
    """Filters from a query string, checked against the user's scope (FilterError names each
    field that is wrong). Without dates: the last 30 days up to today."""
    scope = user_scope_path(user)
    if scope is None:
        raise FilterError({"branch": _("You may not see any branch.")})
    today = today or timezone.localdate()
    errors: dict[str, str] = {}

    def parse_date(name: str, default: date) -> date:
        raw = (params.get(name) or "").strip()
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors[name] = _("Enter a date as YYYY-MM-DD.")
            return default

    date_to = parse_date("date_to", today)
    date_from = parse_date("date_from", date_to - timedelta(days=29))
    if date_from > date_to:
        errors["date_from"] = _("The start date is after the end date.")
    elif (date_to - date_from).days > 366 * 3:
        errors["date_from"] = _("Choose at most three years.")
    branch_code = (params.get("branch") or "").strip()
    branch_path = ""
    if branch_code:
        unit = OrgUnit.objects.filter(code=branch_code).values_list("path", flat=True).first()
        if unit is None or not unit.startswith(scope):
            errors["branch"] = _("Choose a unit within your own.")
        else:
            branch_path = unit
    channel = (params.get("channel") or "").strip()
    mode = (params.get("mode") or "").strip()
    transaction_code = (params.get("transaction") or "").strip()[:40]
    if errors:
        raise FilterError(errors)
    return ReportFilters(
        date_from=date_from,
        date_to=date_to,
        scope_path=scope,
        branch_code=branch_code,
        branch_path=branch_path,
        transaction_code=transaction_code,
        channel=channel[:40],
        mode=mode[:20],
    )


def scoped_units(*, filters: ReportFilters) -> list[tuple[str, str]]:
    """(code, name) of the units a filter may name."""
    return list(
        OrgUnit.objects.filter(path__startswith=filters.scope_path)
        .order_by("path")
        .values_list("code", "name")
    )


def _filtered(qs: QuerySet, filters: ReportFilters, *, time_field: str) -> QuerySet:
    qs = qs.filter(**{f"{time_field}__gte": filters.start_at, f"{time_field}__lt": filters.end_at})
    return _cells(qs, filters)


def _month_first(day: date) -> date:
    return day.replace(day=1)


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


# A partial month is read as its month row minus the days outside the range when those are
# fewer than the days inside by this margin (a month row costs about a few days' rows).
_MONTH_MINUS_MARGIN = 3


@dataclass(frozen=True, slots=True)
class Periods:
    """The rollup rows covering a date range: whole months as month rows, a partial month as
    its days in the range, or as its month row minus its days outside the range, whichever
    reads fewer days. So any range reads at most ~15 days per edge, and a year ~12 months.
    Day ranges are [start, end)."""

    months: tuple[date, ...]  # first days of the months read as month rows
    days: tuple[tuple[date, date], ...]  # day ranges added
    minus: tuple[tuple[date, date], ...]  # day ranges subtracted (outside the range)

    def q(self) -> Q:
        q = Q(period="month", day__in=self.months) if self.months else Q(pk__in=[])
        for start, end in (*self.days, *self.minus):
            q |= Q(period="day", day__gte=start, day__lt=end)
        return q

    def minus_q(self) -> Q | None:
        q = None
        for start, end in self.minus:
            part = Q(period="day", day__gte=start, day__lt=end)
            q = part if q is None else q | part
        return q


def _periods(filters: ReportFilters) -> Periods:
    start, end = filters.date_from, filters.date_to + timedelta(days=1)  # end exclusive
    months, days, minus = [], [], []
    first = _month_first(start)
    while first < end:
        following = _next_month(first)
        inside = (min(end, following) - max(start, first)).days
        outside = (following - first).days - inside
        if not outside:
            months.append(first)
        elif outside + _MONTH_MINUS_MARGIN < inside:
            months.append(first)
            if first < start:
                minus.append((first, start))
            if end < following:
                minus.append((end, following))
        else:
            days.append((max(start, first), min(end, following)))
        first = following
    return Periods(tuple(months), tuple(days), tuple(minus))


def _rollups(filters: ReportFilters, grain: str = DailyRollup.Grain.MAIN) -> QuerySet:
    """The rollup rows of `grain` in the filters, each with its `sign`: +1 for the rows added,
    -1 for the days subtracted from a partial month (sum `events * sign`)."""
    periods = _periods(filters)
    qs = DailyRollup.objects.filter(periods.q(), grain=grain)
    minus = periods.minus_q()
    sign = (
        Case(When(minus, then=Value(-1)), default=Value(1), output_field=IntegerField())
        if minus is not None
        else Value(1, output_field=IntegerField())
    )
    return _cells(qs, filters).annotate(sign=sign)


def signed(field: str):
    """Sum of a rollup column over `_rollups` rows, the subtracted days counted negative."""
    output = DecimalField(max_digits=20, decimal_places=3) if field == "seconds_total" else None
    return Sum(ExpressionWrapper(F(field) * F("sign"), output_field=output or IntegerField()))


def _cells(qs: QuerySet, filters: ReportFilters) -> QuerySet:
    """`qs` (facts or rollup rows: the same column names) in the filters' branch subtree,
    transaction, channel and mode; dates are the caller's."""
    if filters.path:
        qs = qs.filter(branch_path__startswith=filters.path)
    if filters.transaction_code:
        qs = qs.filter(transaction_code=filters.transaction_code)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.mode:
        qs = qs.filter(mode=filters.mode)
    return qs


WORK_START, WORK_END = time(8, 0), time(19, 0)


def _out_of_hours(at: datetime) -> bool:
    local = at.astimezone(_zone())
    return local.weekday() >= 5 or not (WORK_START <= local.time() < WORK_END)
