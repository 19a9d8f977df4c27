"""What other apps may call in the customers app (the only module they import).

Functions here answer frozen dataclasses and plain values, never model instances or querysets:
the customers app keeps its rows, querysets and page helpers to itself. A customer is named by
its number; a lookup with `user` answers a customer outside the user's branch scope exactly as
an unknown number (CustomerNotFound). customer_profile and customer_summary are the selectors'
own (they answer plain facts already), named here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from bankcore.ports import CustomerNotFound, CustomerSummary
from customers import selectors, services
from customers.selectors import CustomerProfile, customer_profile, customer_summary
from customers.validation import CustomerNoInvalid

__all__ = [
    "CustomerNoInvalid",
    "CustomerNotFound",
    "CustomerProfile",
    "CustomerSummary",
    "CustomerValues",
    "customer_change_check",
    "customer_profile",
    "customer_summary",
    "customer_update",
    "customer_values",
]


@dataclass(frozen=True, slots=True)
class CustomerValues:
    """Some fields of one customer as they stand: index and basic-information fields by name
    (as `customers.services.customer_update` names them); a related row (home_branch,
    industry_code) by its code; other values as stored (str, date, Decimal, bool or None)."""

    customer_no: str
    values: Mapping[str, Any]


def _code(row: Any) -> str | None:
    if row is None:
        return None
    code = getattr(row, "code", None)
    return code if isinstance(code, str) else str(row)


def _values(customer, names: Iterable[str]) -> CustomerValues:
    basic = customer.basic
    values: dict[str, Any] = {}
    for name in names:
        if name == "home_branch":
            values[name] = _code(customer.home_branch)
        elif name == "industry_code":
            values[name] = _code(getattr(basic, "industry", None))
        else:
            values[name] = getattr(basic, name, None)
    return CustomerValues(customer_no=customer.customer_no, values=values)


def customer_values(*, customer_no: str, names: Iterable[str], user) -> CustomerValues:
    """The named fields' current values of a customer `user` may see (one query).
    Raises CustomerNotFound."""
    customer = selectors.customer_for_user(user=user, customer_no=customer_no)
    return _values(customer, names)


class _DryRun(Exception):
    pass


def customer_change_check(
    *, customer_no: str, changes: Mapping[str, Any], user, now: datetime
) -> CustomerValues:
    """Apply `changes` as `customer_update` would, keep nothing, and answer the changed
    fields' values as they stand (before the change). Raises CustomerNoInvalid for a
    malformed number, CustomerNotFound, or the DomainError the update would raise (its
    `fields` name the refused fields)."""
    customer = selectors.customer_for_user(user=user, customer_no=customer_no)
    current = _values(customer, changes)
    try:
        with transaction.atomic():
            services.customer_update(customer=customer, changes=changes, changed_by=user, now=now)
            raise _DryRun
    except _DryRun:
        pass
    return current


def customer_update(
    *, customer_no: str, changes: Mapping[str, Any], changed_by, now: datetime
) -> CustomerValues:
    """Change index and basic-information fields of a customer `changed_by` may see (see
    `customers.services.customer_update`) and answer the changed fields' new values.
    Raises CustomerNotFound or the update's DomainError."""
    customer = selectors.customer_for_user(user=changed_by, customer_no=customer_no)
    updated = services.customer_update(
        customer=customer, changes=changes, changed_by=changed_by, now=now
    )
    return _values(updated, changes)
