"""Changing a customer's index and basic-info fields (not its status: see status_changes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from customers.models import Customer, CustomerChangeAction, CustomerType
from customers.services._common import change_record, full_clean, industry_get, now_or_clock
from customers.services._resident_id import resident_id_fields_check
from customers.services.errors import CustomerFieldsInvalid, StatusChangeNeedsApproval
from customers.validation import name_check

INDEX_FIELDS = ("status", "home_branch")


BASIC_FIELDS = {
    CustomerType.PERSONAL: (
        "name",
        "vip_level",
        "is_domestic",
        "is_employee",
        "gender",
        "birth_date",
        "nationality",
    ),
    CustomerType.CORPORATE: (
        "name",
        "industry_code",
        "economic_type",
        "registration_region_code",
        "is_interbank",
        "is_domestic",
    ),
    CustomerType.INTERNAL: ("name", "purpose"),
}


def customer_update(
    *, customer: Customer, changes: Mapping[str, Any], changed_by, now: dt.datetime | None = None
) -> Customer:
    """Change index and basic-info fields of a customer. `changes` holds only the fields to
    change (`home_branch` an OrgUnit, `industry_code` a code). Fields that the customer's
    type does not have are refused (400 naming them). A different status is refused
    (StatusChangeNeedsApproval, 400 on `status`): it goes through `status_change_request`
    and a supervisor's approval. Records what changed."""
    now = now_or_clock(now)
    allowed = set(INDEX_FIELDS) | set(BASIC_FIELDS[customer.customer_type])
    unknown = sorted(set(changes) - allowed)
    if unknown:
        message = _("Not a field of a %(type)s customer.") % {
            "type": customer.get_customer_type_display()
        }
        raise CustomerFieldsInvalid(message, fields={name: [message] for name in unknown})
    with transaction.atomic():
        locked = (
            Customer.objects.with_basic_info().select_for_update(of=("self",)).get(pk=customer.pk)
        )
        basic = locked.basic
        diff: dict[str, tuple[Any, Any]] = {}
        for name, value in changes.items():
            if name == "status":
                if value == locked.status:
                    continue
                message = str(StatusChangeNeedsApproval.default_message)
                raise StatusChangeNeedsApproval(message, fields={"status": [message]})
            if name == "home_branch":
                target, attr = locked, "home_branch"
            elif name == "industry_code":
                target, attr, value = basic, "industry", industry_get(value)
            else:
                target, attr = basic, name
                if isinstance(value, str):
                    value = value.strip()
                if name == "name":
                    name_check(value)
            old = getattr(target, attr)
            if old != value:
                setattr(target, attr, value)
                diff[name] = (old, value)
        if diff and {"birth_date", "gender"} & set(diff):
            resident_id_fields_check(customer=locked, basic=basic, changed=set(diff))
        if diff:
            full_clean(basic, exclude=["customer"])
            basic.save()
            locked.updated_at = now
            locked.save(update_fields=["status", "home_branch", "updated_at"])
            change_record(
                customer=locked,
                action=CustomerChangeAction.UPDATED,
                changed_by=changed_by,
                now=now,
                changes=diff,
            )
    return locked
