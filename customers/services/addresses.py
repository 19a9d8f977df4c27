"""Postal addresses of a customer."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from customers.models import Address, AddressKind, Customer, CustomerChangeAction
from customers.services._common import classified_row_add, classified_row_remove, full_clean
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
    if address.kind not in AddressKind.values:
        message = _("Unknown address kind.")
        raise CustomerFieldsInvalid(message, fields={"kind": [message]})
    return classified_row_add(
        customer=customer,
        save=lambda: address_save(customer=customer, address=address),
        action=CustomerChangeAction.ADDRESS_ADDED,
        added_by=added_by,
        now=now,
        added=lambda row: {row.kind: row.line},
    )


def address_remove(
    *, customer: Customer, address_id: int, removed_by, now: dt.datetime | None = None
) -> None:
    """Remove one of the customer's addresses (ClassifiedRowNotFound, 404, if not theirs)."""
    classified_row_remove(
        customer=customer,
        rows=customer.addresses,
        row_id=address_id,
        action=CustomerChangeAction.ADDRESS_REMOVED,
        removed_by=removed_by,
        now=now,
        removed=lambda row: {row.kind: row.line},
    )
