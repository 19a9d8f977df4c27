"""Transaction catalogue and image catalogue of a rule-set version."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from authorization.models.rule_sets import RuleSetVersion


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
