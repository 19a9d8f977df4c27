"""Managers' pages: the dashboard (with its live "now" tiles), the drill-down request list,
authorizer-quality analytics, exports; and the endpoint the pages send instrumentation to."""

from __future__ import annotations

import json
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankcore.errors import error_body

from . import selectors
from .exports import csv_response, xlsx_response
from .selectors import FilterError
from .services import InstrumentationRefused, instrumentation_record, reports_refresh
from .tables import BAR_TABLES, TABLES

VIEW_REPORTS = "reports.view_reports"
NOW_REFRESH_SECONDS = 30


def reports_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REPORTS):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request: HttpRequest):
    """The filters asked for, or the defaults with the errors to show next to the fields."""
    try:
        return selectors.report_filters_for(user=request.user, params=request.GET), {}
    except FilterError as error:
        if "branch" in error.errors and selectors.user_scope_path(request.user) is None:
            raise PermissionDenied from None
        # Show what was asked except the wrong fields (named next to them).
        kept = {k: v for k, v in request.GET.items() if k not in error.errors}
        try:
            return selectors.report_filters_for(user=request.user, params=kept), error.errors
        except FilterError:
            return selectors.report_filters_for(user=request.user, params={}), error.errors


def _url(name: str, filters, **extra) -> str:
    return f"{reverse(name)}?{urlencode(filters.query(**extra))}"


def _filter_context(request, filters, errors, names=None) -> dict:
    names = names or selectors.code_names()
    return {
        "filters": filters,
        "errors": errors,
        "units": selectors.scoped_units(filters=filters),
        # Every transaction a version declares, by name; a code asked for that none declares
        # stays selectable as itself (the numbers are filtered by it).
        "transactions": sorted(
            {filters.transaction_code: filters.transaction_code, **names.transactions}.items()
            if filters.transaction_code
            else names.transactions.items(),
            key=lambda item: item[1],
        ),
        "channels": [(code, names.channels.get(code, code)) for code in selectors.CHANNELS],
        "modes": [(code, names.modes.get(code, code)) for code in selectors.MODES],
        "query": urlencode(filters.query()),
    }


@reports_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filters, errors = _filters(request)
    board = selectors.dashboard(filters=filters)
    names = selectors.code_names(usernames=[bar.label for bar in board.by_authorizer])
    charts = []
    for name, title in BAR_TABLES.items():
        bars = getattr(board, name)
        charts.append(
            {
                "name": name,
                "title": title,
                "bars": [
                    {
                        "label": bar.label,  # the code (or day, band, username): the key
                        "name": names.of(bar.drill, bar.label),  # what a person reads
                        "value": bar.value,
                        "url": _url("reports:requests", filters, **bar.drill),
                    }
                    for bar in bars
                ],
            }
        )
    return render(
        request,
        "reports/dashboard.html",
        {
            **_filter_context(request, filters, errors, names),
            "board": board,
            "charts": charts,
            "charts_json": [
                {"name": c["name"], "bars": c["bars"], "title": str(c["title"])} for c in charts
            ],
            "queue": selectors.queue_now(filters=filters, now=timezone.now()),
            "now_seconds": NOW_REFRESH_SECONDS,
            "tiles": _tiles(board, filters),
            "turnaround_groups": _turnaround_groups(board, filters, names),
            "page_events": selectors.instrumentation_summary(filters=filters),
        },
    )


def _duration(seconds: int | None) -> str:
    """h:mm:ss or m:ss."""
    if seconds is None:
        return "—"
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _turnaround_groups(board, filters, names) -> list[dict]:
    """Turnaround p50/p90 against the time limit: overall, by transaction, by mode."""
    groups = []
    for title, items in (
        (_("All approvals and rejections"), [board.turnaround] if board.turnaround else []),
        (_("By transaction"), board.turnaround_by_transaction),
        (_("By mode"), board.turnaround_by_mode),
    ):
        rows = [
            {
                "label": item.label,
                "name": names.of(item.drill, item.label),
                "decisions": item.decisions,
                "p50": _duration(item.p50_seconds),
                "p90": _duration(item.p90_seconds),
                "p50_seconds": item.p50_seconds,
                "p90_seconds": item.p90_seconds,
                "limit": item.limit_label,
                "over_p90": bool(
                    item.limits
                    and item.p90_seconds is not None
                    and item.p90_seconds > item.limits[-1] * 60
                ),
                "within": item.within_limit_pct,
                "url": _url("reports:requests", filters, **item.drill),
            }
            for item in items
            if item.decisions
        ]
        if rows:
            groups.append({"title": title, "rows": rows})
    return groups


def _tiles(board, filters) -> list[dict]:
    totals = board.totals
    return [
        {
            "key": "submitted",
            "label": _("Submitted"),
            "value": totals["submitted"],
            "url": _url("reports:requests", filters, kind="submitted"),
        },
        {
            "key": "approved",
            "label": _("Approved"),
            "value": totals["approved"],
            "url": _url("reports:requests", filters, kind="approved"),
        },
        {
            "key": "returned",
            "label": _("Returned"),
            "value": totals["returned"],
            "url": _url("reports:requests", filters, kind="returned"),
        },
        {
            "key": "rejected",
            "label": _("Rejected"),
            "value": totals["rejected"],
            "url": _url("reports:requests", filters, kind="rejected"),
        },
        {
            "key": "escalated",
            "label": _("Escalated (time limit passed)"),
            "value": totals["escalated"],
            "url": _url("reports:requests", filters, kind="escalated"),
        },
        {
            "key": "expired",
            "label": _("Expired"),
            "value": totals["expired"],
            "url": _url("reports:requests", filters, kind="expired"),
        },
        {
            "key": "approval_rate",
            "label": _("Authorization rate (approved of approved and rejected)"),
            "value": f"{board.approval_rate}%" if board.approval_rate is not None else "—",
            "url": "",
        },
        {
            "key": "mean_decision_seconds",
            "label": _("Mean seconds from the previous step to a decision"),
            "value": board.mean_decision_seconds
            if board.mean_decision_seconds is not None
            else "—",
            "url": "",
        },
    ]


