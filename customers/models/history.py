"""Change history (who changed what, and when) and status changes under four eyes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from customers.models.index import Customer, CustomerStatus


class CustomerChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    DOCUMENT_ADDED = "document_added", _("Document added")
    CONTACT_ADDED = "contact_added", _("Contact channel added")
    CONTACT_REMOVED = "contact_removed", _("Contact channel removed")
    ADDRESS_ADDED = "address_added", _("Address added")
    ADDRESS_REMOVED = "address_removed", _("Address removed")
    RELATIONSHIP_ADDED = "relationship_added", _("Relationship added")
    RELATIONSHIP_REMOVED = "relationship_removed", _("Relationship removed")
    EXTENSIONS_UPDATED = "extensions_updated", _("Extension values updated")


class CustomerChange(models.Model):
    """Who changed what on a customer, and when (written by every customer service)."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(_("action"), max_length=24, choices=CustomerChangeAction.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"))
    changes = models.JSONField(
        _("changes"), default=dict, help_text=_("{field: [old, new]} (old is null on creation).")
    )

    class Meta:
        verbose_name = _("customer change")
        verbose_name_plural = _("customer changes")
        indexes = [
            models.Index(fields=["customer", "-changed_at"], name="customerchange_cust_at_idx")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.action} {self.changed_at:%Y-%m-%d %H:%M}"


class StatusChangeState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CustomerStatusChange(models.Model):
    """A request to change a customer's status (close, reopen, make dormant). It takes effect
    only when a branch supervisor other than the requester approves it; the database refuses
    a decision by the requester and a second pending change of one customer."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("from status"), max_length=10, choices=CustomerStatus.choices)
    to_status = models.CharField(_("to status"), max_length=10, choices=CustomerStatus.choices)
    reason = models.CharField(_("reason"), max_length=255)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=StatusChangeState.choices,
        default=StatusChangeState.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.CharField(_("decision comment"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("customer status change")
        verbose_name_plural = _("customer status changes")
        permissions = [
            (
                "approve_customerstatuschange",
                "Can approve or reject customer status changes",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="customerstatuschange_second_person",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state=StatusChangeState.PENDING, decided_by__isnull=True)
                    | (
                        Q(state__in=[StatusChangeState.APPROVED, StatusChangeState.REJECTED])
                        & Q(decided_by__isnull=False, decided_at__isnull=False)
                    )
                ),
                name="customerstatuschange_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")),
                name="customerstatuschange_changes_status",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(state=StatusChangeState.PENDING),
                name="customerstatuschange_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.from_status} → {self.to_status} ({self.state})"
