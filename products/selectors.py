"""Public read API of the products app. Other apps read products and accounts only through here.

CONTRACT (shared with the authorization app): the names, fields and exceptions below are
what other apps code against. Keep them; add to them freely.

Below the contract: reads for this app's own pages and API (querysets with a fixed number of
queries whatever the number of products and parameters).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.errors import DomainError
from bankcore.ports import AccountParameterDifference, CustomerAccount
from bankcore.scoping import scope_queryset
from products.choice_labels import choice_labels
from products.models import (
    Account,
    AccountStatus,
    ParameterDefinition,
    PrincipleLevel,
    Product,
    ProductComponent,
    ProductEvent,
    ProductLine,
    ProductParameter,
    ProductStatus,
    ProductTemplate,
    ProductVersion,
    TemplateParameter,
)
from products.opening import classify_overrides
from products.parameters import bounds_text, display


class ProductNotFound(DomainError):
    code = "product_not_found"
    http_status = 404
    default_message = gettext_lazy("No product has this product code.")


class AccountNotFound(DomainError):
    code = "account_not_found"
    http_status = 404
    default_message = gettext_lazy("No account has this account number.")


class ParameterDefinitionNotFound(DomainError):
    code = "parameter_definition_not_found"
    http_status = 404
    default_message = gettext_lazy("No parameter has this code.")


class ProductTemplateNotFound(DomainError):
    code = "product_template_not_found"
    http_status = 404
    default_message = gettext_lazy("No template has this code.")


@dataclass(frozen=True, slots=True)
class ProductFacts:
    product_code: str
    version: int  # the active version
    name: str
    line: str  # "demand_deposit" | "time_deposit" | "loan" | "internal_account" (extensible)
    status: str  # "draft" | "active" | "suspended" | "retired"
    # customer types allowed by the usage controls; empty = the product sets no restriction
    customer_types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the trigger model needs to know about an account and its product."""

    account_no: str
    customer_no: str
    product_code: str
    product_version: int  # the version the account was opened on
    product_line: str
    currency: str  # ISO 4217
    # "active" | "frozen" | "closed" (+ "pending_authorization" while negotiated parameters
    # wait for authorization, "refused" when authorization refused them)
    status: str
    early_withdrawals_allowed: int | None  # None = the product sets no limit / not applicable
    early_withdrawals_used: int


def product_facts(*, product_code: str) -> ProductFacts:
    """The product's active version (version 1 while it is still a draft). Raises ProductNotFound."""

    product = (
        Product.objects.select_related("line", "active_version")
        .filter(product_code=product_code)
        .first()
    )
    if product is None:
        raise ProductNotFound(fields={"product_code": [ProductNotFound.default_message]})
    version = product.active_version or product.versions.order_by("-number").first()
    customer_types = (
        ProductParameter.objects.filter(version=version, definition__code="allowed_customer_types")
        .values_list("value", flat=True)
        .first()
    )
    return ProductFacts(
        product_code=product.product_code,
        version=version.number if version else 0,
        name=product.name,
        line=product.line.code,
        status=product.status,
        customer_types=tuple(code for code in (customer_types or "").split(",") if code),
    )


def account_facts(*, account_no: str, user=None) -> AccountFacts:
    """Raises AccountNotFound (also, given `user`, for an account opened outside the user's
    branch scope: the same answer as an unknown number)."""

    accounts = Account.objects.select_related("product__line", "product_version")
    if user is not None:
        accounts = scope_queryset(accounts, user, unit_field="branch")
    account = accounts.filter(account_no=account_no).first()
    if account is None:
        raise AccountNotFound(fields={"account_no": [AccountNotFound.default_message]})
    allowed = account.parameter_values.get("early_withdrawals_allowed")
    return AccountFacts(
        account_no=account.account_no,
        customer_no=account.customer_no,
        product_code=account.product.product_code,
        product_version=account.product_version.number,
        product_line=account.product.line.code,
        currency=account.currency,
        status=account.status,
        early_withdrawals_allowed=int(allowed) if allowed not in (None, "") else None,
        early_withdrawals_used=account.early_withdrawals_used,
    )


def account_pending_for_evaluation(*, evaluation_reference: str) -> str | None:
    """The number of the account whose opening was evaluated under `evaluation_reference`
    and waits for authorization (None when there is none): the authorization center links
    its request to the account it will activate or refuse."""
    return (
        Account.objects.filter(
            evaluation_reference=evaluation_reference,
            status=AccountStatus.PENDING_AUTHORIZATION,
        )
        .values_list("account_no", flat=True)
        .first()
    )


def negotiated_parameters(
    *, product_code: str, parameter_values: dict[str, str]
) -> tuple[str, ...]:
    """Codes of the given opening parameter values that lie inside the product's negotiable
    range but outside its free bounds: opening an account with them needs authorization.
    Values that are simply valid, or that are refused outright, are not listed (refusal is
    account opening's business). Raises ProductNotFound."""
    version = _opening_version(product_code=product_code)
    negotiated, _refusals, _resolved = classify_overrides(
        settings=product_settings(version=version), overrides=parameter_values
    )
    return tuple(negotiated)


@dataclass(frozen=True, slots=True)
class TransactionPermission:
    """Whether the account's product lets it do one transaction (the allowed-transactions
    usage control, as resolved when the account was opened)."""

    account_no: str
    transaction_code: str
    allowed: bool
    # "" when allowed; else "transaction_not_allowed" | "account_not_active" |
    # "transaction_unknown"
    reason_code: str
    message: str


def account_transaction_check(*, account_no: str, transaction_code: str) -> TransactionPermission:
    """Check one transaction against the account's allowed-transactions control (the value
    fixed at opening, so a later product version does not change what an old account may
    do) and its status (only active accounts transact). An empty control allows every
    transaction of the catalogue. Raises AccountNotFound."""
    account = (
        Account.objects.filter(account_no=account_no)
        .only("account_no", "status", "parameter_values")
        .first()
    )
    if account is None:
        raise AccountNotFound(fields={"account_no": [AccountNotFound.default_message]})
    definition = ParameterDefinition.objects.filter(code="allowed_transactions").first()
    known = [
        c["code"] if isinstance(c, dict) else str(c)
        for c in (definition.choices if definition else [])
    ]
    allowed_codes = [
        c for c in account.parameter_values.get("allowed_transactions", "").split(",") if c
    ]

    def answer(reason: str, message: str) -> TransactionPermission:
        return TransactionPermission(
            account_no=account.account_no,
            transaction_code=transaction_code,
            allowed=not reason,
            reason_code=reason,
            message=message,
        )

    if known and transaction_code not in known:
        return answer(
            "transaction_unknown",
            _("%(code)s is not a transaction of the catalogue (%(known)s).")
            % {"code": transaction_code, "known": ", ".join(known)},
        )
    if account.status != AccountStatus.ACTIVE:
        return answer(
            "account_not_active",
            _("Account %(no)s is %(status)s; only active accounts transact.")
            % {"no": account.account_no, "status": account.get_status_display()},
        )
    if allowed_codes and transaction_code not in allowed_codes:
        return answer(
            "transaction_not_allowed",
            _("The product of account %(no)s allows %(allowed)s only.")
            % {
                "no": account.account_no,
                "allowed": choice_labels("allowed_transactions", allowed_codes),
            },
        )
    return answer("", "")


def account_transaction_allowed(*, account_no: str, transaction_code: str) -> bool:
    """True when the account may do the transaction (see `account_transaction_check`).
    Raises AccountNotFound."""
    return account_transaction_check(
        account_no=account_no, transaction_code=transaction_code
    ).allowed


# ---------------------------------------------------------------- reads for this app


def _opening_version(*, product_code: str):

    product = (
        Product.objects.select_related("active_version", "line")
        .filter(product_code=product_code)
        .first()
    )
    if product is None:
        raise ProductNotFound(fields={"product_code": [ProductNotFound.default_message]})
    version = product.active_version or product.versions.order_by("-number").first()
    version.product = product
    return version


