"""Extended info layer: attributes administrators define (no migration needed) and each
customer's values of them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.models.index import Customer, CustomerType


class ExtensionScope(models.TextChoices):
    """What an extension attribute subdivides: a customer type or a classified module."""

    PERSONAL = "personal", _("Personal customers")
    CORPORATE = "corporate", _("Corporate customers")
    INTERNAL = "internal", _("Internal customers")
    DOCUMENTS = "documents", _("ID documents module")
    CONTACT_CHANNELS = "contact_channels", _("Contact channels module")
    ADDRESSES = "addresses", _("Addresses module")
    RELATIONSHIPS = "relationships", _("Relationships module")


class ExtensionDataType(models.TextChoices):
    TEXT = "text", _("Text")
    INTEGER = "integer", _("Integer")
    DECIMAL = "decimal", _("Decimal")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes / no")
    CHOICE = "choice", _("Choice")


class ExtensionAttribute(models.Model):
    """An administrator-defined attribute of customers (no migration needed to add one).

    Module-scoped attributes apply to every customer type; type-scoped ones to that type only.
    Bounds: length for text, value for integer/decimal (dates use ISO strings in
    `min_value`/`max_value`)."""

    scope = models.CharField(_("applies to"), max_length=24, choices=ExtensionScope.choices)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=120)
    data_type = models.CharField(_("data type"), max_length=16, choices=ExtensionDataType.choices)
    is_required = models.BooleanField(_("required"), default=False)
    min_value = models.CharField(_("minimum"), max_length=40, blank=True)
    max_value = models.CharField(_("maximum"), max_length=40, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=100)

    class Meta:
        verbose_name = _("extension attribute")
        verbose_name_plural = _("extension attributes")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="extensionattribute_unique_code"),
            models.CheckConstraint(
                condition=~Q(data_type="choice") | ~Q(choices=[]),
                name="extensionattribute_choice_has_choices",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def applies_to(self, customer_type: str) -> bool:
        return self.scope == customer_type or self.scope not in CustomerType.values


class ExtensionValue(models.Model):
    """One extension attribute's value for one customer, stored in canonical text form."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="extension_values"
    )
    attribute = models.ForeignKey(
        ExtensionAttribute, on_delete=models.PROTECT, related_name="values"
    )
    value = models.TextField(_("value"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("extension value")
        verbose_name_plural = _("extension values")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "attribute"], name="extensionvalue_one_per_attribute"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}.{self.attribute_id}"
