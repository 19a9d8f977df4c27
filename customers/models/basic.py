"""Basic info layer: one flat table per customer type, one-to-one with the index row, and the
industry classification (GB/T 4754) corporate customers name."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.models.index import (
    COUNTRY_CODE_VALIDATOR,
    MAX_VIP_LEVEL,
    REGION_CODE_VALIDATOR,
    Customer,
)


class Gender(models.TextChoices):
    # GB/T 2261.1 codes
    UNKNOWN = "0", _("Unknown")
    MALE = "1", _("Male")
    FEMALE = "2", _("Female")
    UNSTATED = "9", _("Not stated")


class PersonalCustomer(models.Model):
    """Basic info of a personal customer (one flat row)."""

    customer = models.OneToOneField(
        Customer, on_delete=models.PROTECT, primary_key=True, related_name="personal"
    )
    name = models.CharField(_("name"), max_length=120)
    vip_level = models.PositiveSmallIntegerField(
        _("VIP level"),
        default=0,
        validators=[MaxValueValidator(MAX_VIP_LEVEL)],
        help_text=_("0 = not a VIP customer."),
    )
    is_domestic = models.BooleanField(_("domestic (境内)"), default=True)
    is_employee = models.BooleanField(_("internal employee"), default=False)
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, default=Gender.UNSTATED
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(
        _("nationality"), max_length=3, default="CHN", validators=[COUNTRY_CODE_VALIDATOR]
    )

    class Meta:
        verbose_name = _("personal customer")
        verbose_name_plural = _("personal customers")
        constraints = [
            models.CheckConstraint(
                condition=Q(vip_level__lte=MAX_VIP_LEVEL), name="personalcustomer_vip_level_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IndustryCode(models.Model):
    """GB/T 4754 national economic industry classification (parameter table)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=160)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("industry code")
        verbose_name_plural = _("industry codes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EconomicType(models.TextChoices):
    # GB/T 12402 economic types (first level)
    STATE_OWNED = "110", _("State-owned")
    COLLECTIVE = "120", _("Collective")
    JOINT_STOCK_COOPERATIVE = "130", _("Joint-stock cooperative")
    LIMITED_LIABILITY = "150", _("Limited liability company")
    JOINT_STOCK = "160", _("Joint-stock limited company")
    PRIVATE = "170", _("Private")
    OTHER_DOMESTIC = "190", _("Other domestic")
    HK_MACAU_TAIWAN = "200", _("Hong Kong, Macau or Taiwan funded")
    FOREIGN = "300", _("Foreign funded")


class CorporateCustomer(models.Model):
    """Basic info of a corporate (unit) customer (one flat row)."""

    customer = models.OneToOneField(
        Customer, on_delete=models.PROTECT, primary_key=True, related_name="corporate"
    )
    name = models.CharField(_("name"), max_length=200)
    industry = models.ForeignKey(
        IndustryCode, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="+"
    )
    economic_type = models.CharField(_("economic type"), max_length=3, choices=EconomicType.choices)
    registration_region_code = models.CharField(
        _("place of registration"), max_length=6, validators=[REGION_CODE_VALIDATOR]
    )
    is_interbank = models.BooleanField(_("interbank (同业)"), default=False)
    is_domestic = models.BooleanField(_("domestic (境内)"), default=True)

    class Meta:
        verbose_name = _("corporate customer")
        verbose_name_plural = _("corporate customers")

    def __str__(self) -> str:
        return self.name


class InternalCustomer(models.Model):
    """Basic info of an internal customer (the bank itself: suspense, fee income, …)."""

    customer = models.OneToOneField(
        Customer, on_delete=models.PROTECT, primary_key=True, related_name="internal"
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("internal customer")
        verbose_name_plural = _("internal customers")

    def __str__(self) -> str:
        return self.name
