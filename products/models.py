"""Data of the products app: the product factory (lines, parameter catalogue, templates,
products and their versions) and the accounts opened on product versions.

Parameters are data. A `ParameterDefinition` row is one parameter of one zone (basic,
feature, control, accounting); administrators add rows to extend a zone, no migration.
Values are stored as canonical text (see `products.parameters`), never as float.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bankcore.money import AmountField, CurrencyField
from bankcore.proposals import ProposalFields, ProposalStatus, proposal_constraints


class Zone(models.TextChoices):
    BASIC = "basic", _("Basic")
    FEATURE = "feature", _("Feature")
    CONTROL = "control", _("Control")
    ACCOUNTING = "accounting", _("Accounting")


class DataType(models.TextChoices):
    INTEGER = "integer", _("Integer")
    DECIMAL = "decimal", _("Decimal")
    MONEY = "money", _("Money (amount and currency)")
    BOOLEAN = "boolean", _("Yes / no")
    CHOICE = "choice", _("One of a list")
    CHOICE_LIST = "choice_list", _("Several of a list")
    TERM = "term", _("Term (days, months or years)")
    TEXT = "text", _("Text")


class PrincipleLevel(models.TextChoices):
    SYSTEM = "system", _("System principle")  # the account always equals the product
    PRODUCT = "product", _("Product principle")  # fixed by each product
    DEFAULT = "default", _("Default")  # an account may override within the product's bounds


class CustomerGroup(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    CORPORATE = "corporate", _("Corporate")
    INSTITUTION = "institution", _("Third-party institution")
    INTERNAL = "internal", _("Internal management")


class BusinessNature(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    INTERMEDIARY = "intermediary", _("Intermediary")


class ProductModel(models.TextChoices):
    SINGLE = "single", _("Single product")
    COMPOSITE = "composite", _("Composite product")
    COMBINED = "combined", _("Combined product")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    RETIRED = "retired", _("Retired")


class AccountStatus(models.TextChoices):
    PENDING_AUTHORIZATION = "pending_authorization", _("Pending authorization")
    ACTIVE = "active", _("Active")
    FROZEN = "frozen", _("Frozen")
    CLOSED = "closed", _("Closed")
    REFUSED = "refused", _("Refused by authorization")


class ProductLine(models.Model):
    """Demand deposit, time deposit, loan, internal account… more are added as rows.
    `line_code` is the two digits that open every product code of the line."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    line_code = models.CharField(_("line code"), max_length=2, unique=True)
    business_nature = models.CharField(
        _("business nature"), max_length=16, choices=BusinessNature.choices
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(line_code__regex=r"^[0-9]{2}$"), name="productline_code_two_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.line_code} {self.name}"


class ParameterDefinition(models.Model):
    """One parameter of the catalogue. `lines` empty = offered to every line.

    Bounds (`min_value`/`max_value`, canonical text of the data type) hold for every product
    and account; `choices` lists the allowed codes of choice and choice-list parameters."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=120)
    zone = models.CharField(_("zone"), max_length=12, choices=Zone.choices)
    data_type = models.CharField(_("data type"), max_length=12, choices=DataType.choices)
    principle_level = models.CharField(
        _("principle level"), max_length=8, choices=PrincipleLevel.choices
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    min_value = models.CharField(_("minimum"), max_length=60, blank=True)
    max_value = models.CharField(_("maximum"), max_length=60, blank=True)
    help_text = models.CharField(_("help text"), max_length=255, blank=True)
    lines = models.ManyToManyField(ProductLine, blank=True, related_name="+")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("parameter definition")
        verbose_name_plural = _("parameter definitions")
        constraints = [
            models.CheckConstraint(
                condition=Q(zone__in=Zone.values), name="parameterdefinition_zone_valid"
            ),
            models.CheckConstraint(
                condition=Q(data_type__in=DataType.values),
                name="parameterdefinition_data_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(principle_level__in=PrincipleLevel.values),
                name="parameterdefinition_principle_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ParameterSetting(models.Model):
    """What a template or a product version says about one parameter: its value, its
    principle level (system for system-principle definitions; product or default otherwise)
    and, for defaults, the free bounds an account may choose in and the wider negotiable
    range that needs authorization. Abstract: templates and versions each keep their own."""

    definition = models.ForeignKey(ParameterDefinition, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("value"), max_length=500, blank=True)
    principle_level = models.CharField(
        _("principle level"), max_length=8, choices=PrincipleLevel.choices
    )
    free_min = models.CharField(_("free minimum"), max_length=60, blank=True)
    free_max = models.CharField(_("free maximum"), max_length=60, blank=True)
    negotiable_min = models.CharField(_("negotiable minimum"), max_length=60, blank=True)
    negotiable_max = models.CharField(_("negotiable maximum"), max_length=60, blank=True)
    is_locked = models.BooleanField(_("locked by the template"), default=False)

    class Meta:
        abstract = True


class ProductTemplate(models.Model):
    """A line's starting point: preset values, some of them locked."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    line = models.ForeignKey(ProductLine, on_delete=models.PROTECT, related_name="templates")
    customer_group = models.CharField(
        _("customer group"), max_length=12, choices=CustomerGroup.choices
    )
    business_nature = models.CharField(
        _("business nature"), max_length=16, choices=BusinessNature.choices
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product template")
        verbose_name_plural = _("product templates")

    def __str__(self) -> str:
        return self.code


class TemplateParameter(ParameterSetting):
    template = models.ForeignKey(
        ProductTemplate, on_delete=models.CASCADE, related_name="parameters"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "definition"], name="templateparameter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template_id}:{self.definition_id}"


class Product(models.Model):
    """A product of the bank. `product_code` is the bank-wide unified code, see
    `products.codes`. `active_version` is the version new accounts open on."""

    product_code = models.CharField(_("product code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    line = models.ForeignKey(ProductLine, on_delete=models.PROTECT, related_name="products")
    model = models.CharField(
        _("product model"), max_length=10, choices=ProductModel.choices, default=ProductModel.SINGLE
    )
    customer_group = models.CharField(
        _("customer group"), max_length=12, choices=CustomerGroup.choices
    )
    business_nature = models.CharField(
        _("business nature"), max_length=16, choices=BusinessNature.choices
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    description = models.TextField(_("description"), blank=True)
    template = models.ForeignKey(
        ProductTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    active_version = models.ForeignKey(
        "ProductVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Publishing is proposed by one parameter administrator and approved by another.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publication proposed by"),
    )
    publication_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publication approved by"),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retired by"),
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=Q(product_code__regex=r"^[0-9]{8}$"), name="product_code_eight_digits"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProductStatus.values), name="product_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(active_version__isnull=False),
                name="product_published_has_active_version",
            ),
            models.CheckConstraint(
                condition=Q(publication_approved_by__isnull=True)
                | ~Q(publication_approved_by=models.F("published_by")),
                name="product_publication_two_people",
            ),
        ]
        permissions = [("publish_product", _("Can publish, suspend and retire products"))]

    def __str__(self) -> str:
        return f"{self.product_code} {self.name}"


class ProductComponent(models.Model):
    """A single product inside a composite or combined product, with the rule that binds it."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    binding_rule = models.CharField(_("binding rule"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "component"], name="productcomponent_unique"
            ),
            models.CheckConstraint(
                condition=~Q(product=models.F("component")), name="productcomponent_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}>{self.component_id}"


class ProductVersion(models.Model):
    """One version of a product's parameter values. Draft products edit version 1 in place;
    modifying an active product writes a new version (copy-on-write), so accounts keep the
    values they were opened on."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    change_note = models.CharField(_("change note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A version of an active product is proposed by `created_by` and approved by another.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )

    class Meta:
        verbose_name = _("product version")
        verbose_name_plural = _("product versions")
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="productversion_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="productversion_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("created_by")),
                name="productversion_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} v{self.number}"


