"""Scene model: what each scene asks for (images, review rules, review points)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from authorization.models.catalogue import ImageCombination, ImageType, TransactionType
from authorization.models.rule_sets import RuleSetVersion


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
