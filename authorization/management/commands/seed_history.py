"""A realistic history of authorization requests, for demos, reports and benchmarks.

    manage.py seed_history --requests 100000 [--days 180] [--seed 7] [--end YYYY-MM-DD]

Bulk-inserts evaluated transactions, requests, their hash-chained trail events (the same hash
`trail_verify` checks) and review verdicts, in batches, without going through the request
services one by one (which would take hours at a million). What it makes:

- seasonality: weekdays busy, weekends quiet, month ends busier, a morning and an afternoon
  peak; branch sizes uneven (a few big outlets, many small ones);
- a mix of transactions, channels and trigger reasons, each reason with its own approval rate;
- eight remote authorizers `hist_auth_01`…`hist_auth_08` with slightly different paces;
  planted among them a rubber-stamper (`hist_auth_07`: approves nearly everything within
  seconds and never fails a review point) and a colluding pair (teller `hist_teller_01`, whose
  requests go mostly to `hist_auth_08`);
- a few returns resubmitted and approved, and the last hours' requests still open;
- each transaction its time limit (minutes from submission to decision).

On PostgreSQL the rows go in by COPY (psycopg 3 `cursor.copy`, ids reserved from the tables'
sequences first), elsewhere by `bulk_create`; the same generator makes them either way, so the
tests that run it on SQLite and PostgreSQL at small sizes cover what the benchmarks run at 1M.
"""

from __future__ import annotations

import math
import operator
import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone

from authorization.models import (
    AuthorizationRequest,
    EvaluatedTransaction,
    RequestEvent,
    ReviewVerdict,
    RuleSetStatus,
    RuleSetVersion,
)
from authorization.services.trail import event_hash
from bankcore.models import OrgUnit, OrgUnitKind, User
from bankcore.services import org_unit_ensure

RUBBER_STAMPER = "hist_auth_07"
COLLUDING_AUTHORIZER = "hist_auth_08"
COLLUDING_TELLER = "hist_teller_01"
AUTHORIZERS = [f"hist_auth_{n:02d}" for n in range(1, 9)]

# transaction, weight, amount range (CNY)
TRANSACTIONS = [
    ("CASH_WITHDRAWAL", 40, (50_000, 300_000)),
    ("TRANSFER", 25, (50_000, 2_000_000)),
    ("ACCOUNT_OPENING", 12, (0, 0)),
    ("CUSTOMER_CHANGE", 10, (0, 0)),
    ("FX_PURCHASE", 8, (10_000, 500_000)),
    ("LOSS_REPORT", 5, (0, 0)),
]
CHANNELS = [("counter", 70), ("pad", 15), ("mobile", 10), ("self_service", 5)]
# trigger reason, weight, approval probability of a normal authorizer
REASONS = [
    ("LARGE_AMOUNT", 40, 0.86),
    ("DORMANT_ACCOUNT", 15, 0.78),
    ("THIRD_PARTY", 15, 0.74),
    ("VIP_CUSTOMER", 10, 0.93),
    ("SENSITIVE_CUSTOMER", 10, 0.62),
    ("EXPIRED_DOCUMENT", 10, 0.55),
]
RETURN_CODES = ["IMAGE_UNCLEAR", "IMAGE_MISSING", "ELEMENT_MISMATCH", "SIGNATURE_MISSING"]
REJECT_CODES = ["IDENTITY_DOUBT", "DOCUMENT_INVALID", "FRAUD_SUSPECTED", "POLICY_BREACH"]
REVIEW_POINTS = ["ID_MATCHES", "AMOUNT_MATCHES"]
TIME_LIMITS = {  # minutes from submission to decision
    "CASH_WITHDRAWAL": 15,
    "TRANSFER": 30,
    "ACCOUNT_OPENING": 30,
    "CUSTOMER_CHANGE": 20,
    "FX_PURCHASE": 20,
    "LOSS_REPORT": 10,
}
HOUR_PROFILE = {9: 6, 10: 10, 11: 9, 12: 4, 13: 5, 14: 8, 15: 10, 16: 8, 17: 3}
_MILLI = Decimal("0.001")


@dataclass
class World:
    version: RuleSetVersion
    outlets: list[OrgUnit]
    outlet_weights: list[float]
    tellers: dict[int, list[User]]  # outlet id → tellers
    authorizers: list[User]
    colluding_teller: User
    pace: dict[str, float]  # authorizer → median review seconds


