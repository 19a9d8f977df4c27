"""Data of the reports app: facts copied from the other apps' facades, and rollups.

Ingestion (reports.services.ingest) reads the authorization trail by cursor through
`authorization.facade.request_events_after` into `TrailFact` (one row per trail event, its
source id unique, so a re-read inserts nothing twice) and keeps one `RequestFact` per request
(where it stands now). Every hour an event falls in is marked in `DirtyHour`; the rollup
refresh recomputes exactly those hours of `HourlyRollup` from `TrailFact` (delete + INSERT …
SELECT … GROUP BY), so late events and re-runs give the same numbers. Pages read rollups, never
the whole history.
"""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

# Submit -> final decision (approval or rejection), in minutes: (upper bound, band).
TURNAROUND_BANDS = ((5, "0-5"), (15, "5-15"), (30, "15-30"), (60, "30-60"), (None, "60+"))

# The turnaround histogram's buckets: (up to this many seconds, bucket width in seconds). A
# turnaround is counted in the bucket named by its upper bound (the next multiple of the width
# at or above it), so p50/p90 read from the merged histogram are exact to the width: 10 s up
# to 10 min, 30 s up to 30 min, 1 min up to 2 h, 10 min up to a day, 1 h beyond. Each limit is
# a multiple of the next width, and the bands' bounds and any time limit in whole minutes up
# to 2 h are bucket bounds, so "within the band" and "within the limit" are exact too.
TURNAROUND_BUCKETS = ((600, 10), (1800, 30), (7200, 60), (86400, 600), (None, 3600))
_MICRO = 1_000_000


def turnaround_bucket(elapsed) -> int:
    """The upper bound, in seconds, of the histogram bucket of a turnaround (a timedelta)."""
    micros = max(elapsed // timedelta(microseconds=1), 0)
    for limit, width in TURNAROUND_BUCKETS:
        if limit is None or micros <= limit * _MICRO:
            return -(-micros // (width * _MICRO)) * width
    raise AssertionError("unreachable")


def turnaround_band(seconds: float) -> str:
    for upper, band in TURNAROUND_BANDS:
        if upper is None or seconds <= upper * 60:
            return band
    return ""


class IngestCursor(models.Model):
    """The last source id read from one feed (e.g. "trail")."""

    feed = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.feed}@{self.last_id}"


class RequestFact(models.Model):
    """One authorization request as reports know it (detail data): its elements that reports
    group by, and where it stands after the last event read."""

    reference = models.CharField(max_length=20, unique=True)
    branch_code = models.CharField(max_length=20)
    branch_path = models.CharField(max_length=255)
    transaction_code = models.CharField(max_length=40)
    channel = models.CharField(max_length=40)
    mode = models.CharField(max_length=20)
    level = models.PositiveSmallIntegerField(null=True)
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    currency = models.CharField(max_length=3, blank=True)
    reason_key = models.CharField(max_length=200, blank=True)  # sorted trigger reasons, "+"
    submitted_by = models.CharField(max_length=150, blank=True)
    submitted_at = models.DateTimeField()
    state = models.CharField(max_length=24)
    state_at = models.DateTimeField()
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True)
    claimed_at = models.DateTimeField(null=True)
    time_limit_minutes = models.PositiveIntegerField(null=True)
    last_event_id = models.BigIntegerField()

    class Meta:
        permissions = [("view_reports", _("Can see reports, dashboards and analytics"))]
        indexes = [
            models.Index(fields=["state", "branch_path"], name="reports_reqfact_state"),
            models.Index(fields=["branch_path", "submitted_at"], name="reports_reqfact_branch"),
        ]

    def __str__(self) -> str:
        return self.reference


class TrailFact(models.Model):
    """One trail event (trail data: who, when, where, how long), with its request's facts."""

    source_id = models.BigIntegerField(unique=True)
    request_reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=24)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_unit_code = models.CharField(max_length=12, blank=True)
    occurred_at = models.DateTimeField()
    hour = models.DateTimeField()  # occurred_at truncated to the hour (UTC)
    seconds_since_previous = models.DecimalField(max_digits=14, decimal_places=3)
    branch_code = models.CharField(max_length=20)
    branch_path = models.CharField(max_length=255)
    transaction_code = models.CharField(max_length=40)
    channel = models.CharField(max_length=40)
    mode = models.CharField(max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(null=True)
    reason_key = models.CharField(max_length=200, blank=True)
    decision_reason_code = models.CharField(max_length=40, blank=True)
    submitted_by = models.CharField(max_length=150, blank=True)  # the request's teller
    # For a decision: seconds since the deciding authorizer claimed the request.
    seconds_since_claim = models.DecimalField(max_digits=14, decimal_places=3, null=True)
    # For an approval or a rejection: how long since the request was first submitted, as a
    # band of TURNAROUND_BANDS ("" for other events).
    turnaround_band = models.CharField(max_length=8, blank=True)
    # For an approval or a rejection: the upper bound in seconds of its turnaround's histogram
    # bucket (see TURNAROUND_BUCKETS), and the request's time limit in minutes.
    turnaround_bucket = models.PositiveIntegerField(null=True)
    time_limit_minutes = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["hour"], name="reports_trailfact_hour"),
            models.Index(fields=["kind", "actor_username"], name="reports_trailfact_actor"),
            models.Index(fields=["request_reference"], name="reports_trailfact_request"),
        ]

    def __str__(self) -> str:
        return f"{self.request_reference} {self.kind}"


