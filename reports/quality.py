"""Authorizer-quality analytics, from the trail and verdict facts: per authorizer, approval
rate against peers for the same reasons, decision time far below the median (rubber-stamping),
review points never failed, one teller's requests concentrated on one authorizer (collusion
risk), decisions outside working hours. Each flag explains its numbers and links to the
requests behind it."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from .filters import (
    APPROVAL_KINDS,
    DECISION_KINDS,
    ReportFilters,
    _filtered,
    _out_of_hours,
)
from .models import TrailFact, VerdictFact

# --- Authorizer-quality analytics ---------------------------------------------------------------

MIN_DECISIONS = 20  # fewer decisions than this say nothing about an authorizer
FAST_RATIO = Decimal("0.25")  # median time below a quarter of the peers' median
APPROVAL_EXCESS = Decimal("0.12")  # approval rate 12 points above peers on the same reasons
PAIR_MIN = 10  # decisions on one teller's requests
PAIR_SHARE = Decimal("0.5")  # at least half of the teller's decided requests
PAIR_FACTOR = 3  # and three times the share an even spread would give
OUT_OF_HOURS_SHARE = Decimal("0.2")


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