class ProductProposalKind(models.TextChoices):
    PUBLISH = "publish", _("Publish")
    MODIFY = "modify", _("Modify the active product")


class ProductProposal(ProposalFields):
    """A change to what accounts open on, waiting for a second parameter administrator:
    publishing a draft, or modifying an active (or suspended) product. `changes` holds a
    modification as it was submitted (name, description, parameters, components, change note);
    approval applies it in one transaction."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField(_("kind"), max_length=10, choices=ProductProposalKind.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    base_version_number = models.PositiveIntegerField(_("proposed on version"))
    result_version = models.ForeignKey(
        ProductVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("product change proposal")
        verbose_name_plural = _("product change proposals")
        constraints = [
            # One pending change per product: each is decided on what it was proposed against.
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(status=ProposalStatus.PENDING),
                name="product_one_pending_proposal",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProductProposalKind.values), name="product_proposal_kind"
            ),
            *proposal_constraints("product_proposal"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.kind} proposal {self.pk}"


class ProductEvent(models.Model):
    """One lifecycle transition of a product, with who did it (and who approved it, for the
    changes that need a second parameter administrator)."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=10)
    from_status = models.CharField(_("from status"), max_length=10, choices=ProductStatus.choices)
    to_status = models.CharField(_("to status"), max_length=10, choices=ProductStatus.choices)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.ForeignKey(
        ProductVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        ProductProposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("occurred at"))

    class Meta:
        verbose_name = _("product event")
        verbose_name_plural = _("product events")
        indexes = [models.Index(fields=["product", "occurred_at"], name="productevent_product")]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("acted_by")),
                name="productevent_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.action} {self.occurred_at:%Y-%m-%d %H:%M}"


