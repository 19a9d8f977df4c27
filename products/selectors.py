"""Public read API of the products app. Other apps read products and accounts only through here.

CONTRACT (shared with the authorization app): the names, fields and exceptions below are
what other apps code against. Keep them; add to them freely.
"""

from __future__ import annotations

from dataclasses import dataclass

from bankcore.errors import DomainError


class ProductNotFound(DomainError):
    code = "product_not_found"
    http_status = 404
    default_message = "No product has this product code."


class AccountNotFound(DomainError):
    code = "account_not_found"
    http_status = 404
    default_message = "No account has this account number."


@dataclass(frozen=True, slots=True)
class ProductFacts:
    product_code: str
    version: int  # the active version
    name: str
    line: str  # "demand_deposit" | "time_deposit" | "loan" | "internal_account" (extensible)
    status: str  # "draft" | "active" | "suspended" | "retired"
    customer_types: tuple[str, ...]  # customer types allowed by the usage controls


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the trigger model needs to know about an account and its product."""

    account_no: str
    customer_no: str
    product_code: str
    product_version: int  # the version the account was opened on
    product_line: str
    currency: str  # ISO 4217
    status: str  # "active" | "frozen" | "closed"
    early_withdrawals_allowed: int | None  # None = the product sets no limit / not applicable
    early_withdrawals_used: int


def product_facts(*, product_code: str) -> ProductFacts:
    """The product's active version. Raises ProductNotFound."""
    raise NotImplementedError("Built by the products issue.")


def account_facts(*, account_no: str) -> AccountFacts:
    """Raises AccountNotFound."""
    raise NotImplementedError("Built by the products issue.")


def negotiated_parameters(*, product_code: str, parameter_values: dict[str, str]) -> tuple[str, ...]:
    """Codes of the given opening parameter values that lie inside the product's negotiable
    range but outside its free bounds: opening an account with them needs authorization.
    Values that are simply valid, or that are refused outright, are not listed (refusal is
    account opening's business). Raises ProductNotFound."""
    raise NotImplementedError("Built by the products issue.")
