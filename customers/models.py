"""Data of the customers app: the bank's customer master, in four layers (DOMAIN.md §3).

- **Index layer** (`Customer`): the bank-wide unique customer number, the customer type, the
  status and the home branch.
- **Basic info layer**: one flat table per customer type (`PersonalCustomer`,
  `CorporateCustomer`, `InternalCustomer`), one-to-one with the index row. A new customer
  type is a new `CustomerType` choice, a new type digit and a new basic table.
- **Classified info layer**: one model per kind of information, shared by every customer
  type, each a plain FK to `Customer` (`CustomerDocument`, `ContactChannel`, `Address`,
  `CustomerRelationship`). Adding a module is adding a model; the others do not change.
- **Extended info layer**: `ExtensionAttribute` (defined by administrators, per customer type
  or per classified module, no migration needed) and `ExtensionValue` (one row per customer
  and attribute, validated against its definition by `customers.services`).

Customer number format (`customer_no`): 12 digits, `T SSSSSSSSSS C`:
- `T`: customer-type digit (1 personal, 2 corporate, 9 internal);
- `SSSSSSSSSS`: 10-digit serial, per type, from `CustomerNumberCounter` (incremented with an
  `UPDATE … SET last_serial = last_serial + 1` inside the creating transaction, so concurrent
  creations never share a number);
- `C`: Luhn check digit over the first 11 digits (`bankcore.codes.luhn_check_digit`), so a
  mistyped digit or a swap of neighbours is refused before any lookup.
Example: `100000000016` is the first personal customer.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bankcore.codes import luhn_check_digit, luhn_is_valid

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


# --- Index layer --------------------------------------------------------------------------------


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


# --- Basic info layer ---------------------------------------------------------------------------


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


# --- Classified info layer ----------------------------------------------------------------------


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


# --- Extended info layer ------------------------------------------------------------------------


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


# --- Change history -----------------------------------------------------------------------------


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
