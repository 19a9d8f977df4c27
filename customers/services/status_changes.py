"""Status changes under four eyes: one person requests, a branch supervisor other than the
requester approves or rejects."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bankcore.scoping import user_can_see_unit
from customers.models import (
    Customer,
    CustomerChangeAction,
    CustomerStatus,
    CustomerStatusChange,
    StatusChangeState,
)
from customers.services._common import change_record, now_or_clock
from customers.services.errors import (
    CustomerFieldsInvalid,
    SecondPersonRequired,
    StatusChangeNotAllowed,
    StatusChangeNotFound,
    StatusChangePending,
    StatusChangeStateConflict,
)


def status_change_request(
    *,
    customer: Customer,
    to_status: str,
    reason: str,
    requested_by,
    now: dt.datetime | None = None,
) -> CustomerStatusChange:
    """Ask for the customer's status to change (close, reopen, make dormant). Nothing changes
    until a branch supervisor other than `requested_by` approves (`status_change_approve`).
    Raises CustomerFieldsInvalid (400 on `to_status` / `reason`), StatusChangePending (409)
    when one is already waiting."""
    now = now_or_clock(now)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if to_status not in CustomerStatus.values:
        errors["to_status"] = [_("Unknown status.")]
    elif to_status == customer.status:
        errors["to_status"] = [_("The customer already has this status.")]
    if not reason:
        errors["reason"] = [_("Say why the status changes.")]
    if errors:
        raise CustomerFieldsInvalid(fields=errors)
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        if locked.status_changes.filter(state=StatusChangeState.PENDING).exists():
            raise StatusChangePending()
        if to_status == locked.status:
            message = _("The customer already has this status.")
            raise CustomerFieldsInvalid(message, fields={"to_status": [message]})
        try:
            with transaction.atomic():
                return CustomerStatusChange.objects.create(
                    customer=locked,
                    from_status=locked.status,
                    to_status=to_status,
                    reason=reason,
                    requested_by=requested_by,
                    requested_at=now,
                )
        except IntegrityError:  # a concurrent request won the one-pending constraint
            raise StatusChangePending() from None


def _status_change_for_decision(*, customer: Customer, status_change_id: int, decided_by):
    """The pending change, row-locked, once `decided_by` is known to be a second person
    allowed to decide it."""
    change = (
        CustomerStatusChange.objects.select_for_update()
        .select_related("customer__home_branch")
        .filter(pk=status_change_id, customer=customer)
        .first()
    )
    if change is None:
        raise StatusChangeNotFound()
    if not decided_by.has_perm("customers.approve_customerstatuschange") or not (
        user_can_see_unit(decided_by, change.customer.home_branch)
    ):
        raise StatusChangeNotAllowed()
    if change.requested_by_id == decided_by.pk:
        raise SecondPersonRequired()
    if change.state != StatusChangeState.PENDING:
        raise StatusChangeStateConflict()
    return change


def status_change_approve(
    *,
    customer: Customer,
    status_change_id: int,
    approved_by,
    comment: str = "",
    now: dt.datetime | None = None,
) -> CustomerStatusChange:
    """A branch supervisor of the customer's branch (not the requester) approves: the status
    changes and the change history names both. Raises StatusChangeNotFound (404),
    StatusChangeNotAllowed / SecondPersonRequired (403), StatusChangeStateConflict (409, also
    when the customer's status moved since the request)."""
    now = now_or_clock(now)
    with transaction.atomic():
        change = _status_change_for_decision(
            customer=customer, status_change_id=status_change_id, decided_by=approved_by
        )
        locked = Customer.objects.select_for_update().get(pk=change.customer_id)
        if locked.status != change.from_status:
            raise StatusChangeStateConflict(
                _("The customer's status changed since the request; request again.")
            )
        CustomerStatusChange.objects.filter(pk=change.pk).update(
            state=StatusChangeState.APPROVED,
            decided_by=approved_by,
            decided_at=now,
            decision_comment=(comment or "").strip(),
        )
        locked.status = change.to_status
        locked.updated_at = now
        locked.save(update_fields=["status", "updated_at"])
        change_record(
            customer=locked,
            action=CustomerChangeAction.UPDATED,
            changed_by=approved_by,
            now=now,
            changes={
                "status": (change.from_status, change.to_status),
                "requested_by": (None, change.requested_by.get_username()),
            },
        )
    change.refresh_from_db()
    return change


def status_change_reject(
    *,
    customer: Customer,
    status_change_id: int,
    rejected_by,
    comment: str,
    now: dt.datetime | None = None,
) -> CustomerStatusChange:
    """A branch supervisor of the customer's branch (not the requester) rejects, saying why
    (400 on `comment` without one). Raises as `status_change_approve`."""
    now = now_or_clock(now)
    comment = (comment or "").strip()
    if not comment:
        message = _("Say why the change is rejected.")
        raise CustomerFieldsInvalid(message, fields={"comment": [message]})
    with transaction.atomic():
        change = _status_change_for_decision(
            customer=customer, status_change_id=status_change_id, decided_by=rejected_by
        )
        CustomerStatusChange.objects.filter(pk=change.pk).update(
            state=StatusChangeState.REJECTED,
            decided_by=rejected_by,
            decided_at=now,
            decision_comment=comment,
        )
    change.refresh_from_db()
    return change
