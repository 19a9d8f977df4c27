"""Contact channels (phones, emails) of a customer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from customers.models import ContactChannel, ContactChannelKind, Customer, CustomerChangeAction
from customers.services._common import classified_row_add, classified_row_remove, full_clean
from customers.services.errors import ContactAlreadyRecorded, CustomerFieldsInvalid
from customers.validation import contact_value_normalise


@dataclass(frozen=True, slots=True)
class ContactInput:
    kind: str
    value: str
    is_primary: bool = False


def contact_save(*, customer: Customer, contact: ContactInput) -> ContactChannel:
    """Validate and insert one contact channel; a new primary one demotes the old primary of
    its kind. A duplicate (same kind and value) is a 409, also under a race."""
    if contact.kind not in ContactChannelKind.values:
        message = _("Unknown contact channel kind.")
        raise CustomerFieldsInvalid(message, fields={"kind": [message]})
    row = ContactChannel(
        customer=customer,
        kind=contact.kind,
        value=contact_value_normalise(kind=contact.kind, value=contact.value),
        is_primary=contact.is_primary,
    )
    full_clean(row, exclude=["customer"])
    if row.is_primary:
        customer.contact_channels.filter(kind=row.kind, is_primary=True).update(is_primary=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        message = _("The customer already has this %(kind)s.") % {
            "kind": row.get_kind_display().lower()
        }
        raise ContactAlreadyRecorded(message, fields={"value": [message]}) from None
    return row


def contact_channel_add(
    *, customer: Customer, contact: ContactInput, added_by, now: dt.datetime | None = None
) -> ContactChannel:
    """Add a phone number or email address. The value is checked and normalised for its
    kind (ContactValueInvalid, 400 on `value`); a duplicate is ContactAlreadyRecorded (409);
    a primary one replaces the customer's previous primary of that kind."""
    return classified_row_add(
        customer=customer,
        save=lambda: contact_save(customer=customer, contact=contact),
        action=CustomerChangeAction.CONTACT_ADDED,
        added_by=added_by,
        now=now,
        added=lambda row: {row.kind: row.value},
    )


def contact_channel_remove(
    *, customer: Customer, contact_channel_id: int, removed_by, now: dt.datetime | None = None
) -> None:
    """Remove one of the customer's contact channels (ClassifiedRowNotFound, 404, if it is
    not one of this customer's)."""
    classified_row_remove(
        customer=customer,
        rows=customer.contact_channels,
        row_id=contact_channel_id,
        action=CustomerChangeAction.CONTACT_REMOVED,
        removed_by=removed_by,
        now=now,
        removed=lambda row: {row.kind: row.value},
    )
