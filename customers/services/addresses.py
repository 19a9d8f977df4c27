"""Postal addresses of a customer."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from customers.models import Address, AddressKind, Customer, CustomerChangeAction
from customers.services._common import (
    change_record,
    classified_row,
    customer_lock,
    full_clean,
    now_or_clock,
)
from customers.services.errors import CustomerFieldsInvalid


@dataclass(frozen=True, slots=True)
class AddressInput:
    kind: str
    line: str
    region_code: str = ""
    postal_code: str = ""
    country: str = "CHN"


def address_save(*, customer: Customer, address: AddressInput) -> Address:
    row = Address(
        customer=customer,
        kind=address.kind,
        line=address.line.strip(),
        region_code=address.region_code.strip(),
        postal_code=address.postal_code.strip(),
        country=address.country.strip().upper(),
    )
    full_clean(row, exclude=["customer"])
    if row.country == "CHN" and row.postal_code and not re.fullmatch(r"[0-9]{6}", row.postal_code):
        message = _("A mainland postal code has 6 digits.")
        raise CustomerFieldsInvalid(message, fields={"postal_code": [message]})
    row.save()
    return row


def address_add(
    *, customer: Customer, address: AddressInput, added_by, now: dt.datetime | None = None
) -> Address:
    """Add a postal address (kind, country ISO 3166 alpha-3, GB/T 2260 region code)."""
    now = now_or_clock(now)
    if address.kind not in AddressKind.values:
        message = _("Unknown address kind.")
        raise CustomerFieldsInvalid(message, fields={"kind": [message]})
    with transaction.atomic():
        customer_lock(customer)
        row = address_save(customer=customer, address=address)
        change_record(
            customer=customer,
            action=CustomerChangeAction.ADDRESS_ADDED,
            changed_by=added_by,
            now=now,
            changes={row.kind: (None, row.line)},
        )
    return row


def address_remove(
    *, customer: Customer, address_id: int, removed_by, now: dt.datetime | None = None
) -> None:
    """Remove one of the customer's addresses (ClassifiedRowNotFound, 404, if not theirs)."""
    now = now_or_clock(now)
    with transaction.atomic():
        customer_lock(customer)
        row = classified_row(customer.addresses, address_id)
        row.delete()
        change_record(
            customer=customer,
            action=CustomerChangeAction.ADDRESS_REMOVED,
            changed_by=removed_by,
            now=now,
            changes={row.kind: (row.line, None)},
        )
