"""Trigger model: systems, reasons, trigger rules and processing rules."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from authorization.models.catalogue import TransactionType
from authorization.models.rule_sets import RuleSetVersion
from authorization.models.scenes import Scene


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
