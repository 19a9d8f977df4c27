"""Data of the imaging app: received images, their trail, and settings per image type.

imaging knows an opaque owner reference ("authreq:<request reference>") and an image type
code (a string); it knows nothing of requests, customers or products.
"""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImageState(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    REJECTED = "rejected", _("Rejected")


def new_public_id() -> str:
    return secrets.token_urlsafe(24)


class ImageQuerySet(models.QuerySet):
    def for_owner(self, owner_ref: str):
        return self.filter(owner_ref=owner_ref, purged_at__isnull=True)

    def live(self):
        return self.filter(purged_at__isnull=True)


class Image(models.Model):
    """One piece of evidence received for an owner. Its files live in the imaging storage
    under content-addressed names; the row says which."""

    public_id = models.CharField(max_length=40, unique=True, default=new_public_id, editable=False)
    owner_ref = models.CharField(_("owner"), max_length=120)
    image_type_code = models.CharField(_("image type"), max_length=40)
    subject_ref = models.CharField(
        _("subject"), max_length=40, blank=True, help_text=_("The customer number, when known.")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ImageState.choices, default=ImageState.RECEIVED
    )
    reject_code = models.CharField(max_length=40, blank=True)
    reject_params = models.JSONField(default=dict, blank=True)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    processed_at = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    original_name = models.CharField(max_length=200, blank=True)
    content_format = models.CharField(max_length=8)  # jpeg | png | tiff | pdf, by content
    content_sha256 = models.CharField(max_length=64)  # of the bytes received
    content_size = models.PositiveBigIntegerField()
    source_key = models.CharField(max_length=200, blank=True)  # the received file, until processed
    frames = models.PositiveIntegerField(default=1)

    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    review_key = models.CharField(max_length=200, blank=True)
    thumbnail_key = models.CharField(max_length=200, blank=True)
    sharpness = models.FloatField(null=True, blank=True)
    brightness = models.FloatField(null=True, blank=True)
    contrast = models.FloatField(null=True, blank=True)
    # 64-bit difference hash, kept whole and in four 16-bit bands: two pictures within three
    # bits of each other share at least one band exactly, so near-duplicates are found by
    # indexed equality instead of a scan.
    perceptual_hash = models.CharField(max_length=16, blank=True)
    hash_band_0 = models.IntegerField(null=True, blank=True, db_index=True)
    hash_band_1 = models.IntegerField(null=True, blank=True, db_index=True)
    hash_band_2 = models.IntegerField(null=True, blank=True, db_index=True)
    hash_band_3 = models.IntegerField(null=True, blank=True, db_index=True)
    quality_flags = models.JSONField(default=list, blank=True)
    reuse_flags = models.JSONField(default=list, blank=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        indexes = [
            models.Index(fields=["owner_ref", "uploaded_at"], name="imaging_owner_uploaded"),
            models.Index(fields=["content_sha256"], name="imaging_content_sha"),
            models.Index(fields=["retain_until"], name="imaging_retain_until"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ImageState.values), name="imaging_image_state_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(state=ImageState.REJECTED) | ~models.Q(reject_code=""),
                name="imaging_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_ref} {self.image_type_code} {self.public_id[:8]}"


class ImageEventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing started")
    READY = "ready", _("Ready")
    REJECTED = "rejected", _("Rejected")
    PURGED = "purged", _("Purged (retention)")


class ImageEvent(models.Model):
    """The trail of an image: every state it entered, and its purge when retention ends."""

    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=ImageEventKind.choices)
    occurred_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("image event")
        verbose_name_plural = _("image events")
        constraints = [
            # An image becomes ready (or rejected, or purged) once, whatever a redelivered
            # task does.
            models.UniqueConstraint(
                fields=["image", "kind"],
                condition=models.Q(kind__in=["ready", "rejected", "purged"]),
                name="imaging_event_final_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.image_id} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M:%S}"


class ImageTypeSettings(models.Model):
    """Quality thresholds and retention for one image type code (defaults when no row)."""

    image_type_code = models.CharField(_("image type code"), max_length=40, unique=True)
    min_long_side = models.PositiveIntegerField(
        _("minimum long side (px)"), default=1000, validators=[MinValueValidator(1)]
    )
    min_short_side = models.PositiveIntegerField(
        _("minimum short side (px)"), default=600, validators=[MinValueValidator(1)]
    )
    min_sharpness = models.FloatField(
        _("minimum sharpness"),
        default=60.0,
        help_text=_("Variance of a Laplacian edge filter at about 1,000 px; below it: blurred."),
    )
    min_brightness = models.FloatField(_("minimum brightness (0-255)"), default=60.0)
    max_brightness = models.FloatField(_("maximum brightness (0-255)"), default=235.0)
    min_contrast = models.FloatField(
        _("minimum contrast"),
        default=8.0,
        help_text=_("Standard deviation of luminance; below it the page is nearly blank."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention (days)"), null=True, blank=True, help_text=_("Empty: the bank's default.")
    )

    class Meta:
        verbose_name = _("image type settings")
        verbose_name_plural = _("image type settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_brightness__lt=models.F("max_brightness")),
                name="imaging_brightness_range",
            )
        ]

    def __str__(self) -> str:
        return self.image_type_code
