"""Business flow data: one record per evaluated transaction."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from authorization.models.rule_sets import RuleSetVersion


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
