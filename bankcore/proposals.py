"""Four-eyes on parameter changes: the shared vocabulary of a proposal.

A change that alters what the bank decides (publishing or rolling back a rule set, publishing
a product or modifying an active one) is proposed by one parameter administrator and takes
effect only when a different one approves it. Each app keeps its own proposal table (the
apps are independent); this module declares what they share, once: the states, the refusals,
and the columns and constraints every proposal table has (the refusals and the checks on who may
decide are in `bankcore.four_eyes`). The database enforces "not the proposer" as well (a check
constraint on each proposal table).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy


class ProposalStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Awaiting approval")
    APPROVED = "approved", gettext_lazy("Approved")
    REJECTED = "rejected", gettext_lazy("Rejected")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


def proposal_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The database's half of four-eyes, the same on every proposal table: nobody decides
    their own proposal; a decided proposal says when (and, unless withdrawn, by whom); a
    rejection says why."""
    decided = [ProposalStatus.APPROVED, ProposalStatus.REJECTED]
    return [
        models.CheckConstraint(
            condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
            name=f"{prefix}_not_decided_by_proposer",
        ),
        models.CheckConstraint(
            condition=Q(status=ProposalStatus.PENDING, decided_at__isnull=True)
            | (~Q(status=ProposalStatus.PENDING) & Q(decided_at__isnull=False)),
            name=f"{prefix}_decided_at_when_decided",
        ),
        models.CheckConstraint(
            condition=~Q(status__in=decided) | Q(decided_by__isnull=False),
            name=f"{prefix}_decided_by_when_decided",
        ),
        models.CheckConstraint(
            condition=~Q(status=ProposalStatus.REJECTED) | ~Q(decision_comment=""),
            name=f"{prefix}_rejection_has_comment",
        ),
    ]


class ProposalFields(models.Model):
    """Who proposed, who decided, when, and why: the columns every proposal table has."""

    status = models.CharField(
        gettext_lazy("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("proposed by"),
    )
    proposed_at = models.DateTimeField(gettext_lazy("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("decided by"),
    )
    decided_at = models.DateTimeField(gettext_lazy("decided at"), null=True, blank=True)
    decision_comment = models.CharField(gettext_lazy("comment"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING
