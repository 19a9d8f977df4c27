"""What other apps read of products and accounts: plain facts (frozen dataclasses), the
allowed-transactions check, and a customer's accounts for the customer 360 view.

CONTRACT (shared with the authorization app): the names, fields and exceptions here are what
other apps code against. Keep them; add to them freely."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from bankcore.ports import AccountParameterDifference, CustomerAccount
from bankcore.scoping import scope_queryset
from products.choice_labels import choice_labels
from products.models import Account, AccountStatus, ParameterDefinition, ProductParameter
from products.opening import classify_overrides
from products.parameters import display
from products.selectors.accounts import account_list
from products.selectors.catalogue import product_settings
from products.selectors.errors import AccountNotFound
from products.selectors.products import opening_version, product_by_code


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
    product = product_by_code(product_code=product_code)
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
    version = opening_version(product_code=product_code)
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
