"""What other apps may call in the products app (the only module they import).

Functions here answer frozen dataclasses and plain values, never model instances or querysets:
the products app keeps its rows, querysets and page helpers to itself. Products are named by
their product code, accounts by their account number. Reads that already answer plain facts
(product_facts, account_facts, negotiated_parameters, account_pending_for_evaluation,
product_choices, product_line_choices) are the selectors' own, named here; so is the authorization center's answer on a pending opening
(account_authorization_complete, answering bankcore.ports.AccountAuthorizationOutcome).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.dispatch import Signal

from bankcore.ports import AccountAuthorizationOutcome
from products import selectors
from products.selectors import (
    AccountFacts,
    AccountNotFound,
    ProductChoice,
    ProductFacts,
    ProductNotFound,
    account_facts,
    account_pending_for_evaluation,
    negotiated_parameters,
    product_choices,
    product_facts,
    product_line_choices,
)
from products.services import AccountStateConflict, account_authorization_complete

# Sent (no arguments) when a product's or a product line's names may have changed: saved or
# deleted, by any path (pages, API, admin, commands). Another app that keeps these names (the
# authorization center's sentences) listens here, not to this app's models.
names_changed = Signal()

__all__ = [
    "AccountAuthorizationOutcome",
    "AccountFacts",
    "AccountNotFound",
    "AccountStateConflict",
    "AccountSuggestion",
    "ProductChoice",
    "ProductFacts",
    "ProductNotFound",
    "account_authorization_complete",
    "account_facts",
    "account_pending_for_evaluation",
    "account_suggestions",
    "names_changed",
    "negotiated_parameters",
    "product_choices",
    "product_facts",
    "product_line_choices",
]


@dataclass(frozen=True, slots=True)
class AccountSuggestion:
    account_no: str
    customer_no: str
    customer_name: str
    product_code: str
    product_name: str  # in the active language
    status: str
    status_label: str  # the status in words (active language)


def account_suggestions(*, user, text: str, limit: int) -> list[AccountSuggestion]:
    """At most `limit` accounts within `user`'s branches whose number, customer number or
    customer name starts with `text`, newest first (one query)."""
    accounts = selectors.account_list(user=user).filter(
        Q(account_no__startswith=text)
        | Q(customer_no__startswith=text)
        | Q(customer_name__startswith=text)
    )[:limit]
    return [
        AccountSuggestion(
            account_no=account.account_no,
            customer_no=account.customer_no,
            customer_name=account.customer_name,
            product_code=account.product.product_code,
            product_name=account.product.name,
            status=account.status,
            status_label=str(account.get_status_display()),
        )
        for account in accounts
    ]
