"""Relationships between customers (legal representative, guarantor, family, ...)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bankcore.scoping import user_can_see_unit
from customers.models import Customer, CustomerChangeAction, CustomerRelationship, RelationshipKind
from customers.services._common import (
    change_record,
    classified_row_remove,
    customer_lock,
    full_clean,
    now_or_clock,
)
from customers.services.errors import (
    CustomerFieldsInvalid,
    RelatedCustomerNotFound,
    RelationshipAlreadyRecorded,
)
from customers.validation import customer_no_check


def relationship_add(
    *,
    customer: Customer,
    related_customer: Customer,
    kind: str,
    added_by,
    now: dt.datetime | None = None,
    start_date: dt.date | None = None,
) -> CustomerRelationship:
    """Record that `related_customer` is the `kind` (legal representative, guarantor, …) of
    `customer`. The two must differ (400 on `related_customer_no`); the same relationship
    twice is RelationshipAlreadyRecorded (409), also under a race."""
    now = now_or_clock(now)
    if customer.pk == related_customer.pk:
        message = _("A customer cannot be related to itself.")
        raise CustomerFieldsInvalid(message, fields={"related_customer_no": [message]})
    if kind not in RelationshipKind.values:
        message = _("Unknown relationship kind.")
        raise CustomerFieldsInvalid(message, fields={"kind": [message]})
    row = CustomerRelationship(
        customer=customer, related_customer=related_customer, kind=kind, start_date=start_date
    )
    full_clean(row, exclude=["customer", "related_customer"])
    with transaction.atomic():
        customer_lock(customer)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            message = _("%(name)s is already recorded as %(kind)s of this customer.") % {
                "name": related_customer.name or related_customer.customer_no,
                "kind": row.get_kind_display().lower(),
            }
            raise RelationshipAlreadyRecorded(
                message, fields={"related_customer_no": [message]}
            ) from None
        change_record(
            customer=customer,
            action=CustomerChangeAction.RELATIONSHIP_ADDED,
            changed_by=added_by,
            now=now,
            changes={kind: (None, related_customer.customer_no)},
        )
    return row


def relationship_add_by_customer_no(
    *,
    customer: Customer,
    related_customer_no: str,
    kind: str,
    added_by,
    now: dt.datetime | None = None,
    start_date: dt.date | None = None,
) -> CustomerRelationship:
    """`relationship_add` with the other customer given by number, as staff and integrators
    type it. The number's check digit is verified first (CustomerNoInvalid); a customer that
    does not exist, or that `added_by` may not see (outside their branch subtree), is
    RelatedCustomerNotFound (400 on `related_customer_no`): no existence leak."""
    field = "related_customer_no"
    number = customer_no_check(related_customer_no, field=field)
    related = Customer.objects.with_basic_info().filter(customer_no=number).first()
    if related is None or (
        getattr(added_by, "pk", None) and not user_can_see_unit(added_by, related.home_branch)
    ):
        message = _("No customer with this number in your branch.")
        raise RelatedCustomerNotFound(message, fields={field: [message]})
    return relationship_add(
        customer=customer,
        related_customer=related,
        kind=kind,
        added_by=added_by,
        now=now,
        start_date=start_date,
    )


def relationship_remove(
    *, customer: Customer, relationship_id: int, removed_by, now: dt.datetime | None = None
) -> None:
    """End a relationship of the customer (ClassifiedRowNotFound, 404, if not theirs)."""
    classified_row_remove(
        customer=customer,
        rows=customer.relationships.select_related("related_customer"),
        row_id=relationship_id,
        action=CustomerChangeAction.RELATIONSHIP_REMOVED,
        removed_by=removed_by,
        now=now,
        removed=lambda row: {row.kind: row.related_customer.customer_no},
    )