class Command(BaseCommand):
    help = "Bulk-insert a realistic history of authorization requests (for reports and benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, required=True)
        parser.add_argument("--days", type=int, default=180)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--end", type=str, default="", help="last day (default: today)")
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument(
            "--hour-only",
            action="store_true",
            help="submit every request within the last hour (a benchmark's new hour of work)",
        )

    def handle(self, *args, **options):
        total = options["requests"]
        if total < 1:
            raise CommandError("--requests must be at least 1")
        rng = random.Random(options["seed"])  # noqa: S311 - a reproducible history, not secrets
        zone = ZoneInfo(settings.TIME_ZONE)
        end_date = date.fromisoformat(options["end"]) if options["end"] else timezone.localdate()
        now = timezone.now()
        world = _world(rng)
        days = _day_weights(end_date, options["days"])
        made = 0
        while made < total:
            size = min(options["batch"], total - made)
            _insert_batch(world, rng, days, size, zone, now, hour_only=options["hour_only"])
            made += size
            if made % 50_000 < size:
                self.stdout.write(f"{made} requests")
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} requests seeded; rubber-stamper {RUBBER_STAMPER}, colluding pair "
                f"{COLLUDING_TELLER} → {COLLUDING_AUTHORIZER}."
            )
        )


def _world(rng: random.Random) -> World:
    with transaction.atomic():
        ho = OrgUnit.objects.filter(kind=OrgUnitKind.HEAD_OFFICE).first() or org_unit_ensure(
            code="HO", name="Head Office", kind=OrgUnitKind.HEAD_OFFICE, parent=None
        )
        outlets = list(OrgUnit.objects.filter(kind=OrgUnitKind.OUTLET).order_by("code"))
        if not outlets:
            for branch_code, city in (("BJ", "Beijing"), ("SH", "Shanghai")):
                branch = org_unit_ensure(
                    code=branch_code, name=f"{city} Branch", kind=OrgUnitKind.BRANCH, parent=ho
                )
                for n in (1, 2, 3):
                    outlets.append(
                        org_unit_ensure(
                            code=f"{branch_code}0{n}",
                            name=f"{city} outlet {n}",
                            kind=OrgUnitKind.OUTLET,
                            parent=branch,
                        )
                    )
        center = OrgUnit.objects.filter(kind=OrgUnitKind.AUTHORIZATION_CENTER).first()
        if center is None:
            center = org_unit_ensure(
                code="RAC",
                name="Remote Authorization Center",
                kind=OrgUnitKind.AUTHORIZATION_CENTER,
                parent=ho,
            )
        teller_group, _c = Group.objects.get_or_create(name="teller")
        authorizer_group, _c = Group.objects.get_or_create(name="remote_authorizer")
        tellers: dict[int, list[User]] = {}
        number = 0
        for outlet in outlets:
            tellers[outlet.pk] = []
            for _n in range(3):
                number += 1
                user = _user(f"hist_teller_{number:02d}", outlet, None)
                user.groups.add(teller_group)
                tellers[outlet.pk].append(user)
        authorizers = []
        for username in AUTHORIZERS:
            user = _user(username, center, 3)
            user.groups.add(authorizer_group)
            authorizers.append(user)
        version = (
            RuleSetVersion.objects.filter(status=RuleSetStatus.PUBLISHED)
            .order_by("-number")
            .first()
        )
        if version is None:
            number = (
                RuleSetVersion.objects.order_by("-number").values_list("number", flat=True).first()
                or 0
            ) + 1
            moment = timezone.now()
            version = RuleSetVersion.objects.create(
                number=number,
                status=RuleSetStatus.PUBLISHED,
                note="history",
                created_at=moment,
                created_by=authorizers[0],
                effective_at=moment,
                published_at=moment,
                published_by=authorizers[0],
            )
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(outlets))]  # a few big, many small
    pace = {user.username: rng.uniform(120, 200) for user in authorizers}
    pace[RUBBER_STAMPER] = 12.0
    colluding_teller = next(
        u for users in tellers.values() for u in users if u.username == COLLUDING_TELLER
    )
    return World(version, outlets, weights, tellers, authorizers, colluding_teller, pace)


def _user(username: str, unit: OrgUnit, level: int | None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, org_unit=unit, authorization_level=level)
        user.set_unusable_password()  # history people do not sign in
        user.save()
    return user


def _day_weights(end_date: date, days: int) -> list[tuple[date, float]]:
    weights = []
    for offset in range(days):
        day = end_date - timedelta(days=offset)
        weight = {5: 0.3, 6: 0.15}.get(day.weekday(), 1.0)
        if day.day >= 25:
            weight *= 1.3  # month-end rush
        weight *= 1.0 + 0.15 * math.sin(day.timetuple().tm_yday / 365 * 2 * math.pi)
        weights.append((day, weight))
    return weights


