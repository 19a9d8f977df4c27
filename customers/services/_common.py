"""Helpers shared by the customers services (private to the package): the clock, the change
record every write leaves, model validation turned into CustomerFieldsInvalid, row locks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
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


def classified_row(rows, row_id: int):
    row = rows.select_for_update().filter(pk=row_id).first() if row_id else None
    if row is None:
        raise ClassifiedRowNotFound()
    return row


def industry_get(code: str) -> IndustryCode:
    industry = IndustryCode.objects.filter(code=code, is_active=True).first()
    if industry is None:
        message = _("Unknown industry code (GB/T 4754).")
        raise CustomerFieldsInvalid(message, fields={"industry_code": [message]})
    return industry
