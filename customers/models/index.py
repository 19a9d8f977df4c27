"""Index layer: the customer number (its format, its counter), the customer type and status,
and `Customer`, one row per customer of the bank."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bankcore.codes import luhn_check_digit, luhn_is_valid

if TYPE_CHECKING:
    from customers.models.basic import CorporateCustomer, InternalCustomer, PersonalCustomer


CUSTOMER_NO_LENGTH = 12
MAX_VIP_LEVEL = 9
CUSTOMER_NO_VALIDATOR = RegexValidator(r"^[0-9]{12}$", _("A customer number has 12 digits."))
REGION_CODE_VALIDATOR = RegexValidator(
    r"^[0-9]{6}$", _("Use the 6-digit administrative division code (GB/T 2260).")
)
COUNTRY_CODE_VALIDATOR = RegexValidator(r"^[A-Z]{3}$", _("Use the ISO 3166 alpha-3 code."))


class CustomerType(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    CORPORATE = "corporate", _("Corporate")
    INTERNAL = "internal", _("Internal")


# The first digit of a customer number says the customer's type.
CUSTOMER_TYPE_DIGITS = {
    CustomerType.PERSONAL: "1",
    CustomerType.CORPORATE: "2",
    CustomerType.INTERNAL: "9",
}


def customer_no_compose(*, customer_type: str, serial: int) -> str:
    body = f"{CUSTOMER_TYPE_DIGITS[customer_type]}{serial:010d}"
    return body + luhn_check_digit(body)


def customer_no_is_well_formed(value: str) -> bool:
    """12 digits, a known type digit, and a valid Luhn check digit."""
    return (
        len(value) == CUSTOMER_NO_LENGTH
        and value.isascii()
        and value.isdigit()
        and value[0] in CUSTOMER_TYPE_DIGITS.values()
        and luhn_is_valid(value)
    )


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    CLOSED = "closed", _("Closed")


class CustomerNumberCounter(models.Model):
    """The last serial handed out per customer type (row-locked while a customer is created)."""

    customer_type = models.CharField(max_length=16, choices=CustomerType.choices, unique=True)
    last_serial = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_serial__gte=0, last_serial__lte=9_999_999_999),
                name="customernumbercounter_serial_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_type}: {self.last_serial}"


class CustomerQuerySet(models.QuerySet):
    def with_basic_info(self) -> CustomerQuerySet:
        return self.select_related("home_branch", "personal", "corporate", "internal")

    def name_contains(self, text: str) -> CustomerQuerySet:
        return self.filter(
            Q(personal__name__icontains=text)
            | Q(corporate__name__icontains=text)
            | Q(internal__name__icontains=text)
        )


class Customer(models.Model):
    """Index layer: one row per customer of the bank, keyed by the customer number."""

    customer_no = models.CharField(
        _("customer number"), max_length=CUSTOMER_NO_LENGTH, unique=True, editable=False
    )
    customer_type = models.CharField(
        _("customer type"), max_length=16, choices=CustomerType.choices
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE
    )
    home_branch = models.ForeignKey(
        "bankcore.OrgUnit",
        verbose_name=_("home branch"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.CheckConstraint(
                condition=Q(customer_no__regex=r"^[0-9]{12}$"), name="customer_no_twelve_digits"
            ),
            models.CheckConstraint(
                condition=Q(customer_type__in=CustomerType.values), name="customer_type_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CustomerStatus.values), name="customer_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.customer_no

    @property
    def basic(self) -> PersonalCustomer | CorporateCustomer | InternalCustomer | None:
        """The basic-info row for this customer's type (None only while being created)."""
        return getattr(self, self.customer_type, None)

    @property
    def name(self) -> str:
        basic = self.basic
        return basic.name if basic else ""

    @property
    def vip_level(self) -> int:
        return getattr(self.basic, "vip_level", 0)

    @property
    def is_employee(self) -> bool:
        return bool(getattr(self.basic, "is_employee", False))

    @property
    def is_interbank(self) -> bool:
        return bool(getattr(self.basic, "is_interbank", False))

    @property
    def is_domestic(self) -> bool:
        return bool(getattr(self.basic, "is_domestic", True))