def _pick(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class _Trail:
    """Builds one request's events with their hash chain."""

    def __init__(self, request: AuthorizationRequest):
        self.request = request
        self.events: list[RequestEvent] = []
        self.at = request.submitted_at
        self.prev_hash = ""

    def add(self, kind, at, *, actor=None, from_state="", to_state="", reason="", details=None):
        event = RequestEvent(
            request=self.request,
            seq=len(self.events) + 1,
            kind=kind,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            actor_username=actor.username if actor else "",
            actor_unit_code=actor.org_unit.code if actor else "",
            occurred_at=at,
            seconds_since_previous=Decimal(max((at - self.at).total_seconds(), 0)).quantize(_MILLI),
            mode=self.request.mode,
            level=self.request.level,
            reason_code=reason,
            details=details or {},
            prev_hash=self.prev_hash,
        )
        event.hash = event_hash(reference=self.request.reference, event=event)
        self.prev_hash, self.at = event.hash, at
        self.events.append(event)


def _insert_batch(world, rng, days, size, zone, now, *, hour_only=False) -> None:
    day_list = [d for d, _w in days]
    day_weights = [w for _d, w in days]
    hours = list(HOUR_PROFILE)
    hour_weights = list(HOUR_PROFILE.values())
    plans = []
    for _i in range(size):
        day = rng.choices(day_list, weights=day_weights)[0]
        hour = rng.choices(hours, weights=hour_weights)[0]
        submitted_at = datetime.combine(day, time(hour), tzinfo=zone) + timedelta(
            seconds=rng.uniform(0, 3599)
        )
        if hour_only:
            submitted_at = now - timedelta(seconds=rng.uniform(600, 3000))
        elif submitted_at > now - timedelta(minutes=5):
            submitted_at = now - timedelta(minutes=rng.uniform(5, 600))
        outlet = rng.choices(world.outlets, weights=world.outlet_weights)[0]
        teller = rng.choice(world.tellers[outlet.pk])
        if rng.random() < 0.05:  # the colluding teller is busy
            teller = world.colluding_teller
            outlet = next(o for o in world.outlets if o.pk == teller.org_unit_id)
        transaction_code, _w, (low, high) = rng.choices(
            TRANSACTIONS, weights=[t[1] for t in TRANSACTIONS]
        )[0]
        reasons = [_pick(rng, [(r[0], r[1]) for r in REASONS])]
        if rng.random() < 0.2:
            second = _pick(rng, [(r[0], r[1]) for r in REASONS])
            if second not in reasons:
                reasons.append(second)
        amount = Decimal(rng.randint(low, high)).quantize(Decimal("0.01")) if high else None
        plans.append((submitted_at, outlet, teller, transaction_code, reasons, amount))
    with transaction.atomic():
        evaluations = _save(
            EvaluatedTransaction,
            [
                EvaluatedTransaction(
                    reference=uuid.uuid4(),
                    version=world.version,
                    transaction_code=p[3],
                    channel="counter",
                    branch_code=p[1].code,
                    teller=p[2].username,
                    elements={"amount": {"amount": str(p[5]), "currency": "CNY"}} if p[5] else {},
                    required=True,
                    mode="remote_centralized",
                    level=1,
                    reason_codes=p[4],
                    evaluated_at=p[0] - timedelta(seconds=20),
                )
                for p in plans
            ],
        )
        requests, trails, verdicts = [], [], []
        for plan, evaluation in zip(plans, evaluations, strict=True):
            request, trail, request_verdicts = _one_request(world, rng, plan, evaluation, now)
            requests.append(request)
            trails.append(trail)
            verdicts.extend(request_verdicts)
        _save(AuthorizationRequest, requests)
        events = []
        for trail in trails:
            for event in trail.events:
                event.request_id = trail.request.pk
                events.append(event)
        _save(RequestEvent, events)
        for verdict in verdicts:
            verdict.request_id = verdict.request.pk
        _save(ReviewVerdict, verdicts)


def _save(model, objects: list) -> list:
    """Insert `objects` (their primary keys set): COPY on PostgreSQL, bulk_create elsewhere."""
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=2000)
    table = model._meta.db_table
    pk = model._meta.pk
    fields = model._meta.concrete_fields
    # Plain attribute values COPY as they are; JSON goes through its field (psycopg's Jsonb).
    convert = [
        (lambda value, f=f: f.get_db_prep_save(value, connection))
        if isinstance(f, JSONField)
        else None
        for f in fields
    ]
    values = operator.attrgetter(*(f.attname for f in fields))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objects)],
        )
        for obj, (new_id,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = new_id
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        ) as copy:
            for obj in objects:
                copy.write_row(
                    [
                        value if conv is None else conv(value)
                        for value, conv in zip(values(obj), convert, strict=True)
                    ]
                )
    for obj in objects:
        obj._state.adding, obj._state.db = False, "default"
    return objects


