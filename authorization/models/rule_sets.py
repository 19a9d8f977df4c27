"""Rule-set versions, their publications and the proposals to publish them."""

from __future__ import annotations

from django.conf import settings
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
