"""Ports: reads one app offers to another that may not import it.

customers and products are independent apps (an import-linter contract), yet opening an
account needs a few facts about the customer. The kernel declares the shape of that read;
the customers app registers its implementation in its AppConfig.ready(); products calls the
port. Neither app imports the other, and the dependency is explicit here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from bankcore.errors import NotFound


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    default_message = gettext_lazy("No customer has this customer number.")


class PortNotConnected(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    customer_no: str
    customer_type: str  # "personal" | "corporate" | "internal" (more may be added)
    status: str  # "active" | "dormant" | "closed"
    name: str
    home_branch_code: str
    is_interbank: bool


CustomerSummaryLookup = Callable[..., CustomerSummary]
_customer_summary_lookup: CustomerSummaryLookup | None = None


def connect_customer_summary(lookup: CustomerSummaryLookup) -> None:
    """Called once by the customers app at start-up."""
    global _customer_summary_lookup
    _customer_summary_lookup = lookup


def customer_summary(*, customer_no: str) -> CustomerSummary:
    """The customer's summary. Raises CustomerNotFound."""
    if _customer_summary_lookup is None:
        raise PortNotConnected("The customers app has not connected customer_summary.")
    return _customer_summary_lookup(customer_no=customer_no)