def _one_request(world: World, rng, plan, evaluation, now):
    submitted_at, outlet, teller, transaction_code, reasons, amount = plan
    channel = _pick(rng, CHANNELS)
    request = AuthorizationRequest(
        reference="AR" + secrets.token_hex(7).upper(),
        evaluation=evaluation,
        version=world.version,
        transaction_code=transaction_code,
        channel=channel,
        branch=outlet,
        submitted_by=teller,
        elements=evaluation.elements,
        amount=amount,
        currency="CNY" if amount is not None else "",
        decision={},
        reason_codes=reasons,
        mode="remote_centralized",
        authorizer_role="remote_authorizer",
        level=1,
        state="queued",
        submitted_at=submitted_at,
        updated_at=submitted_at,
        time_limit_minutes=TIME_LIMITS[transaction_code],
        due_at=submitted_at + timedelta(minutes=TIME_LIMITS[transaction_code]),
    )
    trail = _Trail(request)
    verdicts: list[ReviewVerdict] = []
    at = submitted_at
    if rng.random() < 0.3:
        trail.add("submitted", at, actor=teller, to_state="waiting_for_evidence")
        at += timedelta(seconds=rng.uniform(60, 600))
        trail.add("evidence_complete", at, from_state="waiting_for_evidence", to_state="queued")
    else:
        trail.add("submitted", at, actor=teller, to_state="queued")
    request.queued_at = at
    state = "queued"
    if teller.pk == world.colluding_teller.pk and rng.random() < 0.8:
        authorizer = next(a for a in world.authorizers if a.username == COLLUDING_AUTHORIZER)
    else:
        authorizer = rng.choice(world.authorizers)
    base_rate = min(p for r, _w, p in REASONS if r in reasons)
    for round_number in (1, 2):
        at += timedelta(seconds=min(rng.expovariate(1 / 180), 3600))
        if at > now:
            break  # still in the queue
        trail.add("claimed", at, actor=authorizer, from_state="queued", to_state="in_review")
        state = "in_review"
        request.claimed_by, request.claimed_at = authorizer, at
        request.lease_expires_at = at + timedelta(minutes=10)
        review = rng.lognormvariate(math.log(world.pace[authorizer.username]), 0.35)
        if at + timedelta(seconds=review + 30) > now:
            break  # being reviewed now
        at += timedelta(seconds=review)
        rubber = authorizer.username == RUBBER_STAMPER
        rate = 0.995 if rubber else base_rate
        if round_number == 2:
            rate = max(rate, 0.95)
        roll = rng.random()
        outcome = (
            "approved"
            if roll < rate
            else ("returned" if roll < rate + (1 - rate) * 0.6 else "rejected")
        )
        passed = []
        for point in REVIEW_POINTS:
            ok = (
                True
                if rubber
                else (rng.random() > 0.04 if outcome == "approved" else rng.random() > 0.5)
            )
            passed.append((point, ok))
        if outcome == "approved" and not all(ok for _p, ok in passed):
            outcome = "returned"
        verdict_details = {
            "verdicts": [
                {"point": p, "passed": ok, "comment": "" if ok else "no"} for p, ok in passed
            ]
        }
        trail.add(
            "verdicts_recorded",
            at,
            actor=authorizer,
            from_state="in_review",
            to_state="in_review",
            details=verdict_details,
        )
        for point, ok in passed:
            verdicts.append(
                ReviewVerdict(
                    request=request,
                    round=round_number,
                    review_point_code=point,
                    passed=ok,
                    comment="" if ok else "does not match",
                    recorded_by=authorizer,
                    recorded_at=at,
                )
            )
        at += timedelta(seconds=rng.uniform(2, 20))
        reason = ""
        if outcome == "returned":
            reason = rng.choice(RETURN_CODES)
        elif outcome == "rejected":
            reason = rng.choice(REJECT_CODES)
        trail.add(
            outcome, at, actor=authorizer, from_state="in_review", to_state=outcome, reason=reason
        )
        state = outcome
        request.round = round_number
        request.lease_expires_at = None
        if outcome != "returned":
            request.decided_by, request.decided_at = authorizer, at
            request.decision_reason_code = reason
            break
        request.claimed_by = request.claimed_at = None
        request.decision_reason_code = reason
        # The teller resubmits most returns within the hour.
        resubmit_at = at + timedelta(seconds=rng.uniform(300, 3600))
        if round_number == 2 or rng.random() > 0.6 or resubmit_at > now:
            break
        at = resubmit_at
        trail.add("resubmitted", at, actor=teller, from_state="returned", to_state="queued")
        state = "queued"
        request.queued_at = at
        if teller.pk != world.colluding_teller.pk or rng.random() >= 0.8:
            others = [a for a in world.authorizers if a.pk != authorizer.pk]
            authorizer = rng.choice(others)
    request.state = state
    if state == "queued":
        request.claimed_by = request.claimed_at = request.lease_expires_at = None
    request.updated_at = at
    request.trail_length = len(trail.events)
    request.trail_head_hash = trail.prev_hash
    return request, trail, verdicts
