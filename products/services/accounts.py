"""Accounts: opening one on a product's active version, the authorization center's answer on a
pending opening, and the open-account page's check of every problem at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bankcore.money import CURRENCY_MINOR_UNITS, InvalidMoney, parse_amount
from bankcore.ports import (
    NOT_EVALUATED,
    AccountAuthorizationOutcome,
    CustomerNotFound,
    TransactionDecision,
    account_opening_evaluate,
    customer_summary,
)
from products.choice_labels import choice_label
from products.codes import account_no_build
from products.models import Account, AccountStatus, Product, ProductStatus
from products.opening import Violation, classify_overrides, usage_control_violations
from products.selectors import AccountNotFound, product_by_code, product_settings
from products.services.codes import counter_next
from products.services.errors import (
    AccountNumbersExhausted,
    AccountOpeningRefused,
    AccountStateConflict,
    CurrencyNotSupported,
    OpeningAmountInvalid,
    OpeningCustomerNotFound,
    ProductNotActive,
)


@dataclass(frozen=True, slots=True)
class AccountOpening:
    account: Account
    negotiated_parameters: tuple[str, ...]
    decision: TransactionDecision = NOT_EVALUATED  # the authorization rules' answer

    @property
    def needs_authorization(self) -> bool:
        return bool(self.negotiated_parameters) or self.decision.required


# How many account numbers an opening draws before giving up: each taken number is skipped.
ACCOUNT_NO_ATTEMPTS = 20


def _refuse(violations: list[Violation]) -> AccountOpeningRefused:
    fields: dict[str, list[str]] = {}
    for violation in violations:
        fields.setdefault(violation.field, []).append(violation.message)
    error = AccountOpeningRefused(" ".join(v.message for v in violations), fields=fields)
    error.code = violations[0].rule
    return error


def _acting_user(user):
    """The user an opening acts for (None for the system and tests that name no one)."""
    return user if getattr(user, "pk", None) else None


def _account_insert(*, line_code: str, **values) -> Account:
    """Insert the account under a freshly drawn number. The counter row lives outside the
    insert's savepoint, so a number found taken stays drawn and the next attempt draws the
    next one; an integrity error that is not about the number is never retried."""
    for _attempt in range(ACCOUNT_NO_ATTEMPTS):
        account_no = account_no_build(line_code=line_code, serial=counter_next(key="account"))
        try:
            with transaction.atomic():
                return Account.objects.create(account_no=account_no, **values)
        except IntegrityError:
            if not Account.objects.filter(account_no=account_no).exists():
                raise
    raise AccountNumbersExhausted()


def account_open(
    *,
    product_code: str,
    customer_no: str,
    currency: str,
    opening_amount,
    channel: str,
    opened_by,
    branch,
    now: datetime,
    medium: str = "",
    parameters: dict | None = None,
) -> AccountOpening:
    """Open an account on the product's active version for a customer.

    The customer is looked up within `opened_by`'s branch scope: one outside it gets exactly
    the answer an unknown number gets. Resolves every parameter (principles from the product,
    defaults overridable within the product's bounds), checks the usage controls, and refuses
    with one message per broken rule (AccountOpeningRefused; its code is the first rule's
    code). Then the opening is evaluated by the authorization rules in force like any
    transaction (bankcore.ports.account_opening_evaluate): a refusing rule refuses it
    (`authorization_refused`); a rule requiring authorization, or values inside a negotiable
    range (listed in `negotiated_parameters`), open the account as `pending_authorization`
    with the decision recorded on it; the authorization center then approves or refuses it
    with `account_authorization_complete`."""
    product = product_by_code(product_code=product_code)
    if product.status != ProductStatus.ACTIVE:
        raise ProductNotActive(
            _("Product %(code)s is %(status)s; accounts open on active products only.")
            % {"code": product.product_code, "status": product.get_status_display()},
            fields={"product_code": [ProductNotActive.default_message]},
        )
    acting = _acting_user(opened_by)
    try:
        customer = customer_summary(customer_no=customer_no, user=acting)
    except CustomerNotFound as exc:
        raise OpeningCustomerNotFound(exc.message, fields={"customer_no": [exc.message]}) from exc
    violations: list[Violation] = []
    if customer.status != "active":
        violations.append(
            Violation(
                "customer_not_active",
                "customer_no",
                _("The customer is %(status)s; accounts open for active customers only.")
                % {"status": choice_label("customer_status", customer.status)},
            )
        )
    if currency not in CURRENCY_MINOR_UNITS:
        raise CurrencyNotSupported(
            _("%(currency)s is not a supported currency.") % {"currency": currency},
            fields={"currency": [_("Choose an ISO 4217 currency such as CNY or USD.")]},
        )
    try:
        amount = parse_amount(opening_amount, currency=currency, allow_zero=True)
    except InvalidMoney as exc:
        raise OpeningAmountInvalid(str(exc), fields={"opening_amount": [str(exc)]}) from exc
    version = product.active_version
    settings = product_settings(version=version)
    negotiated, override_violations, resolved = classify_overrides(
        settings=settings, overrides=parameters or {}
    )
    violations.extend(override_violations)
    violations.extend(
        usage_control_violations(
            resolved=resolved,
            customer_type=customer.customer_type,
            is_interbank=customer.is_interbank,
            currency=currency,
            opening_amount=amount,
            channel=channel,
            medium=medium,
        )
    )
    if violations:
        raise _refuse(violations)
    # Evaluated (and recorded as flow data, refusals included) before anything is written.
    decision = account_opening_evaluate(
        customer_no=customer.customer_no,
        product_code=product.product_code,
        amount=amount,
        currency=currency,
        parameters={code: resolved[code] for code in (parameters or {}) if code in resolved},
        channel=channel,
        branch_code=getattr(branch, "code", ""),
        teller=acting.get_username() if acting else "",
        now=now,
    )
    if decision.refused:
        error = AccountOpeningRefused(
            _("The authorization rules refuse this opening: %(reasons)s.")
            % {"reasons": decision.reasons_text}
        )
        error.code = "authorization_refused"
        raise error
    with transaction.atomic():
        pending = bool(negotiated) or decision.required
        account = _account_insert(
            line_code=product.line.line_code,
            customer_no=customer.customer_no,
            customer_name=customer.name,
            customer_type=customer.customer_type,
            product=product,
            product_version=version,
            currency=currency,
            opening_amount=amount,
            channel=channel,
            medium=medium,
            status=AccountStatus.PENDING_AUTHORIZATION if pending else AccountStatus.ACTIVE,
            parameter_values=resolved,
            negotiated_parameters=negotiated,
            authorization_mode=decision.mode if decision.required else "",
            authorization_level=decision.level if decision.required else None,
            authorization_reasons=[
                {"code": reason.reason_code, "name": reason.reason_name}
                for reason in decision.reasons
            ],
            evaluation_reference=decision.reference,
            branch=branch,
            opened_at=now,
            opened_by=opened_by,
        )
    return AccountOpening(
        account=account, negotiated_parameters=tuple(negotiated), decision=decision
    )


def account_authorization_complete(
    *, account_no: str, approved: bool
) -> AccountAuthorizationOutcome:
    """The authorization center's answer on a pending opening (negotiated parameters or a
    rule's decision, see `account_open`): the pending account becomes active, or refused.
    This is the entry point the authorization workflow calls when its request is decided.
    Raises AccountNotFound / AccountStateConflict."""
    status = AccountStatus.ACTIVE if approved else AccountStatus.REFUSED
    updated = Account.objects.filter(
        account_no=account_no, status=AccountStatus.PENDING_AUTHORIZATION
    ).update(status=status)
    if not updated:
        if not Account.objects.filter(account_no=account_no).exists():
            raise AccountNotFound()
        raise AccountStateConflict(_("The account is not waiting for authorization."))
    return AccountAuthorizationOutcome(account_no=account_no, status=str(status))


def account_opening_check(
    *,
    product_code: str,
    customer_no: str | None,
    currency: str | None,
    opening_amount,
    channel: str | None,
    medium: str,
    parameters: dict,
    opened_by,
) -> dict[str, list[str]]:
    """Every problem of an opening at once (field → messages), writing nothing and
    evaluating no rule: for the open-account page, which shows them all beside their fields
    even when some inputs did not parse (None: not checked). `account_open` decides."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    product = (
        Product.objects.select_related("active_version")
        .filter(product_code=product_code, status=ProductStatus.ACTIVE)
        .first()
        if product_code
        else None
    )
    if product_code and (product is None or product.active_version is None):
        add("product_code", str(ProductNotActive.default_message))
    customer = None
    if customer_no:
        try:
            customer = customer_summary(customer_no=customer_no, user=_acting_user(opened_by))
        except CustomerNotFound as exc:
            add("customer_no", exc.message)
    if customer is not None and customer.status != "active":
        add(
            "customer_no", _("The customer is not active; accounts open for active customers only.")
        )
    amount = None
    if currency and opening_amount is not None:
        try:
            amount = parse_amount(opening_amount, currency=currency, allow_zero=True)
        except InvalidMoney as exc:
            add("opening_amount", str(exc))
    if product is None or product.active_version is None:
        return errors
    settings = product_settings(version=product.active_version)
    _negotiated, violations, resolved = classify_overrides(
        settings=settings, overrides=parameters or {}
    )
    if currency and channel:
        # What did not parse or was not found is not judged again (its error is given).
        unchecked = {"opening_amount"} if amount is None else set()
        if customer is None:
            unchecked.add("customer_no")
        violations.extend(
            violation
            for violation in usage_control_violations(
                resolved=resolved,
                customer_type=customer.customer_type if customer else "",
                is_interbank=customer.is_interbank if customer else True,
                currency=currency,
                opening_amount=amount if amount is not None else Decimal(0),
                channel=channel,
                medium=medium,
            )
            if violation.field not in unchecked
        )
    for violation in violations:
        add(violation.field, violation.message)
    return errors
