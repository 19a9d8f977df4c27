"""Reads of the reports app: dashboards from the rollups, "now" tiles and drill-down lists from
the request facts, authorizer-quality analytics from the trail and verdict facts.

Every read takes a `ReportFilters` built by `report_filters_for` from the user's scope: a
manager sees their unit's subtree only, whatever the query string asks."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bankcore.models import OrgUnit
from bankcore.scoping import user_sees_all_branches

from .models import TURNAROUND_BANDS, DailyRollup, RequestFact, TrailFact, VerdictFact

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


def _bars(rows, key: str, drill_key: str, kind: str) -> list[Bar]:
    return [
        Bar(
            label=row[key] or "—",
            value=int(row["n"]),
            drill={drill_key: row[key], "kind": kind} if drill_key else {"kind": kind},
        )
        for row in rows
    ]


def dashboard(*, filters: ReportFilters) -> Dashboard:
    """Every number of the managers' dashboard, from the daily rollup (a handful of GROUP BYs
    over at most days x dimensions rows, whatever the history's size)."""
    qs = _rollups(filters)
    totals = dict.fromkeys((*TILE_KINDS, "first_approved"), 0)
    seconds: dict[str, Decimal] = {}
    for row in qs.values("kind").annotate(n=Sum("events"), s=Sum("seconds_total")).order_by():
        totals[row["kind"]] = int(row["n"])
        seconds[row["kind"]] = row["s"] or Decimal(0)
    decided = totals["approved"] + totals["rejected"]
    approval_rate = (
        (Decimal(totals["approved"] * 100) / decided).quantize(Decimal("0.1")) if decided else None
    )
    decisions = sum(totals[k] for k in DECISION_KINDS)
    mean_seconds = (
        (sum(seconds.get(k, Decimal(0)) for k in DECISION_KINDS) / decisions).quantize(
            Decimal("0.1")
        )
        if decisions
        else None
    )
    submitted = qs.filter(kind="submitted")
    by_day = [
        Bar(
            label=row["day"].isoformat(),
            value=int(row["n"]),
            drill={"day": row["day"].isoformat(), "kind": "submitted"},
        )
        for row in submitted.values("day").annotate(n=Sum("events")).order_by("day")
    ]
    by_branch = _bars(
        submitted.values("branch_code").annotate(n=Sum("events")).order_by("-n", "branch_code"),
        "branch_code",
        "branch",
        "submitted",
    )
    by_channel = _bars(
        submitted.values("channel").annotate(n=Sum("events")).order_by("-n", "channel"),
        "channel",
        "channel",
        "submitted",
    )
    by_transaction = _bars(
        submitted.values("transaction_code")
        .annotate(n=Sum("events"))
        .order_by("-n", "transaction_code"),
        "transaction_code",
        "transaction",
        "submitted",
    )
    by_reason = [
        Bar(
            label=f"{row['decision_reason_code'] or '—'} ({row['kind']})",
            value=int(row["n"]),
            drill={"reason": row["decision_reason_code"], "kind": row["kind"]},
        )
        for row in qs.filter(kind__in=("returned", "rejected"))
        .values("kind", "decision_reason_code")
        .annotate(n=Sum("events"))
        .order_by("-n", "kind", "decision_reason_code")
    ]
    by_authorizer = [
        Bar(
            label=row["actor_username"] or "—",
            value=int(row["n"]),
            drill={"authorizer": row["actor_username"], "kind": "decided"},
        )
        for row in _rollups(filters, DailyRollup.Grain.AUTHORIZER)
        .values("actor_username")
        .annotate(n=Sum("events"))
        .order_by("-n", "actor_username")
    ]
    bands = dict(
        _rollups(filters, DailyRollup.Grain.TURNAROUND)
        .values_list("turnaround_band")
        .annotate(n=Sum("events"))
        .order_by()
    )
    by_turnaround = [
        Bar(label=band, value=int(bands[band]), drill={"band": band, "kind": "final"})
        for _upper, band in TURNAROUND_BANDS
        if bands.get(band)
    ]
    decisions_by_transaction: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        qs.filter(kind__in=("approved", "rejected", "returned"))
        .values("transaction_code", "kind")
        .annotate(n=Sum("events"))
        .order_by("transaction_code", "kind")
    ):
        decisions_by_transaction[row["transaction_code"]][row["kind"]] = int(row["n"])
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
        decisions_by_transaction=dict(decisions_by_transaction),
    )


