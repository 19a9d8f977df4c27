"""The report tables, declared once: the pages show them, the exports write them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .selectors import (
    ReportFilters,
    authorizer_quality,
    code_names,
    dashboard,
    request_rows_iter,
)


@dataclass(frozen=True)
class TableSpec:
    title: str
    columns: tuple


BAR_TABLES = {
    "by_day": _("Requests submitted per day"),
    "by_branch": _("Requests submitted per branch"),
    "by_channel": _("Requests submitted per channel"),
    "by_transaction": _("Requests submitted per transaction"),
    "by_reason": _("Returns and rejections per reason"),
    "by_authorizer": _("Decisions per authorizer"),
    "by_turnaround": _("Approvals and rejections by minutes since submission"),
}
TABLES = (*BAR_TABLES, "quality", "requests")


def table_title(name: str):
    if name == "quality":
        return _("Authorizer quality")
    if name == "requests":
        return _("Requests")
    return BAR_TABLES[name]


def table_rows(name: str, *, filters: ReportFilters, params) -> tuple[list[str], Iterator]:
    """(header, rows) of one table under the filters; rows is an iterator (streamed)."""
    if name in BAR_TABLES:
        bars = getattr(dashboard(filters=filters), name)
        names = code_names(usernames=[bar.label for bar in bars] if name == "by_authorizer" else ())
        return (
            [str(_("Item")), str(_("Name")), str(_("Count"))],
            iter([bar.label, names.of(bar.drill, bar.label), bar.value] for bar in bars),
        )
    if name == "quality":
        header = [
            str(_("Authorizer")),
            str(_("Decisions")),
            str(_("Approvals")),
            str(_("Approval rate")),
            str(_("Peers' rate on the same reasons")),
            str(_("Median seconds from claim to decision")),
            str(_("Verdicts")),
            str(_("Failed verdicts")),
            str(_("Outside working hours")),
            str(_("Flags")),
        ]
        return header, iter(
            [
                q.username,
                q.decisions,
                q.approvals,
                float(round(q.approval_rate, 4)),
                float(round(q.peer_approval_rate, 4)) if q.peer_approval_rate is not None else "",
                float(round(q.median_seconds, 1)) if q.median_seconds is not None else "",
                q.verdicts,
                q.failed_verdicts,
                q.out_of_hours,
                "; ".join(f"{f.title}: {f.explanation}" for f in q.flags),
            ]
            for q in authorizer_quality(filters=filters)
        )
    header = [
        str(_("Reference")),
        str(_("Branch")),
        str(_("Transaction")),
        str(_("Channel")),
        str(_("Mode")),
        str(_("Amount")),
        str(_("Currency")),
        str(_("Submitted by")),
        str(_("Submitted at")),
        str(_("State")),
        str(_("Decided by")),
        str(_("Decided at")),
    ]
    return header, (
        [
            *row[:5],
            str(row[5]) if row[5] is not None else "",
            row[6],
            row[7],
            row[8].isoformat(),
            row[9],
            row[10],
            row[11].isoformat() if row[11] else "",
        ]
        for row in request_rows_iter(filters=filters, params=params)
    )
