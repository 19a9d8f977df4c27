"""Helpers shared by the customers services (private to the package): the clock, the change
record every write leaves, model validation turned into CustomerFieldsInvalid, row locks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankcore.models import OrgUnit
from customers.models import Customer, CustomerChange, IndustryCode
from customers.services.errors import ClassifiedRowNotFound, CustomerFieldsInvalid


def now_or_clock(now: dt.datetime | None) -> dt.datetime:
    """The caller's `now`, or the clock read once: the one way time enters a service."""
    return now or timezone.now()


def change_record(
    *, customer: Customer, action: str, changed_by, now: dt.datetime, changes: Mapping[str, Any]
) -> CustomerChange:
    return CustomerChange.objects.create(
        customer=customer,
        action=action,
        changed_by=changed_by if getattr(changed_by, "pk", None) else None,
        changed_at=now,
        changes={key: [_jsonable(old), _jsonable(new)] for key, (old, new) in changes.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, OrgUnit):
        return value.code
    if isinstance(value, IndustryCode):
        return value.code
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def full_clean(instance, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except DjangoValidationError as exc:
        fields = {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
        raise CustomerFieldsInvalid(fields=fields) from None


def customer_lock(customer: Customer) -> None:
    """Serialise writes to one customer's classified modules (row lock until commit)."""
    Customer.objects.select_for_update().filter(pk=customer.pk).first()


def classified_row_add(
    *,
    customer: Customer,
    save: Callable[[], Any],
    action: str,
    added_by,
    now: dt.datetime | None,
    added: Callable[[Any], dict[str, Any]],
) -> Any:
    """Insert one row of the customer's classified module (`save()` validates and saves it)
    under the customer's lock, and record `added(row)` (what came: {key: new value})."""
    now = now_or_clock(now)
    with transaction.atomic():
        customer_lock(customer)
        row = save()
        changes = {key: (None, new) for key, new in added(row).items()}
        change_record(
            customer=customer, action=action, changed_by=added_by, now=now, changes=changes
        )
    return row


def classified_row_remove(
    *,
    customer: Customer,
    rows,
    row_id: int,
    action: str,
    removed_by,
    now: dt.datetime | None,
    removed: Callable[[Any], dict[str, Any]],
) -> None:
    """Delete one row of the customer's classified module, under the customer's lock, and
    record `removed(row)` (what went: {key: old value}). ClassifiedRowNotFound (404) when the
    row is not one of this customer's."""
    now = now_or_clock(now)
    with transaction.atomic():
        customer_lock(customer)
        row = rows.select_for_update().filter(pk=row_id).first() if row_id else None
        if row is None:
            raise ClassifiedRowNotFound()
        row.delete()
        changes = {key: (old, None) for key, old in removed(row).items()}
        change_record(
            customer=customer, action=action, changed_by=removed_by, now=now, changes=changes
        )


def industry_get(code: str) -> IndustryCode:
    industry = IndustryCode.objects.filter(code=code, is_active=True).first()
    if industry is None:
        message = _("Unknown industry code (GB/T 4754).")
        raise CustomerFieldsInvalid(message, fields={"industry_code": [message]})
    return industry
