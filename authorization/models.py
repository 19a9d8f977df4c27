"""Data of the authorization app: the three business models of the patent, versioned.

Everything a parameter administrator edits (transaction catalogue, trigger model, scene model,
image catalogue) belongs to one `RuleSetVersion`. A draft is a full copy of the version it was
made from; a published version is never edited again, so every recorded evaluation can be
explained by the version that decided it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bankcore.proposals import ProposalFields, ProposalStatus, proposal_constraints


class RuleSetStatus(models.TextChoices):
    """Stored: a draft is editable, a published version never changes again. Whether a
    published version is in force, scheduled or superseded is not stored: it follows from the
    publications (see `authorization.page_selectors.rule_set_version_rows`)."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class RuleSetVersion(models.Model):
    """One version of the whole authorization rule set."""

    number = models.PositiveIntegerField(unique=True)
    status = models.CharField(
        max_length=12, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT
    )
    note = models.CharField(max_length=200, blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Of the latest publication of this version (a rollback publishes an earlier version again).
    effective_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            # One draft at a time: administrators work on the same next version.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="draft"), name="authz_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_at__isnull=False),
                name="authz_published_has_effective_at",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == RuleSetStatus.DRAFT


class RuleSetPublication(models.Model):
    """Each publication of a version. The version in force at an instant is the one of the
    latest publication whose effective_at has passed (a rollback adds a publication)."""

    version = models.ForeignKey(
        RuleSetVersion, on_delete=models.PROTECT, related_name="publications"
    )
    effective_at = models.DateTimeField()
    published_at = models.DateTimeField()
    # Who proposed the publication, and the second parameter administrator who approved it.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.OneToOneField(
        "RuleSetProposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publication",
    )
    is_rollback = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["effective_at", "id"], name="authz_pub_effective")]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("published_by")),
                name="authz_publication_two_people",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version.number} from {self.effective_at:%Y-%m-%d %H:%M}"


class RuleSetProposal(ProposalFields):
    """A proposal to publish a draft or publish an earlier version again (roll back). It takes
    effect only when a different parameter administrator approves it; while it is pending the
    draft cannot be edited, so what is approved is what was proposed."""

    version = models.ForeignKey(RuleSetVersion, on_delete=models.PROTECT, related_name="proposals")
    is_rollback = models.BooleanField(default=False)
    # Empty: in force from the moment it is approved.
    effective_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One pending change of the rule set at a time: each is decided on its own.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=ProposalStatus.PENDING),
                name="authz_one_pending_proposal",
            ),
            *proposal_constraints("authz_proposal"),
        ]

    def __str__(self) -> str:
        return f"v{self.version.number} proposal {self.pk} ({self.status})"


# --- Transaction catalogue -------------------------------------------------------------------


class ElementType(models.TextChoices):
    MONEY = "money", _("Money (amount + currency)")
    DECIMAL = "decimal", _("Decimal number")
    INTEGER = "integer", _("Whole number")
    STRING = "string", _("Text")
    BOOLEAN = "boolean", _("Yes/no")
    DATE = "date", _("Date")
    CUSTOMER_NO = "customer_no", _("Customer number")
    ACCOUNT_NO = "account_no", _("Account number")
    PRODUCT_CODE = "product_code", _("Product code")
    PARAMETERS = "parameters", _("Product parameter values")