class VerdictFact(models.Model):
    """One review-point verdict (pass or fail) an authorizer recorded."""

    source_id = models.BigIntegerField(unique=True)
    request_reference = models.CharField(max_length=20)
    review_point_code = models.CharField(max_length=40)
    passed = models.BooleanField()
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["recorded_by"], name="reports_verdict_by")]

    def __str__(self) -> str:
        return f"{self.request_reference} {self.review_point_code}: {self.passed}"


class HourlyRollup(models.Model):
    """Events per hour x branch x transaction x channel x mode x level x kind x actor x reason,
    with the seconds since the previous step summed (for mean handling times)."""

    hour = models.DateTimeField()
    branch_code = models.CharField(max_length=20)
    branch_path = models.CharField(max_length=255)
    transaction_code = models.CharField(max_length=40)
    channel = models.CharField(max_length=40)
    mode = models.CharField(max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(null=True)
    kind = models.CharField(max_length=24)
    actor_username = models.CharField(max_length=150, blank=True)
    decision_reason_code = models.CharField(max_length=40, blank=True)
    events = models.IntegerField()
    seconds_total = models.DecimalField(max_digits=20, decimal_places=3)

    class Meta:
        indexes = [
            models.Index(fields=["hour", "kind"], name="reports_rollup_hour_kind"),
            models.Index(fields=["branch_path", "hour"], name="reports_rollup_branch"),
        ]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h {self.branch_code} {self.kind}: {self.events}"


class DailyRollup(models.Model):
    """What the dashboard reads, per period x branch x transaction x channel x mode, in grains
    bounded by their dimensions rather than by the volume, so that the dashboard's cost stays
    flat as the history grows.

    Periods: a local day (`period` "day") and a calendar month (`period` "month", `day` its
    first day, summed from its days). A range reads the months it covers whole and days only
    at its edges, so a year is ~12 cells per combination rather than ~365.

    Grains: "main" (x event kind x reason), "authorizer" (decisions per deciding authorizer,
    kind "decided"), "turnaround" (approvals and rejections, kind "final", x time limit, with
    the whole histogram packed in `packed` as {bucket upper bound in seconds: count}: one row
    per cell, not per bucket) and, for months only, "days" (submissions, kind "submitted",
    with {ISO day: count} packed: the chart by day reads a month's days from one row)."""

    class Grain(models.TextChoices):
        MAIN = "main"
        AUTHORIZER = "authorizer"
        TURNAROUND = "turnaround"
        DAYS = "days"

    class Period(models.TextChoices):
        DAY = "day"
        MONTH = "month"

    grain = models.CharField(max_length=12, choices=Grain.choices)
    period = models.CharField(max_length=5, choices=Period.choices, default=Period.DAY)
    day = models.DateField()  # the day, or the month's first day
    branch_code = models.CharField(max_length=20)
    branch_path = models.CharField(max_length=255)
    transaction_code = models.CharField(max_length=40)
    channel = models.CharField(max_length=40)
    mode = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=24)
    actor_username = models.CharField(max_length=150, blank=True)  # grain "authorizer"
    decision_reason_code = models.CharField(max_length=40, blank=True)  # grain "main"
    time_limit_minutes = models.PositiveIntegerField(null=True)  # grain "turnaround"
    # Grain "turnaround": {bucket: count}; grain "days": {ISO day: count}. JSON (text on
    # SQLite, jsonb on PostgreSQL) so the same code runs on both.
    packed = models.JSONField(null=True)
    events = models.IntegerField()
    seconds_total = models.DecimalField(max_digits=20, decimal_places=3)

    class Meta:
        indexes = [
            models.Index(fields=["grain", "period", "day"], name="reports_rollup_grain_period")
        ]

    def __str__(self) -> str:
        return (
            f"{self.period} {self.day} {self.grain} {self.branch_code} {self.kind}: {self.events}"
        )


class DirtyHour(models.Model):
    """An hour whose rollup must be recomputed (new or late events arrived for it)."""

    hour = models.DateTimeField(unique=True)
    marked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h"


class InstrumentationEvent(models.Model):
    """What the pages report in batches (instrumentation data): a page shown, an image opened,
    the time spent on a review point, claim to decision."""

    class Name(models.TextChoices):
        PAGE_SHOWN = "page_shown", _("Page shown")
        IMAGE_OPENED = "image_opened", _("Image opened")
        REVIEW_POINT_TIME = "review_point_time", _("Time on a review point")
        CLAIM_TO_DECISION = "claim_to_decision", _("Claim to decision")

    name = models.CharField(max_length=32, choices=Name.choices)
    username = models.CharField(max_length=150)
    unit_code = models.CharField(max_length=12, blank=True)
    path = models.CharField(max_length=255, blank=True)
    request_reference = models.CharField(max_length=20, blank=True)
    subject = models.CharField(max_length=60, blank=True)  # a review point or an image id
    duration_ms = models.PositiveIntegerField(null=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["name", "occurred_at"], name="reports_instr_name")]

    def __str__(self) -> str:
        return f"{self.username} {self.name}"
