"""The fact catalogue: every field a condition may name, with its value kind.

A condition names `elements.<name>` (an element the transaction declares) or a derived fact
below. Derived facts are gathered by the evaluate service from their source (customers and
products selectors, the teller's user record, the clock), and only for the sources the
compiled rules of that transaction code reference.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Fact:
    path: str
    kind: str
    source: str  # "transaction" | "customer" | "account" | "product" | "teller" | "time"
    description: str
    # The catalogue its values come from (a key of VALUE_CATALOGUES), for the condition
    # builder's pickers; empty when any value of its kind may be typed.
    choices: str = ""


FACTS: dict[str, Fact] = {
    fact.path: fact
    for fact in (
        Fact("transaction.code", STRING, "transaction", _("Transaction code"), "transaction"),
        Fact(
            "transaction.channel",
            STRING,
            "transaction",
            _("Channel (trigger system) code"),
            "channel",
        ),
        Fact(
            "transaction.branch", STRING, "transaction", _("Branch code where it is done"), "branch"
        ),
        Fact(
            "customer.customer_type",
            STRING,
            "customer",
            _("personal / corporate / internal"),
            "customer_type",
        ),
        Fact(
            "customer.status", STRING, "customer", _("active / dormant / closed"), "customer_status"
        ),
        Fact("customer.vip_level", INTEGER, "customer", _("VIP level, 0 = not VIP")),
        Fact("customer.is_employee", BOOLEAN, "customer", _("Internal employee")),
        Fact("customer.is_interbank", BOOLEAN, "customer", _("Interbank (同业) customer")),
        Fact("customer.is_domestic", BOOLEAN, "customer", _("Domestic customer")),
        Fact("customer.has_expired_document", BOOLEAN, "customer", _("Any ID document expired")),
        Fact(
            "customer.opening_document_expired",
            BOOLEAN,
            "customer",
            _("Account-opening document expired"),
        ),
        Fact("customer.home_branch", STRING, "customer", _("Home branch code"), "branch"),
        Fact("account.product_code", STRING, "account", _("Product of the account"), "product"),
        Fact(
            "account.product_line",
            STRING,
            "account",
            _("Product line of the account"),
            "product_line",
        ),
        Fact("account.currency", STRING, "account", _("Account currency"), "currency"),
        Fact("account.status", STRING, "account", _("active / frozen / closed"), "account_status"),
        Fact(
            "account.early_withdrawals_allowed",
            INTEGER,
            "account",
            _("Early withdrawals the product allows (missing = no limit)"),
        ),
        Fact("account.early_withdrawals_used", INTEGER, "account", _("Early withdrawals used")),
        Fact(
            "account.early_withdrawals_exhausted",
            BOOLEAN,
            "account",
            _("The allowed early withdrawals are all used"),
        ),
        Fact("product.line", STRING, "product", _("Product line"), "product_line"),
        Fact("product.status", STRING, "product", _("Product status"), "product_status"),
        Fact(
            "product.has_negotiated_parameters",
            BOOLEAN,
            "product",
            _("Opening parameters inside the negotiable range but outside the free bounds"),
        ),
        Fact("teller.level", INTEGER, "teller", _("Teller's authorization level (0 = none)")),
        Fact("time.hour", INTEGER, "time", _("Hour of day, 0-23 (Asia/Shanghai)")),
        Fact("time.weekday", INTEGER, "time", _("Day of week, 1 = Monday … 7 = Sunday")),
        Fact(
            "time.is_business_day",
            BOOLEAN,
            "time",
            _("Monday to Friday, except the bank's calendar (holidays, make-up working days)"),
        ),
    )
}

# Element types whose values come from a catalogue (the condition builder offers them).
ELEMENT_CHOICES: dict[str, str] = {"product_code": "product"}

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

SOURCES_NEEDING_LOOKUP = ("customer", "account", "product", "teller", "time")


def field_source(path: str) -> str:
    if path.startswith("elements."):
        return "elements"
    return FACTS[path].source
