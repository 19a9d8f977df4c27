"""Ports: reads one app offers to another that may not import it.

customers and products are independent apps (an import-linter contract), yet opening an
account needs a few facts about the customer. The kernel declares the shape of that read;
the customers app registers its implementation in its AppConfig.ready(); products calls the
port. Neither app imports the other, and the dependency is explicit here.

Where an import is allowed (authorization and reports reading the apps below them), the caller
imports the other app's facade module (`<app>/facade.py`) instead: import-linter's doors
point there only. Ports and facades answer the same kind of value: frozen dataclasses and plain
values, never model instances or querysets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy

from bankcore.errors import NotFound


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    default_message = gettext_lazy("No customer has this customer number.")


class PortNotConnected(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    customer_no: str
    customer_type: str  # "personal" | "corporate" | "internal" (more may be added)
    status: str  # "active" | "dormant" | "closed"
    name: str
    home_branch_code: str
    is_interbank: bool


CustomerSummaryLookup = Callable[..., CustomerSummary]
_customer_summary_lookup: CustomerSummaryLookup | None = None


def connect_customer_summary(lookup: CustomerSummaryLookup) -> None:
    """Called once by the customers app at start-up."""
    global _customer_summary_lookup
    _customer_summary_lookup = lookup


def customer_summary(*, customer_no: str, user=None) -> CustomerSummary:
    """The customer's summary. Raises CustomerNotFound.

    With `user`, a customer outside the user's branch scope is CustomerNotFound too, with
    exactly the answer an unknown number gets (nothing about it may leak)."""
    if _customer_summary_lookup is None:
        raise PortNotConnected("The customers app has not connected customer_summary.")
    return _customer_summary_lookup(customer_no=customer_no, user=user)


# --- Account opening evaluated by the authorization rules ---------------------------------------
# Opening an account is a transaction like any other: the rules in force decide whether it
# needs authorization. products may not import authorization, so the kernel declares the
# shape of that question; the authorization app connects its answer in AppConfig.ready().


@dataclass(frozen=True, slots=True)
class DecisionReason:
    reason_code: str
    reason_name: str  # in words, in the active language of the rule set
    rule_code: str
    explanation: str  # the compared values


@dataclass(frozen=True, slots=True)
class TransactionDecision:
    """The authorization center's answer about a transaction another app performs."""

    evaluated: bool  # False: no rule set is in force, so no rule can require anything
    required: bool
    refused: bool  # a reason's processing refuses the transaction outright
    mode: str  # "" when not required; else "on_site" | "cross_terminal" | ...
    mode_label: str  # the mode in words
    level: int | None
    reasons: tuple[DecisionReason, ...]
    reference: str  # the recorded evaluation's reference ("" when none was recorded)
    rule_set_version: int | None

    @property
    def reasons_text(self) -> str:
        return "; ".join(reason.reason_name for reason in self.reasons)


NOT_EVALUATED = TransactionDecision(
    evaluated=False,
    required=False,
    refused=False,
    mode="",
    mode_label="",
    level=None,
    reasons=(),
    reference="",
    rule_set_version=None,
)


@dataclass(frozen=True, slots=True)
class AccountAuthorizationOutcome:
    """A pending account opening once the authorization center answered it (products'
    `account_authorization_complete`)."""

    account_no: str
    status: str  # "active" (approved) | "refused"


AccountOpeningEvaluator = Callable[..., TransactionDecision]
_account_opening_evaluator: AccountOpeningEvaluator | None = None


def connect_account_opening_evaluator(evaluator: AccountOpeningEvaluator) -> None:
    """Called once by the authorization app at start-up."""
    global _account_opening_evaluator
    _account_opening_evaluator = evaluator


def account_opening_evaluate(
    *,
    customer_no: str,
    product_code: str,
    amount: Decimal,
    currency: str,
    parameters: dict[str, str],
    channel: str,
    branch_code: str,
    teller: str,
    now: datetime,
) -> TransactionDecision:
    """The rules in force applied to an account opening (and the evaluation recorded).
    Raises PortNotConnected when no authorization app answers: an opening is never let
    through unevaluated by accident."""
    if _account_opening_evaluator is None:
        raise PortNotConnected("The authorization app has not connected account opening.")
    return _account_opening_evaluator(
        customer_no=customer_no,
        product_code=product_code,
        amount=amount,
        currency=currency,
        parameters=parameters,
        channel=channel,
        branch_code=branch_code,
        teller=teller,
        now=now,
    )


# --- A customer's accounts, for the customer 360 view ---------------------------------------
# The customer page lists the accounts products opened for the customer. customers may not
# import products, so the kernel declares the shape of that read; the products app connects
# its implementation in AppConfig.ready(); the customers page calls the port.


@dataclass(frozen=True, slots=True)
class AccountParameterDifference:
    """A parameter the account holds at another value than its product version's."""

    code: str
    label: str
    value: str  # the account's value, as people read it
    product_value: str  # the product version's value ("—" when the version sets none)


@dataclass(frozen=True, slots=True)
class CustomerAccount:
    account_no: str
    product_code: str
    product_name: str
    product_version: int
    status: str  # "active" | "pending_authorization" | "frozen" | "closed" | "refused"
    status_label: str  # the status in words (active language)
    currency: str
    opening_amount: Decimal
    opened_at: datetime
    branch_code: str
    differences: tuple[AccountParameterDifference, ...]


CustomerAccountsLookup = Callable[..., list[CustomerAccount]]
_customer_accounts_lookup: CustomerAccountsLookup | None = None


def connect_customer_accounts(lookup: CustomerAccountsLookup) -> None:
    """Called once by the products app at start-up."""
    global _customer_accounts_lookup
    _customer_accounts_lookup = lookup


def customer_accounts(*, customer_no: str, user) -> list[CustomerAccount]:
    """The customer's accounts that `user` may see (opened in the user's branch subtree),
    newest first, in a constant number of queries whatever their number."""
    if _customer_accounts_lookup is None:
        raise PortNotConnected("The products app has not connected customer_accounts.")
    return _customer_accounts_lookup(customer_no=customer_no, user=user)
