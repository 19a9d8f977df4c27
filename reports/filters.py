"""The reports' filters: what a manager may ask (date range, branch subtree within their own
unit, transaction, channel, mode) and how each read applies them.

Every read takes a `ReportFilters` built by `report_filters_for` from the user's scope: a
manager sees their unit's subtree only, whatever the query string asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
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
    if filters.path:
        qs = qs.filter(branch_path__startswith=filters.path)
    if filters.transaction_code:
        qs = qs.filter(transaction_code=filters.transaction_code)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.mode:
        qs = qs.filter(mode=filters.mode)
    return qs


def _rollups(filters: ReportFilters, grain: str = DailyRollup.Grain.MAIN) -> QuerySet:
    qs = DailyRollup.objects.filter(
        grain=grain, day__gte=filters.date_from, day__lte=filters.date_to
    )
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
