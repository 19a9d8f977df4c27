"""Authorization requests (the middle tier's workflow) and what hangs off them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from authorization.decision_texts import decision_in_language
from authorization.models.flow import EvaluatedTransaction
from authorization.models.rule_sets import RuleSetVersion
from authorization.models.triggers import AuthorizationMode, AuthorizerRole


class RequestState(models.TextChoices):
    """Where a request stands. "Submitted" and "resubmitted" are events, not states: a
    submission lands directly in waiting for evidence or queued."""

    WAITING_FOR_EVIDENCE = "waiting_for_evidence", _("Waiting for evidence")
    QUEUED = "queued", _("Queued")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for supplement")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


OPEN_REQUEST_STATES = (
    RequestState.WAITING_FOR_EVIDENCE,
    RequestState.QUEUED,
    RequestState.IN_REVIEW,
    RequestState.RETURNED,
)
FINAL_REQUEST_STATES = (
    RequestState.APPROVED,
    RequestState.REJECTED,
    RequestState.CANCELLED,
    RequestState.EXPIRED,
)


class AuthorizationRequest(models.Model):
    """A transaction submitted for authorization, with a snapshot of what was decided and why.

    State changes go through authorization.services.requests only, each as a conditional
    UPDATE on `state` (compare-and-set) with a trail event in the same transaction. The
    four-eyes rules are check constraints: they hold on every path, superusers included."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    evaluation = models.OneToOneField(
        EvaluatedTransaction, on_delete=models.PROTECT, related_name="authorization_request"
    )
    version = models.ForeignKey(RuleSetVersion, on_delete=models.PROTECT, related_name="+")
    transaction_code = models.CharField(max_length=40)
    channel = models.CharField(max_length=40)
    branch = models.ForeignKey("bankcore.OrgUnit", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    terminal = models.CharField(max_length=60, blank=True)
    elements = models.JSONField(default=dict)
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    # What was decided and why: mode, level, role, authorizers, time limit, scene, image
    # types, review points, reasons with explanations, rule-set version (as evaluate answered),
    # the texts in every language as they read at submission (read them with decision_shown).
    decision = models.JSONField(default=dict)
    reason_codes = models.JSONField(default=list)
    scene_code = models.CharField(max_length=40, blank=True)
    mode = models.CharField(max_length=20, choices=AuthorizationMode.choices)
    authorizer_role = models.CharField(max_length=20, choices=AuthorizerRole.choices)
    level = models.PositiveSmallIntegerField()
    authorizers_required = models.PositiveSmallIntegerField(default=1)
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    priority = models.SmallIntegerField(default=0)
    # What an account opening or a customer change will do once approved ("account:<no>",
    # "customer:<no>"), and a change's old and new values ({field: {"old": .., "new": ..}}).
    subject_ref = models.CharField(max_length=80, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    state = models.CharField(max_length=24, choices=RequestState.choices)
    round = models.PositiveSmallIntegerField(default=1)  # +1 on each resubmission
    submitted_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    first_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_approved_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason_code = models.CharField(max_length=40, blank=True)
    decision_comment = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField()
    # The trail's head, kept with the request so that a deleted last event is noticed too.
    trail_length = models.PositiveIntegerField(default=0)
    trail_head_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        permissions = [
            ("submit_request", _("Can submit transactions for authorization")),
            ("review_request", _("Can claim and decide authorization requests")),
        ]
        constraints = [
            # Four-eyes, in the database: no path (admin, shell, task, superuser) bypasses it.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("submitted_by")),
                name="authz_request_decider_not_submitter",
            ),
            models.CheckConstraint(
                condition=Q(first_approver__isnull=True)
                | ~Q(first_approver=models.F("submitted_by")),
                name="authz_request_first_approver_not_submitter",
            ),
            models.CheckConstraint(
                condition=Q(first_approver__isnull=True)
                | Q(decided_by__isnull=True)
                | ~Q(decided_by=models.F("first_approver")),
                name="authz_request_second_approver_not_first",
            ),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True) | ~Q(claimed_by=models.F("submitted_by")),
                name="authz_request_claimer_not_submitter",
            ),
            models.CheckConstraint(
                condition=~Q(state="in_review")
                | Q(claimed_by__isnull=False, lease_expires_at__isnull=False),
                name="authz_request_in_review_is_claimed",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(decided_by__isnull=False),
                name="authz_request_approved_has_decider",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved", authorizers_required=2)
                | Q(first_approver__isnull=False),
                name="authz_request_dual_has_two_approvers",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=9), name="authz_request_level"
            ),
            models.CheckConstraint(
                condition=Q(authorizers_required__in=[1, 2]), name="authz_request_authorizers"
            ),
        ]
        indexes = [
            # Claim next: the open queue by priority, then oldest first.
            models.Index(
                fields=["state", "mode", "level", "-priority", "queued_at"],
                name="authz_request_queue",
            ),
            # Claim next's query, in its order: open requests only (queued, and in review for
            # the expired leases it takes back), so its cost does not grow with the decided ones.
            models.Index(
                fields=["-priority", "queued_at", "id"],
                name="authz_request_open_queue",
                condition=Q(state__in=["queued", "in_review"]),
            ),
            models.Index(fields=["branch", "state"], name="authz_request_branch"),
            models.Index(fields=["submitted_by", "state"], name="authz_request_submitter"),
            models.Index(fields=["due_at"], name="authz_request_due"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def owner_ref(self) -> str:
        """How the imaging app knows this request's images."""
        return f"authreq:{self.reference}"

    @property
    def is_dual(self) -> bool:
        return self.authorizers_required == 2

    @property
    def decision_shown(self) -> dict:
        """The decision snapshot as the reader reads it: its names, texts and explanations in
        the active language (as stored for a request submitted before they were kept in
        every language)."""
        return decision_in_language(self.decision, get_language() or settings.LANGUAGE_CODE)


class ReviewVerdict(models.Model):
    """An authorizer's verdict on one review point of a request (pass or fail, a comment)."""

    request = models.ForeignKey(
        AuthorizationRequest, on_delete=models.PROTECT, related_name="verdicts"
    )
    round = models.PositiveSmallIntegerField()
    review_point_code = models.CharField(max_length=40)
    passed = models.BooleanField()
    comment = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "round", "recorded_by", "review_point_code"],
                name="authz_verdict_one_per_point",
            ),
            models.CheckConstraint(
                condition=Q(passed=True) | ~Q(comment=""), name="authz_verdict_fail_has_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} {self.review_point_code}: {self.passed}"


class RequestEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IMAGE_ATTACHED = "image_attached", _("Image attached")
    EVIDENCE_COMPLETE = "evidence_complete", _("Evidence complete")
    CLAIMED = "claimed", _("Claimed")
    RELEASED = "released", _("Released")
    LEASE_EXPIRED = "lease_expired", _("Claim lease expired")
    VERDICTS_RECORDED = "verdicts_recorded", _("Verdicts recorded")
    FIRST_APPROVED = "first_approved", _("First approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for supplement")
    SUPPLEMENTED = "supplemented", _("Supplemented")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    CANCELLED = "cancelled", _("Cancelled")
    TRANSFERRED = "transferred", _("Transferred to another mode")
    ESCALATED = "escalated", _("Escalated")
    EXPIRED = "expired", _("Expired")


class RequestEvent(models.Model):
    """One step of a request's trail (业务轨迹): append-only and hash-chained per request.

    `hash` is SHA-256 over the canonical JSON of the event with `prev_hash`, the previous
    event's hash; `manage.py trail_verify` recomputes the chain. On PostgreSQL a trigger
    refuses UPDATE and DELETE on this table."""

    request = models.ForeignKey(
        AuthorizationRequest, on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=24, choices=RequestEventKind.choices)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)  # "" for the system
    actor_unit_code = models.CharField(max_length=12, blank=True)
    occurred_at = models.DateTimeField()
    seconds_since_previous = models.DecimalField(max_digits=14, decimal_places=3)
    ip_address = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    terminal = models.CharField(max_length=60, blank=True)
    mode = models.CharField(max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    reason_code = models.CharField(max_length=40, blank=True)  # of a return or a rejection
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "seq"], name="authz_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.seq} {self.kind}"