def product_settings(*, version) -> dict:
    """code → ProductParameter (with its definition) of one version, in zone order."""

    rows = (
        ProductParameter.objects.filter(version=version)
        .select_related("definition")
        .order_by("definition__zone", "definition__sort_order", "definition__code")
    )
    return {row.definition.code: row for row in rows}


def _count_of(model, *, field: str = "pk"):
    rows = (
        model.objects.filter(definition=OuterRef("pk"))
        .order_by()
        .values("definition")
        .annotate(n=Count(field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def parameter_catalogue(*, zone: str | None = None) -> QuerySet:
    """Parameter definitions with their lines and how many products and templates set them
    (`product_count`, `template_count`), in zone order: one query plus one for the lines."""
    queryset = (
        ParameterDefinition.objects.prefetch_related("lines")
        .annotate(
            product_count=_count_of(ProductParameter, field="version__product"),
            template_count=_count_of(TemplateParameter),
        )
        .order_by("zone", "sort_order", "code")
    )
    if zone:
        queryset = queryset.filter(zone=zone)
    return queryset


def parameter_definition_get(*, code: str):
    """One catalogue row with its usage counts. Raises ParameterDefinitionNotFound."""
    definition = parameter_catalogue().filter(code=code).first()
    if definition is None:
        raise ParameterDefinitionNotFound(
            fields={"code": [ParameterDefinitionNotFound.default_message]}
        )
    return definition


def product_template_get(*, code: str):
    """One template with its presets. Raises ProductTemplateNotFound."""
    template = product_template_list().filter(code=code).first()
    if template is None:
        raise ProductTemplateNotFound(fields={"code": [ProductTemplateNotFound.default_message]})
    return template


def parameter_definition_list(*, line_code: str | None = None) -> QuerySet:

    queryset = ParameterDefinition.objects.prefetch_related("lines").order_by(
        "zone", "sort_order", "code"
    )
    if line_code:
        queryset = queryset.filter(Q(lines__code=line_code) | Q(lines__isnull=True)).distinct()
    return queryset


def product_line_list() -> QuerySet:

    return ProductLine.objects.order_by("sort_order", "line_code")


def product_template_list() -> QuerySet:

    return (
        ProductTemplate.objects.select_related("line")
        .prefetch_related(
            Prefetch(
                "parameters",
                queryset=TemplateParameter.objects.select_related("definition").order_by(
                    "definition__zone", "definition__sort_order", "definition__code"
                ),
            )
        )
        .order_by("line__sort_order", "code")
    )


def product_list(*, status: str | None = None, line_code: str | None = None) -> QuerySet:
    """Products with their line and active version; account counts annotated."""

    queryset = (
        Product.objects.select_related("line", "active_version", "template", "copied_from")
        .annotate(account_count=Count("accounts", distinct=True))
        .annotate(version_count=Count("versions", distinct=True))
        .order_by("product_code")
    )
    if status:
        queryset = queryset.filter(status=status)
    if line_code:
        queryset = queryset.filter(line__code=line_code)
    return queryset


def product_detail(*, product_code: str):
    """A product with its versions, each version's parameters, and its components, in a
    fixed number of queries. Raises ProductNotFound."""

    product = (
        product_list()
        .select_related("published_by", "publication_approved_by", "retired_by")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ProductVersion.objects.select_related("created_by", "approved_by")
                .prefetch_related(
                    Prefetch(
                        "parameters",
                        queryset=ProductParameter.objects.select_related("definition").order_by(
                            "definition__zone", "definition__sort_order", "definition__code"
                        ),
                    )
                )
                .order_by("number"),
            ),
            Prefetch(
                "components",
                queryset=ProductComponent.objects.select_related("component").order_by(
                    "sort_order", "component__product_code"
                ),
            ),
        )
        .filter(product_code=product_code)
        .first()
    )
    if product is None:
        raise ProductNotFound(fields={"product_code": [ProductNotFound.default_message]})
    return product


def product_events(*, product, limit: int = 50) -> list:
    """The product's lifecycle transitions, newest first, with who acted and who approved."""
    return list(
        ProductEvent.objects.filter(product=product)
        .select_related("acted_by", "approved_by", "version")
        .order_by("-occurred_at", "-id")[:limit]
    )


def product_version_of(*, product, number: int | None = None):
    """One version of a product loaded by `product_detail` (the latest when number is None)."""
    versions = list(product.versions.all())
    if number is None:
        return versions[-1] if versions else None
    for version in versions:
        if version.number == number:
            return version
    raise ProductNotFound(
        _("Product %(code)s has no version %(number)s.")
        % {"code": product.product_code, "number": number},
        fields={"version": [_("No version %(number)s.") % {"number": number}]},
    )


@dataclass(frozen=True, slots=True)
class ParameterDiff:
    code: str
    label: str
    zone: str
    left: str  # display text
    right: str
    changed: bool


def product_version_diff(*, product, left: int, right: int) -> list[ParameterDiff]:
    """Side-by-side comparison of two versions' parameters (value, level and bounds)."""

    def described(setting) -> str:
        if setting is None:
            return "—"
        text = display(setting.definition, setting.value)
        level = PrincipleLevel(setting.principle_level).label
        parts = [str(level)]
        definition = setting.definition
        if setting.free_min or setting.free_max:
            parts.append(
                _("free %(bounds)s")
                % {"bounds": bounds_text(definition, setting.free_min, setting.free_max)}
            )
        if setting.negotiable_min or setting.negotiable_max:
            parts.append(
                _("negotiable %(bounds)s")
                % {
                    "bounds": bounds_text(
                        definition, setting.negotiable_min, setting.negotiable_max
                    )
                }
            )
        suffix = f" [{'; '.join(parts)}]"
        return text + suffix

    left_rows = {
        p.definition.code: p
        for p in product_version_of(product=product, number=left).parameters.all()
    }
    right_rows = {
        p.definition.code: p
        for p in product_version_of(product=product, number=right).parameters.all()
    }
    codes = list(dict.fromkeys([*left_rows, *right_rows]))
    diffs = []
    for code in codes:
        definition = (left_rows.get(code) or right_rows.get(code)).definition
        left_text, right_text = described(left_rows.get(code)), described(right_rows.get(code))
        diffs.append(
            ParameterDiff(
                code=code,
                label=definition.label,
                zone=definition.zone,
                left=left_text,
                right=right_text,
                changed=left_text != right_text,
            )
        )
    return diffs


def account_list(
    *, user, customer_no: str | None = None, product_code: str | None = None
) -> QuerySet:
    """Accounts the user may see (opening branch within their subtree)."""

    queryset = Account.objects.select_related("product", "product_version", "branch").order_by(
        "-opened_at", "-pk"
    )
    if customer_no:
        queryset = queryset.filter(customer_no=customer_no)
    if product_code:
        queryset = queryset.filter(product__product_code=product_code)
    return scope_queryset(queryset, user, unit_field="branch")


def account_detail(*, user, account_no: str):
    """Raises AccountNotFound (also when the account is outside the user's scope)."""
    account = account_list(user=user).filter(account_no=account_no).first()
    if account is None:
        raise AccountNotFound(fields={"account_no": [AccountNotFound.default_message]})
    return account


def product_has_accounts(*, product) -> bool:

    return Account.objects.filter(product=product).exists()


@dataclass(frozen=True, slots=True)
class AccountParameterRow:
    code: str
    label: str
    zone: str
    value: str  # display text
    negotiated: bool


def account_parameter_rows(*, account) -> list[AccountParameterRow]:
    """The account's resolved parameters with their labels, in zone order (one query)."""
    definitions = ParameterDefinition.objects.filter(
        code__in=list(account.parameter_values)
    ).order_by("zone", "sort_order", "code")
    return [
        AccountParameterRow(
            code=definition.code,
            label=definition.label,
            zone=definition.get_zone_display(),
            value=display(definition, account.parameter_values[definition.code]),
            negotiated=definition.code in account.negotiated_parameters,
        )
        for definition in definitions
    ]


def customer_accounts(*, customer_no: str, user) -> list[CustomerAccount]:
    """The customer's accounts `user` may see (opened within the user's branch subtree),
    newest first, each with the parameters it holds at another value than its product
    version. Connected as the kernel port bankcore.ports.customer_accounts (ProductsConfig.ready)
    for the customer 360 view. At most three queries, whatever the number of accounts."""

    accounts = list(account_list(user=user, customer_no=customer_no))
    if not accounts:
        return []
    version_values: dict[int, dict[str, str]] = {}
    for version_id, code, value in ProductParameter.objects.filter(
        version_id__in={account.product_version_id for account in accounts}
    ).values_list("version_id", "definition__code", "value"):
        version_values.setdefault(version_id, {})[code] = value
    differing = {
        account.pk: sorted(
            code
            for code, value in account.parameter_values.items()
            if version_values.get(account.product_version_id, {}).get(code) != value
        )
        for account in accounts
    }
    codes = {code for account_codes in differing.values() for code in account_codes}
    definitions = (
        {d.code: d for d in ParameterDefinition.objects.filter(code__in=codes)} if codes else {}
    )
    statuses = dict(AccountStatus.choices)

    def difference(account, code: str) -> AccountParameterDifference:
        definition = definitions.get(code)
        product_value = version_values.get(account.product_version_id, {}).get(code, "")
        if definition is None:  # a code no longer in the catalogue: shown as stored
            return AccountParameterDifference(
                code=code,
                label=code,
                value=account.parameter_values[code],
                product_value=product_value or "—",
            )
        return AccountParameterDifference(
            code=code,
            label=definition.label,
            value=display(definition, account.parameter_values[code]),
            product_value=display(definition, product_value),
        )

    return [
        CustomerAccount(
            account_no=account.account_no,
            product_code=account.product.product_code,
            product_name=account.product.name,
            product_version=account.product_version.number,
            status=account.status,
            status_label=str(statuses.get(account.status, account.status)),
            currency=account.currency,
            opening_amount=account.opening_amount,
            opened_at=account.opened_at,
            branch_code=account.branch.code,
            differences=tuple(difference(account, code) for code in differing[account.pk]),
        )
        for account in accounts
    ]


# --- The open-account form: what a product offers an opening -------------------------------


@dataclass(frozen=True)
class OpeningTerms:
    """What an opening on one active product may choose: the currencies, channels and media
    its usage controls allow (None: any), and its overridable (default-level) parameters."""

    product_code: str
    name: str
    currencies: list[str] | None
    channels: list[str] | None
    media: list[str] | None
    overridable: list  # ProductParameter rows (with their definition) an opening may set


def _allowed(settings: dict, code: str) -> list[str] | None:
    setting = settings.get(code)
    if setting is None or not setting.value:
        return None
    return [value for value in setting.value.split(",") if value]


def account_opening_terms(*, product_code: str) -> OpeningTerms | None:
    """The terms of the active product `product_code` (None: no such active product)."""
    product = (
        Product.objects.select_related("active_version")
        .filter(product_code=product_code, status=ProductStatus.ACTIVE)
        .first()
    )
    if product is None or product.active_version is None:
        return None
    settings = product_settings(version=product.active_version)
    overridable = [
        setting
        for setting in settings.values()
        if setting.principle_level == PrincipleLevel.DEFAULT
        and setting.definition.principle_level != PrincipleLevel.SYSTEM
    ]
    return OpeningTerms(
        product_code=product.product_code,
        name=product.name,
        currencies=_allowed(settings, "allowed_currencies"),
        channels=_allowed(settings, "allowed_channels"),
        media=_allowed(settings, "allowed_media"),
        overridable=overridable,
    )


def product_pick(*, text: str, limit: int = 8) -> list:
    """Active products whose code or name (in either language) contains `text`."""
    text = text.strip()
    if not text:
        return []
    return list(
        Product.objects.filter(status=ProductStatus.ACTIVE)
        .filter(
            Q(product_code__startswith=text)
            | Q(name_en__icontains=text)
            | Q(name_zh_hans__icontains=text)
        )
        .order_by("product_code")[:limit]
    )