class TransactionType(models.Model):
    """A transaction code channels send (cash withdrawal, account opening, ...)."""

    version = models.ForeignKey(
        RuleSetVersion, on_delete=models.CASCADE, related_name="transaction_types"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    business_type = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="authz_txtype_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TransactionElement(models.Model):
    """A typed element of a transaction: requests and rules are validated against these."""

    transaction_type = models.ForeignKey(
        TransactionType, on_delete=models.CASCADE, related_name="elements"
    )
    name = models.SlugField(max_length=40)
    label = models.CharField(max_length=80)
    element_type = models.CharField(max_length=20, choices=ElementType.choices)
    is_required = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["transaction_type", "name"], name="authz_element_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.transaction_type.code}.{self.name}"


# --- Image model -----------------------------------------------------------------------------


class ImageKind(models.TextChoices):
    """The six image kinds of the source (影像种类)."""

    CUSTOMER_ID = "customer_id", _("Customer identity documents")
    CASH_VOUCHER_MEDIA = "cash_voucher_media", _("Cash and voucher media")
    APPLICATION_VOUCHER = "application_voucher", _("Business application vouchers")
    SCENE_IMAGE = "scene_image", _("Business scene images")
    COMPLETION_VOUCHER = "completion_voucher", _("Business completion vouchers")
    OTHER_MATERIAL = "other_material", _("Other business materials")


class ImageType(models.Model):
    version = models.ForeignKey(
        RuleSetVersion, on_delete=models.CASCADE, related_name="image_types"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=24, choices=ImageKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="authz_imagetype_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ImageCombination(models.Model):
    """A named set of image types submitted together ("ID card pair" = front + back)."""

    version = models.ForeignKey(
        RuleSetVersion, on_delete=models.CASCADE, related_name="image_combinations"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    image_types = models.ManyToManyField(ImageType, related_name="combinations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="authz_imagecombo_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# --- Scene model -----------------------------------------------------------------------------


class Scene(models.Model):
    """A business scene (授权场景): what images come with a request and what to check."""

    version = models.ForeignKey(RuleSetVersion, on_delete=models.CASCADE, related_name="scenes")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    classification = models.CharField(max_length=60)
    business_type = models.CharField(max_length=60)
    # The default scene of a transaction on a channel; processing rules may name a scene too.
    transaction_type = models.ForeignKey(
        TransactionType, null=True, blank=True, on_delete=models.CASCADE, related_name="scenes"
    )
    channel = models.ForeignKey(
        "TriggerSystem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scenes",
        help_text=_("Empty: any channel."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="authz_scene_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ImageRequirement(models.TextChoices):
    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")


class SceneImageRule(models.Model):
    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="image_rules")
    image_type = models.ForeignKey(
        ImageType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    image_combination = models.ForeignKey(
        ImageCombination, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requirement = models.CharField(max_length=10, choices=ImageRequirement.choices)
    min_count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(image_type__isnull=True, image_combination__isnull=False)
                | Q(image_type__isnull=False, image_combination__isnull=True),
                name="authz_imagerule_type_xor_combination",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scene.code}: {self.image_type or self.image_combination}"


class SceneReviewRule(models.Model):
    """A group of review points (场景审核规则), e.g. "identity check"."""

    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="review_rules")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scene.code}: {self.name}"


class ReviewPointSeverity(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory")
    ADVISORY = "advisory", _("Advisory")


class ReviewPoint(models.Model):
    """A checklist line the authorizer must tick (mandatory) or should consider (advisory)."""

    review_rule = models.ForeignKey(
        SceneReviewRule, on_delete=models.CASCADE, related_name="points"
    )
    code = models.CharField(max_length=40)
    text = models.CharField(max_length=240)
    severity = models.CharField(max_length=10, choices=ReviewPointSeverity.choices)
    position = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


# --- Trigger model ---------------------------------------------------------------------------


class TriggerSystem(models.Model):
    """A system that raises authorization: counter, self-service, mobile, lobby Pad, core."""

    version = models.ForeignKey(
        RuleSetVersion, on_delete=models.CASCADE, related_name="trigger_systems"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="authz_trigsys_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TriggerReason(models.Model):
    version = models.ForeignKey(
        RuleSetVersion, on_delete=models.CASCADE, related_name="trigger_reasons"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="authz_reason_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TriggerRule(models.Model):
    """When its condition holds for a transaction, the rule raises its reason."""

    version = models.ForeignKey(
        RuleSetVersion, on_delete=models.CASCADE, related_name="trigger_rules"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    reason = models.ForeignKey(
        TriggerReason, on_delete=models.CASCADE, related_name="trigger_rules"
    )
    # Empty: the rule applies to every transaction (it may then use facts, not elements).
    transaction_type = models.ForeignKey(
        TransactionType,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="trigger_rules",
    )
    trigger_systems = models.ManyToManyField(
        TriggerSystem, blank=True, related_name="trigger_rules"
    )
    condition = models.JSONField()
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="authz_trigrule_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AuthorizationMode(models.TextChoices):
    """Ordered from the strictest: when several reasons fire, the strictest mode wins."""

    ON_SITE = "on_site", _("On-site")
    CROSS_TERMINAL = "cross_terminal", _("Cross-terminal / lobby Pad")
    REMOTE_CENTRALIZED = "remote_centralized", _("Remote centralized")
    MOBILE = "mobile", _("Mobile")


MODE_STRICTNESS = {
    AuthorizationMode.ON_SITE: 4,
    AuthorizationMode.CROSS_TERMINAL: 3,
    AuthorizationMode.REMOTE_CENTRALIZED: 2,
    AuthorizationMode.MOBILE: 1,
}


class ProcessingOutcome(models.TextChoices):
    AUTHORIZE = "authorize", _("Needs authorization")
    REFUSE = "refuse", _("Not allowed (refused outright)")


class AuthorizerRole(models.TextChoices):
    BRANCH_SUPERVISOR = "branch_supervisor", _("Branch supervisor")
    REMOTE_AUTHORIZER = "remote_authorizer", _("Remote authorizer")


class ProcessingRule(models.Model):
    """How a raised reason is handled (授权处理规则)."""

    version = models.ForeignKey(
        RuleSetVersion, on_delete=models.CASCADE, related_name="processing_rules"
    )
    code = models.CharField(max_length=40)
    reason = models.ForeignKey(
        TriggerReason, on_delete=models.CASCADE, related_name="processing_rules"
    )
    outcome = models.CharField(
        max_length=10, choices=ProcessingOutcome.choices, default=ProcessingOutcome.AUTHORIZE
    )
    mode = models.CharField(max_length=20, choices=AuthorizationMode.choices)
    level = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    authorizer_role = models.CharField(max_length=20, choices=AuthorizerRole.choices)
    authorizers_required = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("Level the request escalates to when the time limit passes."),
    )
    scene = models.ForeignKey(
        Scene,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="processing_rules",
        help_text=_("Empty: the transaction's default scene for its channel."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="authz_procrule_unique_code"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=9), name="authz_procrule_level"
            ),
            models.CheckConstraint(
                condition=Q(authorizers_required__in=[1, 2]), name="authz_procrule_authorizers"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.reason.code})"


# --- Business flow data ----------------------------------------------------------------------


class EvaluatedTransaction(models.Model):
    """One evaluated transaction (业务流水): what a channel asked and what was decided."""

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(RuleSetVersion, on_delete=models.PROTECT, related_name="+")
    transaction_code = models.CharField(max_length=40)
    channel = models.CharField(max_length=40)
    branch_code = models.CharField(max_length=20, blank=True)
    teller = models.CharField(max_length=150, blank=True)
    elements = models.JSONField()
    required = models.BooleanField()
    refused = models.BooleanField(default=False)
    mode = models.CharField(max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    reason_codes = models.JSONField(default=list)
    rule_codes = models.JSONField(default=list)
    scene_code = models.CharField(max_length=40, blank=True)
    evaluated_at = models.DateTimeField()
    # Who asked: the authenticated user (the teller column is who acted at the counter, which
    # an integrator's channel names). Empty only for internal callers (demo data, streams).
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        permissions = [
            ("evaluate_transaction", _("Can ask whether a transaction needs authorization")),
            ("manage_rule_set", _("Can edit, check, simulate and publish authorization rule sets")),
        ]
        # Every evaluation writes a row here, so each index is a cost on the channels' hot
        # path: only what the readers use (newest first, since a time) is indexed.
        indexes = [models.Index(fields=["evaluated_at"], name="authz_evaluated_at")]

    def __str__(self) -> str:
        return f"{self.transaction_code} {self.reference}"


# --- Authorization requests (the middle tier's workflow) ---------------------------------------


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
    # types, review points, reasons with explanations, rule-set version (as evaluate answered).
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


# --- Webhooks: channels told of each request state change (authorization/webhooks.py) ----------


class WebhookSubscription(models.Model):
    """Where a channel system wants to hear of state changes of its requests: those submitted
    by `integrator` (a user), or through `channel`, or both (either matches)."""

    name = models.CharField(_("name"), max_length=100)
    integrator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("integrator user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Requests submitted by this user are notified."),
    )
    channel = models.CharField(
        _("channel"),
        max_length=40,
        blank=True,
        help_text=_("Requests submitted through this channel (e.g. counter, mobile) are notified."),
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=128,
        help_text=_(
            "Shared with the receiver, which checks each delivery's HMAC-SHA256 signature."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(integrator__isnull=False) | ~Q(channel=""),
                name="authz_webhook_names_integrator_or_channel",
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="authz_webhook_url_http",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WebhookDeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (gave up)")


class WebhookDelivery(models.Model):
    """One notification to one subscription, with its attempts (retried with backoff)."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    event_id = models.UUIDField(_("event id"), unique=True)
    request_reference = models.CharField(_("request reference"), max_length=20, db_index=True)
    payload = models.JSONField(_("payload"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=WebhookDeliveryState.choices,
        default=WebhookDeliveryState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="delivered") | Q(delivered_at__isnull=False),
                name="authz_webhook_delivered_at",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="authz_webhook_delivery_state"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id}"
