import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("authorization", "0004_evaluated_transaction_evaluated_by"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="WebhookSubscription",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "channel",
                    models.CharField(
                        blank=True,
                        help_text="Requests submitted through this channel (e.g. counter, mobile) are notified.",
                        max_length=40,
                        verbose_name="channel",
                    ),
                ),
                ("url", models.URLField(max_length=500, verbose_name="URL")),
                (
                    "secret",
                    models.CharField(
                        help_text="Shared with the receiver, which checks each delivery's HMAC-SHA256 signature.",
                        max_length=128,
                        verbose_name="signing secret",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("created_at", models.DateTimeField(verbose_name="created at")),
                (
                    "integrator",
                    models.ForeignKey(
                        blank=True,
                        help_text="Requests submitted by this user are notified.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="integrator user",
                    ),
                ),
            ],
            options={
                "verbose_name": "webhook subscription",
                "verbose_name_plural": "webhook subscriptions",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("integrator__isnull", False),
                            models.Q(("channel", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="authz_webhook_names_integrator_or_channel",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("url__startswith", "http://"),
                            ("url__startswith", "https://"),
                            _connector="OR",
                        ),
                        name="authz_webhook_url_http",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="WebhookDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("event_id", models.UUIDField(unique=True, verbose_name="event id")),
                (
                    "request_reference",
                    models.CharField(
                        db_index=True, max_length=20, verbose_name="request reference"
                    ),
                ),
                ("payload", models.JSONField(verbose_name="payload")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("delivered", "Delivered"),
                            ("failed", "Failed (gave up)"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                (
                    "last_status_code",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="last HTTP status"
                    ),
                ),
                (
                    "last_error",
                    models.CharField(blank=True, max_length=500, verbose_name="last error"),
                ),
                ("created_at", models.DateTimeField(verbose_name="created at")),
                (
                    "last_attempt_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last attempt at"),
                ),
                (
                    "delivered_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="delivered at"),
                ),
                (
                    "subscription",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deliveries",
                        to="authorization.webhooksubscription",
                        verbose_name="subscription",
                    ),
                ),
            ],
            options={
                "verbose_name": "webhook delivery",
                "verbose_name_plural": "webhook deliveries",
                "indexes": [
                    models.Index(
                        fields=["state", "created_at"], name="authz_webhook_delivery_state"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("state", "delivered"), _negated=True),
                            ("delivered_at__isnull", False),
                            _connector="OR",
                        ),
                        name="authz_webhook_delivered_at",
                    ),
                ],
            },
        ),
    ]
