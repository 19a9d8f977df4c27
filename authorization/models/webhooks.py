"""Webhooks: channels told of each request state change (authorization/webhooks.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
