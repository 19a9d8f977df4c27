"""ID documents: building and checking one, registering it (one identity per person even
under a race), adding another to a customer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import (
    Customer,
    CustomerChangeAction,
    CustomerDocument,
    CustomerType,
    DocumentHolderKind,
    DocumentIdentity,
    DocumentType,
    PersonalCustomer,
)
from customers.services._common import change_record, customer_lock, full_clean, now_or_clock
from customers.services._resident_id import resident_id_agreement
from customers.services.errors import (
    CustomerFieldsInvalid,
    DocumentAlreadyRegistered,
    DocumentTypeNotAllowed,
)
from customers.validation import document_identity_key, document_number_normalise


@dataclass(frozen=True, slots=True)
class DocumentInput:
    document_type_code: str
    number: str
    expiry_date: dt.date | None = None  # None = long-term
    issue_date: dt.date | None = None
    issuing_authority: str = ""


def _document_type(code: str, *, field: str = "document_type") -> DocumentType:
    document_type = DocumentType.objects.filter(code=code, is_active=True).first()
    if document_type is None:
        message = _("Unknown document type.")
        raise DocumentTypeNotAllowed(message, fields={field: [message]})
    return document_type


def document_build(
    *, customer: Customer, document: DocumentInput, is_opening: bool, now: dt.datetime
) -> CustomerDocument:
    document_type = _document_type(document.document_type_code)
    if document_type.holder_kind not in (DocumentHolderKind.ANY, customer.customer_type):
        message = _("A %(type)s customer cannot hold this document type.") % {
            "type": customer.get_customer_type_display()
        }
        raise DocumentTypeNotAllowed(message, fields={"document_type": [message]})
    number = document_number_normalise(
        validator=document_type.validator, number=document.number, today=timezone.localdate(now)
    )
    row = CustomerDocument(
        customer=customer,
        document_type=document_type,
        number=number,
        issuing_authority=document.issuing_authority,
        issue_date=document.issue_date,
        expiry_date=document.expiry_date,
        is_opening_document=is_opening,
        created_at=now,
    )
    full_clean(row, exclude=["customer"])
    if row.issue_date and row.expiry_date and row.expiry_date < row.issue_date:
        message = _("The expiry date is before the issue date.")
        raise CustomerFieldsInvalid(message, fields={"expiry_date": [message]})
    return row


def document_save(row: CustomerDocument) -> CustomerDocument:
    """Insert, turning a number already registered into a 409 even under a race: the unique
    (type, number) constraint, and the identity key (a resident ID number is one identity
    whatever document type carries it, so it cannot open a second customer under another
    type; the same customer may register it on several documents)."""
    key = document_identity_key(
        validator=row.document_type.validator,
        document_type_code=row.document_type.code,
        number=row.number,
    )
    holder = (
        DocumentIdentity.objects.filter(identity_key=key)
        .values_list("customer_id", flat=True)
        .first()
    )
    taken = CustomerDocument.objects.filter(
        document_type=row.document_type, number=row.number
    ).exists()
    if not taken and holder in (None, row.customer_id):
        try:
            with transaction.atomic():
                if holder is None:
                    DocumentIdentity.objects.create(identity_key=key, customer=row.customer)
                row.save()
                return row
        except IntegrityError:
            pass
    if not taken and key.startswith("RID:"):
        message = _(
            "This resident ID number (%(number)s) is already registered to another customer."
        ) % {"number": row.number}
    else:
        message = _("This %(type)s (%(number)s) is already registered to another customer.") % {
            "type": row.document_type.name,
            "number": row.number,
        }
    raise DocumentAlreadyRegistered(message, fields={"number": [message]})


def document_add(
    *,
    customer: Customer,
    document: DocumentInput,
    added_by,
    now: dt.datetime | None = None,
    make_opening_document: bool = False,
) -> CustomerDocument:
    """Register another ID document for the customer (optionally as the new account-opening
    document, which clears the flag on the old one). Raises as `personal_customer_create`."""
    now = now_or_clock(now)
    with transaction.atomic():
        customer_lock(customer)
        row = document_build(
            customer=customer, document=document, is_opening=make_opening_document, now=now
        )
        if (
            customer.customer_type == CustomerType.PERSONAL
            and row.document_type.validator == "resident_id"
        ):
            _document_agrees_with_person(customer=customer, number=row.number)
        if make_opening_document:
            customer.documents.filter(is_opening_document=True).update(is_opening_document=False)
        document_save(row)
        change_record(
            customer=customer,
            action=CustomerChangeAction.DOCUMENT_ADDED,
            changed_by=added_by,
            now=now,
            changes={
                "document": (None, f"{row.document_type.code}:{row.number}"),
                "expiry_date": (None, row.expiry_date),
                "is_opening_document": (None, row.is_opening_document),
            },
        )
    return row


def _document_agrees_with_person(*, customer: Customer, number: str) -> None:
    person = PersonalCustomer.objects.filter(customer=customer).first()
    try:
        resident_id_agreement(
            number=number,
            birth_date=person.birth_date if person else None,
            gender=person.gender if person else None,
        )
    except CustomerFieldsInvalid as exc:
        message = _(
            "This resident ID number does not agree with the customer's recorded birth date "
            "or gender: %(details)s"
        ) % {"details": " ".join(m for messages in exc.fields.values() for m in messages)}
        raise CustomerFieldsInvalid(message, fields={"number": [message]}) from None