@reports_required
def dashboard_now(request: HttpRequest) -> HttpResponse:
    """The "now" tiles (queue depth and age), polled by htmx."""
    filters, _errors = _filters(request)
    return render(
        request,
        "reports/_now.html",
        {
            "queue": selectors.queue_now(filters=filters, now=timezone.now()),
            "filters": filters,
            "query": urlencode(filters.query()),
            "now_seconds": NOW_REFRESH_SECONDS,
        },
    )


@reports_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The requests behind a bar or a tile (drill-down)."""
    filters, errors = _filters(request)
    try:
        rows, total = selectors.request_rows(filters=filters, params=request.GET)
    except FilterError as error:
        errors = {**errors, **error.errors}
        rows, total = [], 0
    drill = {
        key: request.GET[key]
        for key in ("kind", "reason", "authorizer", "teller", "day", "out_of_hours", "band")
        if request.GET.get(key)
    }
    people = {row.submitted_by for row in rows} | {row.decided_by for row in rows}
    people |= {drill.get("authorizer", ""), drill.get("teller", "")}
    names = selectors.code_names(usernames=people)
    return render(
        request,
        "reports/requests.html",
        {
            **_filter_context(request, filters, errors, names),
            "rows": [_request_row_shown(row, names) for row in rows],
            "total": total,
            "drill": drill,  # kept through the filters' form (hidden fields)
            "drill_shown": _drill_shown(drill, names),
            "export_query": urlencode({**filters.query(), **drill}),
        },
    )


def _request_row_shown(row, names) -> dict:
    """A drill-down row as a person reads it: names, with the codes kept beside them."""
    return {
        "row": row,
        "branch": names.branches.get(row.branch_code, row.branch_code),
        "transaction": names.transactions.get(row.transaction_code, row.transaction_code),
        "channel": names.channels.get(row.channel, row.channel),
        "mode": names.modes.get(row.mode, row.mode),
        "state": names.states.get(row.state, row.state),
        "submitted_by": names.people.get(row.submitted_by, row.submitted_by),
        "decided_by": names.people.get(row.decided_by, row.decided_by),
    }


def _drill_shown(drill: dict[str, str], names) -> list[tuple[str, str]]:
    """The drill-down's own filters (kind, reason, authorizer, ...) as (label, value) to read."""
    labels = {
        "kind": _("Events"),
        "reason": _("Return or rejection reason"),
        "authorizer": _("Authorizer"),
        "teller": _("Teller"),
        "day": _("Day"),
        "out_of_hours": _("Outside working hours"),
        "band": _("Minutes since submission"),
    }
    books = {
        "kind": names.kinds,
        "reason": names.decision_reasons,
        "authorizer": names.people,
        "teller": names.people,
        "out_of_hours": {"1": _("Yes"), "true": _("Yes")},
    }
    return [
        (str(labels[key]), str(books.get(key, {}).get(value, value)))
        for key, value in drill.items()
    ]


@reports_required
def quality(request: HttpRequest) -> HttpResponse:
    filters, errors = _filters(request)
    authorizers = selectors.authorizer_quality(filters=filters)
    names = selectors.code_names(usernames=[a.username for a in authorizers])
    return render(
        request,
        "reports/quality.html",
        {
            **_filter_context(request, filters, errors, names),
            "rows": [
                {
                    "authorizer": a,
                    "name": names.people.get(a.username, a.username),
                    "flags": [
                        {"flag": flag, "url": _url("reports:requests", filters, **flag.drill)}
                        for flag in a.flags
                    ],
                    "url": _url("reports:requests", filters, authorizer=a.username, kind="decided"),
                }
                for a in authorizers
            ],
        },
    )


@reports_required
def export(request: HttpRequest, table: str, extension: str) -> HttpResponse:
    if table not in TABLES or extension not in ("csv", "xlsx"):
        raise Http404
    try:
        filters = selectors.report_filters_for(user=request.user, params=request.GET)
    except FilterError as error:
        return JsonResponse(
            error_body("invalid", _("Invalid filters."), {k: [v] for k, v in error.errors.items()}),
            status=400,
        )
    builder = csv_response if extension == "csv" else xlsx_response
    try:
        return builder(table, filters=filters, params=request.GET)
    except FilterError as error:
        return JsonResponse(
            error_body("invalid", _("Invalid filters."), {k: [v] for k, v in error.errors.items()}),
            status=400,
        )


@reports_required
@require_POST
def refresh_now(request: HttpRequest) -> HttpResponse:
    """Bring the reports up to date now instead of at the next beat."""
    reports_refresh()
    return HttpResponse(status=204, headers={"HX-Refresh": "true"})


@login_required
@require_POST
def instrumentation(request: HttpRequest) -> HttpResponse:
    """A batch of page events (navigator.sendBeacon from the pages): 204, or 400 with the
    standard error body."""
    try:
        events = json.loads(request.body or b"[]")
        instrumentation_record(user=request.user, events=events, now=timezone.now())
    except (ValueError, InstrumentationRefused) as error:
        return JsonResponse(error_body("invalid", str(error), {}), status=400)
    return HttpResponse(status=204)
