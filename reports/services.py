"""Writes of the reports app: fact ingestion by cursor and the incremental rollup refresh.

Both are idempotent: the trail is read again from a little before the cursor (an event whose
transaction committed after a later id's is still picked up), facts are keyed by their source
id, and a rollup hour is always recomputed whole from the facts, never incremented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import connections, transaction
from django.utils import timezone

from authorization.facade import request_events_after, review_verdicts_after
from bankcore.models import OrgUnit

from .models import (
    DirtyHour,
    IngestCursor,
    InstrumentationEvent,
    RequestFact,
    TrailFact,
    VerdictFact,
    turnaround_band,
    turnaround_bucket,
)
from .rollups import rollups_refresh

# Events re-read behind the cursor on each run (their ids were taken by transactions that may
# have committed after a higher id was read); the unique source id makes the re-read harmless.
REREAD_WINDOW = 200
DECISION_KINDS = ("first_approved", "approved", "rejected", "returned")
FINAL_DECISION_KINDS = ("approved", "rejected")
_MILLI = Decimal("0.001")


def _hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _cursor(feed: str) -> IngestCursor:
    cursor, _created = IngestCursor.objects.using("default").get_or_create(
        feed=feed, defaults={"updated_at": timezone.now()}
    )
    return IngestCursor.objects.using("default").select_for_update().get(pk=cursor.pk)


def _branch_paths() -> dict[str, str]:
    return dict(OrgUnit.objects.using("default").values_list("code", "path"))


def _mark_dirty(hours: set[datetime]) -> None:
    now = timezone.now()
    DirtyHour.objects.using("default").bulk_create(
        [DirtyHour(hour=hour, marked_at=now) for hour in sorted(hours)],
        update_conflicts=True,
        unique_fields=["hour"],
        update_fields=["marked_at"],
    )


_TRAIL_COLUMNS = (
    "source_id",
    "request_reference",
    "kind",
    "from_state",
    "to_state",
    "actor_username",
    "actor_unit_code",
    "occurred_at",
    "hour",
    "seconds_since_previous",
    "branch_code",
    "branch_path",
    "transaction_code",
    "channel",
    "mode",
    "level",
    "reason_key",
    "decision_reason_code",
    "submitted_by",
    "seconds_since_claim",
    "turnaround_band",
    "turnaround_bucket",
    "time_limit_minutes",
)
_REQUEST_UPDATED = (
    "mode",
    "level",
    "submitted_by",
    "claimed_at",
    "state",
    "state_at",
    "decided_by",
    "decided_at",
    "time_limit_minutes",
    "last_event_id",
)
_REQUEST_COLUMNS = (
    "reference",
    "branch_code",
    "branch_path",
    "transaction_code",
    "channel",
    "amount",
    "currency",
    "reason_key",
    "submitted_at",
    *_REQUEST_UPDATED,
)


def _bulk_insert(model, columns, rows: list[tuple], *, conflict: str, update=()) -> None:
    """Insert rows (tuples in `columns` order); on a `conflict` with a row already there, keep
    it, or update its `update` columns. On PostgreSQL: COPY into a temporary table, then one
    INSERT ... SELECT ... ON CONFLICT (several times faster than INSERT ... VALUES at a million
    facts); elsewhere bulk_create."""
    if not rows:
        return
    connection = connections["default"]
    if connection.vendor != "postgresql":
        model.objects.using("default").bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows],
            batch_size=2000,
            **(
                {"update_conflicts": True, "unique_fields": [conflict], "update_fields": update}
                if update
                else {"ignore_conflicts": True}
            ),
        )
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(column).column) for column in columns)
    stage = quote(f"{model._meta.db_table}_stage")
    action = (
        "UPDATE SET " + ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in update)
        if update
        else "NOTHING"
    )
    with connection.cursor() as cursor:
        # Table and column names come from the model; every value goes through COPY.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} "  # noqa: S608
            f"ON CONFLICT ({quote(conflict)}) DO {action}"
        )
        cursor.execute(f"DROP TABLE {stage}")


def trail_ingest(*, batch_size: int = 5000) -> int:
    """Read the next trail events into TrailFact and RequestFact; returns how many were read
    (re-read ones included). Call until it returns less than `batch_size`."""
    with transaction.atomic(using="default"):
        cursor = _cursor("trail")
        events = request_events_after(
            after_id=max(cursor.last_id - REREAD_WINDOW, 0), limit=batch_size
        )
        if not events:
            return 0
        paths = _branch_paths()
        references = {event.request_reference for event in events}
        facts = {
            fact.reference: fact
            for fact in RequestFact.objects.using("default").filter(reference__in=references)
        }
        trail_rows = []
        for event in events:
            fact = facts.get(event.request_reference)
            if fact is None:
                fact = RequestFact(
                    reference=event.request_reference,
                    branch_code=event.branch_code,
                    branch_path=paths.get(event.branch_code, ""),
                    transaction_code=event.transaction_code,
                    channel=event.channel,
                    mode=event.mode,
                    level=event.level,
                    amount=event.amount,
                    currency=event.currency,
                    reason_key="+".join(sorted(event.reason_codes)),
                    submitted_by=event.actor_username if event.kind == "submitted" else "",
                    submitted_at=event.occurred_at,
                    state=event.to_state,
                    state_at=event.occurred_at,
                    time_limit_minutes=event.time_limit_minutes,
                    last_event_id=0,
                )
                facts[fact.reference] = fact
            seconds_since_claim = None
            if event.kind in DECISION_KINDS and fact.claimed_at is not None:
                seconds_since_claim = Decimal(
                    max((event.occurred_at - fact.claimed_at).total_seconds(), 0)
                ).quantize(_MILLI)
            final = event.kind in FINAL_DECISION_KINDS
            trail_rows.append(
                (
                    event.id,
                    event.request_reference,
                    event.kind,
                    event.from_state,
                    event.to_state,
                    event.actor_username,
                    event.actor_unit_code,
                    event.occurred_at,
                    _hour_of(event.occurred_at),
                    event.seconds_since_previous,
                    event.branch_code,
                    fact.branch_path,
                    event.transaction_code,
                    event.channel,
                    event.mode,
                    event.level,
                    fact.reason_key,
                    event.decision_reason_code,
                    fact.submitted_by,
                    seconds_since_claim,
                    turnaround_band((event.occurred_at - fact.submitted_at).total_seconds())
                    if final
                    else "",
                    turnaround_bucket(event.occurred_at - fact.submitted_at) if final else None,
                    event.time_limit_minutes if final else None,
                )
            )
            if event.id <= fact.last_event_id:
                continue  # already applied to the request's standing
            fact.last_event_id = event.id
            fact.mode, fact.level = event.mode, event.level
            fact.time_limit_minutes = event.time_limit_minutes
            if event.kind == "submitted" and not fact.submitted_by:
                fact.submitted_by = event.actor_username
            if event.kind == "claimed":
                fact.claimed_at = event.occurred_at
            if event.to_state and event.to_state != fact.state:
                fact.state, fact.state_at = event.to_state, event.occurred_at
            if event.kind in ("approved", "rejected", "returned"):
                fact.decided_by, fact.decided_at = event.actor_username, event.occurred_at
        # Only the events not read before change a rollup hour (the re-read window's do not).
        known = set(
            TrailFact.objects.using("default")
            .filter(source_id__in=[row[0] for row in trail_rows])
            .values_list("source_id", flat=True)
        )
        trail_rows = [row for row in trail_rows if row[0] not in known]
        _bulk_insert(TrailFact, _TRAIL_COLUMNS, trail_rows, conflict="source_id")
        # One upsert for new and known requests alike (bulk_update's CASE is slow at scale).
        _bulk_insert(
            RequestFact,
            _REQUEST_COLUMNS,
            [
                tuple(getattr(fact, column) for column in _REQUEST_COLUMNS)
                for fact in facts.values()
            ],
            conflict="reference",
            update=_REQUEST_UPDATED,
        )
        _mark_dirty({row[8] for row in trail_rows})
        cursor.last_id = max(cursor.last_id, events[-1].id)
        cursor.updated_at = timezone.now()
        cursor.save(update_fields=["last_id", "updated_at"])
    return len(events)


def verdicts_ingest(*, batch_size: int = 5000) -> int:
    """Read the next review verdicts into VerdictFact; returns how many were read."""
    with transaction.atomic(using="default"):
        cursor = _cursor("verdicts")
        verdicts = review_verdicts_after(
            after_id=max(cursor.last_id - REREAD_WINDOW, 0), limit=batch_size
        )
        if not verdicts:
            return 0
        _bulk_insert(
            VerdictFact,
            (
                "source_id",
                "request_reference",
                "review_point_code",
                "passed",
                "recorded_by",
                "recorded_at",
            ),
            [
                (
                    v.id,
                    v.request_reference,
                    v.review_point_code,
                    v.passed,
                    v.recorded_by_username,
                    v.recorded_at,
                )
                for v in verdicts
            ],
            conflict="source_id",
        )
        cursor.last_id = max(cursor.last_id, verdicts[-1].id)
        cursor.updated_at = timezone.now()
        cursor.save(update_fields=["last_id", "updated_at"])
    return len(verdicts)


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    events_read: int
    verdicts_read: int
    hours_refreshed: int


def reports_refresh(*, batch_size: int = 5000) -> RefreshOutcome:
    """Bring the facts and rollups up to date (what Celery beat runs, and "refresh now")."""
    events = verdicts = hours = 0
    while True:
        read = trail_ingest(batch_size=batch_size)
        events += read
        if read < batch_size:
            break
    while True:
        read = verdicts_ingest(batch_size=batch_size)
        verdicts += read
        if read < batch_size:
            break
    while True:
        refreshed = rollups_refresh()
        hours += refreshed
        if refreshed == 0:
            break
    return RefreshOutcome(events, verdicts, hours)


def rollups_rebuild() -> int:
    """Mark every hour with facts dirty and recompute them all (after a change of the rollup's
    shape); the numbers are the same as before when nothing changed."""
    hours = set(TrailFact.objects.using("default").values_list("hour", flat=True).distinct())
    if hours:
        _mark_dirty(hours)
    total = 0
    while True:
        refreshed = rollups_refresh()
        total += refreshed
        if refreshed == 0:
            return total


class InstrumentationRefused(ValueError):
    """A batch of page events that is not a list of known events."""


INSTRUMENTATION_BATCH_MAX = 200


def instrumentation_record(*, user, events: list[dict], now: datetime) -> int:
    """Store a batch of page events sent by the pages (navigator.sendBeacon); returns how many.
    The whole batch is refused if one event is malformed."""
    if not isinstance(events, list) or len(events) > INSTRUMENTATION_BATCH_MAX:
        raise InstrumentationRefused("events must be a list of at most 200 events")
    names = set(InstrumentationEvent.Name.values)
    rows = []
    for event in events:
        if not isinstance(event, dict) or event.get("name") not in names:
            raise InstrumentationRefused("unknown event")
        duration = event.get("duration_ms")
        if duration is not None and (not isinstance(duration, int) or not 0 <= duration < 10**9):
            raise InstrumentationRefused("duration_ms must be a whole number of milliseconds")
        offset = event.get("seconds_ago", 0)
        if not isinstance(offset, int | float) or not 0 <= offset < 86400:
            raise InstrumentationRefused("seconds_ago must be between 0 and 86400")
        rows.append(
            InstrumentationEvent(
                name=event["name"],
                username=user.username,
                unit_code=user.org_unit.code if user.org_unit_id else "",
                path=str(event.get("path", ""))[:255],
                request_reference=str(event.get("request", ""))[:20],
                subject=str(event.get("subject", ""))[:60],
                duration_ms=duration,
                occurred_at=now - timedelta(seconds=offset),
                received_at=now,
            )
        )
    InstrumentationEvent.objects.bulk_create(rows)
    return len(rows)
