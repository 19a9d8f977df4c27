"""The fact catalogue: every field a condition may name, with its value kind.

A condition names `elements.<name>` (an element the transaction declares) or a fact below.
Each fact is one declaration (path, kind, source, label, how its value is read); the evaluate
service fetches one record per source the compiled rules of that transaction code reference
and reads every fact of that source from it. Adding a fact of an existing source is one
`Fact(...)` line (plus the field on the source's record if the record lacks it).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

# Value kinds a field can have, and the operators each accepts.
MONEY = "money"
DECIMAL = "decimal"
INTEGER = "integer"
STRING = "string"
BOOLEAN = "boolean"
DATE = "date"
OBJECT = "object"

ORDERED_OPS = ("eq", "ne", "gt", "gte", "lt", "lte")
OPERATORS_BY_KIND: dict[str, tuple[str, ...]] = {
    MONEY: (*ORDERED_OPS, "is_set"),
    DECIMAL: (*ORDERED_OPS, "in", "not_in", "is_set"),
    INTEGER: (*ORDERED_OPS, "in", "not_in", "is_set"),
    STRING: ("eq", "ne", "in", "not_in", "starts_with", "is_set"),
    BOOLEAN: ("eq", "ne", "is_set"),
    DATE: (*ORDERED_OPS, "is_set"),
    OBJECT: ("is_set",),
}
ALL_OPERATORS = frozenset(op for ops in OPERATORS_BY_KIND.values() for op in ops)

# Element types of the transaction catalogue → value kind.
ELEMENT_KINDS: dict[str, str] = {
    "money": MONEY,
    "decimal": DECIMAL,
    "integer": INTEGER,
    "string": STRING,
    "boolean": BOOLEAN,
    "date": DATE,
    "customer_no": STRING,
    "account_no": STRING,
    "product_code": STRING,
    "parameters": OBJECT,
}


# Where a fact's value comes from. The evaluate service fetches one record per source the
# rules of a transaction code reference (authorization.services.facts: the transaction itself,
# the customer's profile, the account, the product, the teller's user, the clock), and each
# fact of that source reads its value from that record.
TRANSACTION = "transaction"
CUSTOMER = "customer"
ACCOUNT = "account"
PRODUCT = "product"
TELLER = "teller"
TIME = "time"
SOURCES = (TRANSACTION, CUSTOMER, ACCOUNT, PRODUCT, TELLER, TIME)


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact a condition may name, declared once: its path, value kind, source, the label
    a person reads (in conditions, explanations and the condition builder), a longer help
    text, the catalogue its values come from (a key of FIXED_VALUES or of TABLE_CATALOGUES,
    for the builder's pickers and the sentences that name values; empty when any value of its
    kind may be typed) and how its value is read from
    the source's record: the name of an attribute of the record (by default the last part of
    the path) or a function of the record."""

    path: str
    kind: str
    source: str
    label: Any
    description: Any = ""
    choices: str = ""
    read: str | Callable[[Any], Any] = ""
    value_of: Callable[[Any], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        read = self.read or self.path.rsplit(".", 1)[-1]
        object.__setattr__(self, "value_of", read if callable(read) else operator.attrgetter(read))
        if not self.description:
            object.__setattr__(self, "description", self.label)


def _early_withdrawals_exhausted(account) -> bool:
    allowed = account.early_withdrawals_allowed
    return allowed is not None and account.early_withdrawals_used >= allowed


FACTS: dict[str, Fact] = {
    fact.path: fact
    for fact in (
        # The transaction (its record: what the channel sent).
        Fact(
            "transaction.code",
            STRING,
            TRANSACTION,
            _("Transaction"),
            _("Transaction code"),
            "transaction",
            read="transaction_code",
        ),
        Fact(
            "transaction.channel",
            STRING,
            TRANSACTION,
            _("Channel"),
            _("Channel (trigger system) code"),
            "channel",
            read="channel",
        ),
        Fact(
            "transaction.branch",
            STRING,
            TRANSACTION,
            _("Branch"),
            _("Branch code where it is done"),
            "branch",
            read=lambda transaction: transaction.branch_code or None,
        ),
        # The customer (customers' profile of the customer the transaction names, or the
        # account's holder).
        Fact(
            "customer.customer_type",
            STRING,
            CUSTOMER,
            _("Customer type"),
            _("personal / corporate / internal"),
            "customer_type",
        ),
        Fact(
            "customer.status",
            STRING,
            CUSTOMER,
            _("Customer status"),
            _("active / dormant / closed"),
            "customer_status",
        ),
        Fact("customer.vip_level", INTEGER, CUSTOMER, _("VIP level"), _("VIP level, 0 = not VIP")),
        Fact("customer.is_employee", BOOLEAN, CUSTOMER, _("Internal employee")),
        Fact("customer.is_interbank", BOOLEAN, CUSTOMER, _("Interbank (同业) customer")),
        Fact("customer.is_domestic", BOOLEAN, CUSTOMER, _("Domestic customer")),
        Fact("customer.has_expired_document", BOOLEAN, CUSTOMER, _("Any ID document expired")),
        Fact(
            "customer.opening_document_expired",
            BOOLEAN,
            CUSTOMER,
            _("Account-opening document expired"),
        ),
        Fact(
            "customer.home_branch",
            STRING,
            CUSTOMER,
            _("Customer's home branch"),
            _("Home branch code"),
            "branch",
            read="home_branch_code",
        ),
        # The account (products' facts of the account the transaction names).
        Fact(
            "account.product_code",
            STRING,
            ACCOUNT,
            _("Product of the account"),
            choices="product",
        ),
        Fact(
            "account.product_line",
            STRING,
            ACCOUNT,
            _("Product line of the account"),
            choices="product_line",
        ),
        Fact("account.currency", STRING, ACCOUNT, _("Account currency"), choices="currency"),
        Fact(
            "account.status",
            STRING,
            ACCOUNT,
            _("Account status"),
            _("active / frozen / closed"),
            "account_status",
        ),
        Fact(
            "account.early_withdrawals_allowed",
            INTEGER,
            ACCOUNT,
            _("Early withdrawals allowed"),
            _("Early withdrawals the product allows (missing = no limit)"),
        ),
        Fact("account.early_withdrawals_used", INTEGER, ACCOUNT, _("Early withdrawals used")),
        Fact(
            "account.early_withdrawals_exhausted",
            BOOLEAN,
            ACCOUNT,
            _("The allowed early withdrawals are all used"),
            read=_early_withdrawals_exhausted,
        ),
        # The product (the transaction's product, or the account's).
        Fact("product.line", STRING, PRODUCT, _("Product line"), choices="product_line"),
        Fact("product.status", STRING, PRODUCT, _("Product status"), choices="product_status"),
        Fact(
            "product.has_negotiated_parameters",
            BOOLEAN,
            PRODUCT,
            _("Negotiated opening parameters"),
            _("Opening parameters inside the negotiable range but outside the free bounds"),
        ),
        # The teller who acted (their user record).
        Fact(
            "teller.level",
            INTEGER,
            TELLER,
            _("Teller's authorization level"),
            _("Teller's authorization level (0 = none)"),
        ),
        # The clock, in the bank's time zone and calendar.
        Fact("time.hour", INTEGER, TIME, _("Hour of day"), _("Hour of day, 0-23 (Asia/Shanghai)")),
        Fact(
            "time.weekday",
            INTEGER,
            TIME,
            _("Day of week"),
            _("Day of week, 1 = Monday … 7 = Sunday"),
        ),
        Fact(
            "time.is_business_day",
            BOOLEAN,
            TIME,
            _("Business day"),
            _("Monday to Friday, except the bank's calendar (holidays, make-up working days)"),
        ),
    )
}

# Per source, the facts it gives: (path, how the value is read from the source's record).
FACTS_BY_SOURCE: dict[str, tuple[tuple[str, Callable[[Any], Any]], ...]] = {
    source: tuple((f.path, f.value_of) for f in FACTS.values() if f.source == source)
    for source in SOURCES
}


# Element types whose values come from a catalogue (the condition builder offers them).
ELEMENT_CHOICES: dict[str, str] = {"product_code": "product"}

# Catalogues whose values a table holds (authorization.value_names reads their names): the
# version's transactions and channels, the bank's branches, the products and product lines.
# Currencies are ISO codes and read as such ("CNY" is what staff write and read, in either
# language), so they are named by no table.
TABLE_CATALOGUES = ("transaction", "channel", "branch", "product", "product_line")

# Value sets the facts above take that no table holds: what the evaluate service puts in
# the fact (the customer's and account's records say the same words).
FIXED_VALUES: dict[str, tuple[tuple[str, str], ...]] = {
    "customer_type": (
        ("personal", _("Personal")),
        ("corporate", _("Corporate")),
        ("internal", _("Internal")),
    ),
    "customer_status": (
        ("active", _("Active")),
        ("dormant", _("Dormant")),
        ("closed", _("Closed")),
    ),
    "account_status": (
        ("pending_authorization", _("Pending authorization")),
        ("active", _("Active")),
        ("frozen", _("Frozen")),
        ("closed", _("Closed")),
        ("refused", _("Refused by authorization")),
    ),
    "product_status": (
        ("draft", _("Draft")),
        ("active", _("Active")),
        ("suspended", _("Suspended")),
        ("retired", _("Retired")),
    ),
}


def value_catalogue(path: str, elements: Mapping[str, str] | None = None) -> str:
    """The catalogue the values of `path` come from ("" when any value may be typed):
    the fact's, or the element type's (`elements`: name → element type of the transaction)."""
    if path.startswith("elements."):
        return ELEMENT_CHOICES.get((elements or {}).get(path[9:], ""), "")
    fact = FACTS.get(path)
    return fact.choices if fact is not None else ""


def field_source(path: str) -> str:
    if path.startswith("elements."):
        return "elements"
    return FACTS[path].source
