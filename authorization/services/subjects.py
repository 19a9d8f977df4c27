"""What a request acts on once decided (its subject), through the other apps' services.

- "account:<account_no>": an account opening waiting for authorization (negotiated product
  parameters or a rule's decision). Approval activates it; rejection, cancellation or expiry
  refuses it (products.services.account_authorization_complete).
- "customer:<customer_no>": a customer-information change. The request carries the old and
  new value of each field (`changes`); approval applies the new values
  (customers.services.customer_update), unless the customer changed meanwhile.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.errors import Conflict, DomainError

# Transactions whose request carries a customer-information change.
CUSTOMER_CHANGE_TRANSACTIONS = frozenset({"CUSTOMER_INFO_CHANGE"})


class CustomerChangeInvalid(DomainError):
    code = "customer_change_invalid"
    default_message = gettext_lazy("The customer-information change is not valid.")


class CustomerChangedMeanwhile(Conflict):
    code = "customer_changed_meanwhile"
    default_message = gettext_lazy(
        "The customer's information changed since the request was submitted: return or "
        "reject the request."
    )


def _plain(value: Any) -> Any:
    """A value as the request stores and shows it (JSON)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    code = getattr(value, "code", None)  # an industry code row, a unit
    return code if isinstance(code, str) else str(value)


def _current_values(customer, fields) -> dict[str, Any]:
    basic = customer.basic
    values = {}
    for name in fields:
        if name == "home_branch":
            values[name] = _plain(customer.home_branch)
        elif name == "industry_code":
            values[name] = _plain(getattr(basic, "industry", None))
        else:
            values[name] = _plain(getattr(basic, name, None))
    return values


class _DryRun(Exception):
    pass


def customer_change_prepare(
    *, customer_no: str, new_values: dict[str, Any], user, now: datetime
) -> tuple[str, dict[str, dict[str, Any]]]:
    """Check a change as customer_update would apply it (nothing is kept) and return the
    subject reference and the difference {field: {"old": …, "new": …}}."""
    from customers import selectors as customer_selectors
    from customers import services as customer_services

    if not new_values:
        raise CustomerChangeInvalid(fields={"changes": [_("Name at least one field to change.")]})
    if "home_branch" in new_values:
        raise CustomerChangeInvalid(
            fields={"changes.home_branch": [_("Moving a customer is not an information change.")]}
        )
    try:
        customer = customer_selectors.customer_for_user(user=user, customer_no=customer_no)
    except customer_selectors.CustomerNotFound:
        raise CustomerChangeInvalid(
            fields={"elements.customer_no": [_("No customer has this customer number.")]}
        ) from None
    old = _current_values(customer, new_values)
    try:
        with transaction.atomic():
            customer_services.customer_update(
                customer=customer, changes=new_values, changed_by=user, now=now
            )
            raise _DryRun
    except _DryRun:
        pass
    except DomainError as error:
        raise CustomerChangeInvalid(
            error.message,
            fields={f"changes.{name}": messages for name, messages in error.fields.items()},
        ) from None
    differences = {
        name: {"old": old[name], "new": _plain(value)}
        for name, value in new_values.items()
        if old[name] != _plain(value)
    }
    if not differences:
        raise CustomerChangeInvalid(
            fields={"changes": [_("Every value named is the customer's current value.")]}
        )
    return f"customer:{customer.customer_no}", differences


def subject_of_evaluation(*, evaluation_reference: str) -> str:
    """The subject of a submitted evaluation when it is a pending account opening."""
    from products import selectors as product_selectors

    account_no = product_selectors.account_pending_for_evaluation(
        evaluation_reference=evaluation_reference
    )
    return f"account:{account_no}" if account_no else ""


def subject_apply(*, request) -> None:
    """The final decision's effect on the request's subject (inside the deciding
    transaction: a failure undoes the decision too)."""
    approved = request.state == "approved"
    if request.subject_ref.startswith("account:"):
        from products import services as product_services

        product_services.account_authorization_complete(
            account_no=request.subject_ref.removeprefix("account:"), approved=approved
        )
    elif request.subject_ref.startswith("customer:") and approved:
        _customer_change_apply(request)


def _customer_change_apply(request) -> None:
    from customers import selectors as customer_selectors
    from customers import services as customer_services

    customer = customer_selectors.customer_for_user(
        user=request.submitted_by, customer_no=request.subject_ref.removeprefix("customer:")
    )
    current = _current_values(customer, request.changes)
    stale = sorted(name for name, diff in request.changes.items() if current[name] != diff["old"])
    if stale:
        raise CustomerChangedMeanwhile(fields={"changes": stale})
    customer_services.customer_update(
        customer=customer,
        changes={name: diff["new"] for name, diff in request.changes.items()},
        changed_by=request.submitted_by,
        now=request.decided_at,
    )