class ProductParameter(ParameterSetting):
    version = models.ForeignKey(ProductVersion, on_delete=models.CASCADE, related_name="parameters")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "definition"], name="productparameter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.definition_id}"


class CodeCounter(models.Model):
    """Serial counters for product codes and account numbers (row-locked when drawn)."""

    key = models.CharField(max_length=40, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.key


class Account(models.Model):
    """An account opened on one product version, with its resolved parameters
    (`parameter_values`: code → canonical text) fixed at opening."""

    account_no = models.CharField(_("account number"), max_length=20, unique=True)
    customer_no = models.CharField(_("customer number"), max_length=32, db_index=True)
    customer_name = models.CharField(_("customer name"), max_length=200)
    customer_type = models.CharField(_("customer type"), max_length=20)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="accounts")
    product_version = models.ForeignKey(ProductVersion, on_delete=models.PROTECT, related_name="+")
    currency = CurrencyField(_("currency"))
    opening_amount = AmountField(_("opening amount"))
    channel = models.CharField(_("channel"), max_length=20)
    medium = models.CharField(_("medium"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=AccountStatus.choices)
    parameter_values = models.JSONField(_("parameters"), default=dict)
    negotiated_parameters = models.JSONField(_("negotiated parameters"), default=list, blank=True)
    early_withdrawals_used = models.PositiveIntegerField(_("early withdrawals used"), default=0)
    branch = models.ForeignKey("bankcore.OrgUnit", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The authorization rules' decision on the opening (blank when no rule required any):
    # the mode and level, the reasons ({"code", "name"} each) and the recorded evaluation's
    # reference, from which the authorization workflow picks the pending account up.
    authorization_mode = models.CharField(_("authorization mode"), max_length=30, blank=True)
    authorization_level = models.PositiveSmallIntegerField(
        _("authorization level"), null=True, blank=True
    )
    authorization_reasons = models.JSONField(_("authorization reasons"), default=list, blank=True)
    evaluation_reference = models.CharField(_("evaluation reference"), max_length=36, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AccountStatus.values), name="account_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(opening_amount__gte=0), name="account_opening_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.account_no
