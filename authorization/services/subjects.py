"""What a request acts on once decided (its subject), through the other apps' services.

- "account:<account_no>": an account opening waiting for authorization (negotiated product
  parameters or a rule's decision). Approval activates it; rejection, cancellation or expiry
  refuses it (products.facade.account_authorization_complete).
- "customer:<customer_no>": a customer-information change. The request carries the old and
  new value of each field (`changes`); approval applies the new values
  (customers.facade.customer_update), unless the customer changed meanwhile.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

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


def _current_values(current) -> dict[str, Any]:
    """A customer's values (customers.facade.CustomerValues) as the request keeps them."""
    return {name: _plain(value) for name, value in current.values.items()}


def customer_change_prepare(
    *, customer_no: str, new_values: dict[str, Any], user, now: datetime
) -> tuple[str, dict[str, dict[str, Any]]]:
    """Check a change as customer_update would apply it (nothing is kept) and return the
    subject reference and the difference {field: {"old": …, "new": …}}."""
    from customers import facade as customer_facade

    if not new_values:
        raise CustomerChangeInvalid(fields={"changes": [_("Name at least one field to change.")]})
    if "home_branch" in new_values:
        raise CustomerChangeInvalid(
            fields={"changes.home_branch": [_("Moving a customer is not an information change.")]}
        )
    try:
        current = customer_facade.customer_change_check(
            customer_no=customer_no, changes=new_values, user=user, now=now
        )
    except customer_facade.CustomerNotFound:
        raise CustomerChangeInvalid(
            fields={"elements.customer_no": [_("No customer has this customer number.")]}
        ) from None
    except customer_facade.CustomerNoInvalid:
        raise
    except DomainError as error:
        raise CustomerChangeInvalid(
            error.message,
            fields={f"changes.{name}": messages for name, messages in error.fields.items()},
        ) from None
    old = _current_values(current)
    differences = {
        name: {"old": old[name], "new": _plain(value)}
        for name, value in new_values.items()
        if old[name] != _plain(value)
    }
    if not differences:
        raise CustomerChangeInvalid(
            fields={"changes": [_("Every value named is the customer's current value.")]}
        )
    return f"customer:{current.customer_no}", differences


def subject_of_evaluation(*, evaluation_reference: str) -> str:
    """The subject of a submitted evaluation when it is a pending account opening."""
    from products import facade as product_facade

    account_no = product_facade.account_pending_for_evaluation(
        evaluation_reference=evaluation_reference
    )
    return f"account:{account_no}" if account_no else ""


def subject_apply(*, request) -> None:
    """The final decision's effect on the request's subject (inside the deciding
    transaction: a failure undoes the decision too)."""
    approved = request.state == "approved"
    if request.subject_ref.startswith("account:"):
        from products import facade as product_facade

        product_facade.account_authorization_complete(
            account_no=request.subject_ref.removeprefix("account:"), approved=approved
        )
    elif request.subject_ref.startswith("customer:") and approved:
        _customer_change_apply(request)


def _customer_change_apply(request) -> None:
    from customers import facade as customer_facade

    customer_no = request.subject_ref.removeprefix("customer:")
    current = _current_values(
        customer_facade.customer_values(
            customer_no=customer_no, names=request.changes, user=request.submitted_by
        )
    )
    stale = sorted(name for name, diff in request.changes.items() if current[name] != diff["old"])
    if stale:
        raise CustomerChangedMeanwhile(fields={"changes": stale})
    customer_facade.customer_update(
        customer_no=customer_no,
        changes={name: diff["new"] for name, diff in request.changes.items()},
        changed_by=request.submitted_by,
        now=request.decided_at,
    )
