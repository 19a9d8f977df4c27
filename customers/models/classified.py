"""Classified info layer: one model per kind of information, shared by every customer type,
each a plain FK to `Customer` (ID documents and their types, contact channels, addresses,
relationships)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.models.index import COUNTRY_CODE_VALIDATOR, REGION_CODE_VALIDATOR, Customer


class DocumentHolderKind(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    CORPORATE = "corporate", _("Corporate")
    ANY = "any", _("Any")


class DocumentValidator(models.TextChoices):
    NONE = "", _("None")
    RESIDENT_ID = "resident_id", _("Resident ID number (GB 11643)")
    USCC = "uscc", _("Unified social credit code (GB 32100)")


class DocumentType(models.Model):
    """ID document type, a parameter following the national data standards."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    holder_kind = models.CharField(
        _("holder"),
        max_length=16,
        choices=DocumentHolderKind.choices,
        default=DocumentHolderKind.ANY,
    )
    validator = models.CharField(
        _("checksum"), max_length=16, choices=DocumentValidator.choices, blank=True, default=""
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CustomerDocumentQuerySet(models.QuerySet):
    def expired_on(self, on_date: date) -> CustomerDocumentQuerySet:
        return self.filter(expiry_date__lt=on_date)


class CustomerDocument(models.Model):
    """One ID document of a customer (vertical table: one row per document)."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="documents")
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("document number"), max_length=40)
    issuing_authority = models.CharField(_("issuing authority"), max_length=120, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    expiry_date = models.DateField(
        _("expiry date"), null=True, blank=True, help_text=_("Empty = long-term (长期有效).")
    )
    is_opening_document = models.BooleanField(_("account-opening document"), default=False)
    created_at = models.DateTimeField(_("created at"))

    objects = CustomerDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("ID document")
        verbose_name_plural = _("ID documents")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "number"], name="customerdocument_unique_type_number"
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_opening_document=True),
                name="customerdocument_one_opening_document",
            ),
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True)
                | Q(issue_date__isnull=True)
                | Q(expiry_date__gte=models.F("issue_date")),
                name="customerdocument_expiry_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["number"], name="customerdocument_number_idx")]

    def __str__(self) -> str:
        return f"{self.document_type_id}:{self.number}"

    def is_expired_on(self, on_date: date) -> bool:
        return self.expiry_date is not None and self.expiry_date < on_date


class DocumentIdentity(models.Model):
    """Who holds an identity: one row per identity key (see
    customers.validation.document_identity_key). A resident ID number is one key whatever
    document type carries it, so the database refuses a second customer with the same number
    under another type, also under a race."""

    identity_key = models.CharField(_("identity key"), max_length=60, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("document identity")
        verbose_name_plural = _("document identities")

    def __str__(self) -> str:
        return self.identity_key


class ContactChannelKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile phone")
    LANDLINE = "landline", _("Landline")
    EMAIL = "email", _("Email")
    FAX = "fax", _("Fax")


class ContactChannel(models.Model):
    """A phone number or email address of a customer."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contact_channels"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContactChannelKind.choices)
    value = models.CharField(_("value"), max_length=120)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "value"], name="contactchannel_unique_per_customer"
            ),
            models.UniqueConstraint(
                fields=["customer", "kind"],
                condition=Q(is_primary=True),
                name="contactchannel_one_primary_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class AddressKind(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    MAILING = "mailing", _("Mailing")
    REGISTERED = "registered", _("Registered office")
    BUSINESS = "business", _("Place of business")


class Address(models.Model):
    """A postal address of a customer."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="addresses")
    kind = models.CharField(_("kind"), max_length=16, choices=AddressKind.choices)
    country = models.CharField(
        _("country"), max_length=3, default="CHN", validators=[COUNTRY_CODE_VALIDATOR]
    )
    region_code = models.CharField(
        _("region code"), max_length=6, blank=True, validators=[REGION_CODE_VALIDATOR]
    )
    line = models.CharField(_("address"), max_length=255)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.kind}: {self.line}"


class RelationshipKind(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    BENEFICIAL_OWNER = "beneficial_owner", _("Beneficial owner")
    SHAREHOLDER = "shareholder", _("Shareholder")
    GUARANTOR = "guarantor", _("Guarantor")
    AUTHORIZED_AGENT = "authorized_agent", _("Authorized agent")
    SPOUSE = "spouse", _("Spouse")
    FAMILY = "family", _("Family member")


class CustomerRelationship(models.Model):
    """`related_customer` is the `kind` of `customer` (e.g. the legal representative of it)."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="relationships")
    related_customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=RelationshipKind.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "related_customer", "kind"],
                name="customerrelationship_unique",
            ),
            models.CheckConstraint(
                condition=~Q(customer=models.F("related_customer")),
                name="customerrelationship_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.kind} {self.related_customer_id}"