@dataclass(frozen=True, slots=True)
class QueueNow:
    by_state: dict[str, int]
    oldest_queued_at: datetime | None
    oldest_queued_minutes: int | None


def queue_now(*, filters: ReportFilters, now: datetime) -> QueueNow:
    """Open requests now (queue depth and age), in the filters' branch subtree, transaction,
    channel and mode (dates do not apply: this is now)."""
    qs = RequestFact.objects.filter(state__in=OPEN_STATES)
    if filters.path:
        qs = qs.filter(branch_path__startswith=filters.path)
    if filters.transaction_code:
        qs = qs.filter(transaction_code=filters.transaction_code)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.mode:
        qs = qs.filter(mode=filters.mode)
    by_state = dict.fromkeys(OPEN_STATES, 0)
    for row in qs.values("state").annotate(n=Count("id")).order_by():
        by_state[row["state"]] = row["n"]
    oldest = (
        qs.filter(state="queued").order_by("state_at").values_list("state_at", flat=True).first()
    )
    minutes = int((now - oldest).total_seconds() // 60) if oldest else None
    return QueueNow(by_state=by_state, oldest_queued_at=oldest, oldest_queued_minutes=minutes)


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


# --- Authorizer-quality analytics ---------------------------------------------------------------

MIN_DECISIONS = 20  # fewer decisions than this say nothing about an authorizer
FAST_RATIO = Decimal("0.25")  # median time below a quarter of the peers' median
APPROVAL_EXCESS = Decimal("0.12")  # approval rate 12 points above peers on the same reasons
PAIR_MIN = 10  # decisions on one teller's requests
PAIR_SHARE = Decimal("0.5")  # at least half of the teller's decided requests
PAIR_FACTOR = 3  # and three times the share an even spread would give
OUT_OF_HOURS_SHARE = Decimal("0.2")
WORK_START, WORK_END = time(8, 0), time(19, 0)


def _out_of_hours(at: datetime) -> bool:
    local = at.astimezone(_zone())
    return local.weekday() >= 5 or not (WORK_START <= local.time() < WORK_END)


@dataclass(frozen=True, slots=True)
class QualityFlag:
    code: str  # rubber_stamping | approval_rate | never_fails | concentration | out_of_hours
    title: str
    explanation: str
    drill: dict[str, str]


@dataclass(frozen=True, slots=True)
class AuthorizerQuality:
    username: str
    decisions: int
    approvals: int
    approval_rate: Decimal
    peer_approval_rate: Decimal | None  # the peers' rate on the same reasons, weighted
    median_seconds: Decimal | None
    verdicts: int
    failed_verdicts: int
    out_of_hours: int
    flags: tuple[QualityFlag, ...]


def _pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def authorizer_quality(*, filters: ReportFilters) -> list[AuthorizerQuality]:
    """Per authorizer with decisions in the filters: approval rate against peers on the same
    reasons, time from claim to decision against the peers' median, review points never
    failed, concentration of one teller's requests, decisions outside working hours. Each flag
    says its numbers and links to the requests behind it."""
    decisions = list(
        _filtered(TrailFact.objects.all(), filters, time_field="occurred_at")
        .filter(kind__in=DECISION_KINDS)
        .exclude(actor_username="")
        .values_list(
            "actor_username",
            "kind",
            "reason_key",
            "submitted_by",
            "seconds_since_claim",
            "occurred_at",
            "request_reference",
        )
    )
    if not decisions:
        return []
    per_user: dict[str, list] = defaultdict(list)
    by_reason: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # reason → [approvals, n]
    by_reason_user: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in decisions:
        per_user[row[0]].append(row)
        approved = 1 if row[1] in APPROVAL_KINDS else 0
        by_reason[row[2]][0] += approved
        by_reason[row[2]][1] += 1
        by_reason_user[(row[2], row[0])][0] += approved
        by_reason_user[(row[2], row[0])][1] += 1
    medians = {
        user: Decimal(statistics.median(s))
        if (s := [r[4] for r in rows if r[4] is not None])
        else None
        for user, rows in per_user.items()
    }
    references = {row[6] for row in decisions}
    verdicts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # user → [n, failed]
    for user, passed, n in (
        VerdictFact.objects.filter(request_reference__in=references)
        .values_list("recorded_by", "passed")
        .annotate(n=Count("id"))
        .order_by()
    ):
        verdicts[user][0] += n
        if not passed:
            verdicts[user][1] += n
    teller_totals: dict[str, int] = defaultdict(int)
    teller_authorizers: dict[str, set[str]] = defaultdict(set)
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for row in decisions:
        if row[3]:
            teller_totals[row[3]] += 1
            teller_authorizers[row[3]].add(row[0])
            pairs[(row[3], row[0])] += 1

    results = []
    base = filters.query()
    for user in sorted(per_user):
        rows = per_user[user]
        n = len(rows)
        approvals = sum(1 for r in rows if r[1] in APPROVAL_KINDS)
        rate = Decimal(approvals) / n
        # The peers' approval rate on the same reasons, weighted by this user's mix.
        expected_parts = []
        for reason, (r_app, r_n) in by_reason.items():
            own_app, own_n = by_reason_user.get((reason, user), (0, 0))
            if own_n and r_n - own_n:
                expected_parts.append((own_n, Decimal(r_app - own_app) / (r_n - own_n)))
        weight = sum(w for w, _r in expected_parts)
        peer_rate = sum(w * r for w, r in expected_parts) / weight if weight else None
        peer_medians = [m for u, m in medians.items() if u != user and m is not None]
        peer_median = Decimal(statistics.median(peer_medians)) if peer_medians else None
        own_median = medians[user]
        n_verdicts, n_failed = verdicts.get(user, (0, 0))
        late = sum(1 for r in rows if _out_of_hours(r[5]))
        flags = []
        drill = {**base, "authorizer": user, "kind": "decided"}
        if n >= MIN_DECISIONS:
            if own_median is not None and peer_median and own_median < peer_median * FAST_RATIO:
                flags.append(
                    QualityFlag(
                        "rubber_stamping",
                        _("Decides far faster than peers"),
                        _(
                            "Median %(own)s s from claim to decision over %(n)d decisions, "
                            "against %(peers)s s for the other authorizers (below a quarter)."
                        )
                        % {
                            "own": own_median.quantize(Decimal("0.1")),
                            "n": n,
                            "peers": peer_median.quantize(Decimal("0.1")),
                        },
                        drill,
                    )
                )
            if peer_rate is not None and rate - peer_rate >= APPROVAL_EXCESS:
                flags.append(
                    QualityFlag(
                        "approval_rate",
                        _("Approves more than peers for the same reasons"),
                        _(
                            "Approved %(approvals)d of %(n)d (%(rate)s) where the other "
                            "authorizers approved %(peers)s of requests with the same reasons."
                        )
                        % {
                            "approvals": approvals,
                            "n": n,
                            "rate": _pct(rate),
                            "peers": _pct(peer_rate),
                        },
                        drill,
                    )
                )
            if n_verdicts >= MIN_DECISIONS and n_failed == 0:
                flags.append(
                    QualityFlag(
                        "never_fails",
                        _("Never fails a review point"),
                        _("%(verdicts)d review-point verdicts, none failed.")
                        % {"verdicts": n_verdicts},
                        drill,
                    )
                )
            if late and Decimal(late) / n >= OUT_OF_HOURS_SHARE:
                flags.append(
                    QualityFlag(
                        "out_of_hours",
                        _("Decides outside working hours"),
                        _("%(late)d of %(n)d decisions outside 08:00-19:00 on working days.")
                        % {"late": late, "n": n},
                        {**drill, "out_of_hours": "1"},
                    )
                )
        for (teller, authorizer), count in sorted(pairs.items()):
            if authorizer != user or count < PAIR_MIN:
                continue
            total = teller_totals[teller]
            share = Decimal(count) / total
            even = Decimal(1) / max(len(teller_authorizers[teller]), 1)
            if share >= PAIR_SHARE and share >= even * PAIR_FACTOR:
                flags.append(
                    QualityFlag(
                        "concentration",
                        _("Decides most of one teller's requests"),
                        _(
                            "Decided %(count)d of teller %(teller)s's %(total)d decided "
                            "requests (%(share)s); %(authorizers)d authorizers decided that "
                            "teller's requests, an even spread would give %(even)s."
                        )
                        % {
                            "count": count,
                            "teller": teller,
                            "total": total,
                            "share": _pct(share),
                            "authorizers": len(teller_authorizers[teller]),
                            "even": _pct(even),
                        },
                        {**drill, "teller": teller},
                    )
                )
        results.append(
            AuthorizerQuality(
                username=user,
                decisions=n,
                approvals=approvals,
                approval_rate=rate,
                peer_approval_rate=peer_rate,
                median_seconds=own_median,
                verdicts=n_verdicts,
                failed_verdicts=n_failed,
                out_of_hours=late,
                flags=tuple(flags),
            )
        )
    return results