class ReasonCodeKind(models.TextChoices):
    RETURN = "return", _("Return for supplement")
    REJECT = "reject", _("Rejection")


class ReasonCode(models.Model):
    """The catalogue of reasons an authorizer gives for a return or a rejection."""

    code = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=10, choices=ReasonCodeKind.choices)
    # Kept in English and Chinese (`name_en`, `name_zh_hans`: authorization/translation.py).
    name = models.CharField(max_length=160)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def label(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        language = (language or get_language() or "").lower()
        if language.startswith("zh") and self.name_zh_hans:
            return self.name_zh_hans
        return self.name_en or self.name


class AuthorizerLimit(models.Model):
    """The highest amount an authorizer may approve in one currency (beside their level).
    An authorizer without a limit in a currency is not given requests in that currency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authorization_limits"
    )
    currency = models.CharField(max_length=3)
    max_amount = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "currency"], name="authz_limit_unique"),
            models.CheckConstraint(condition=Q(max_amount__gte=0), name="authz_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.max_amount} {self.currency}"


class Delegation(models.Model):
    """An authorizer names a substitute for a period: meanwhile the delegator receives no
    requests and the substitute receives theirs, within the substitute's own level and limits."""

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(delegator=models.F("substitute")),
                name="authz_delegation_not_self",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="authz_delegation_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator_id} → {self.substitute_id}"
