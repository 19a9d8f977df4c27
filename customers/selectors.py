"""Public read API of the customers app. Other apps read customers only through here.

CONTRACT (shared with the authorization app): the names, fields and exceptions below are
what other apps code against. Keep them; add to them freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bankcore.ports import CustomerNotFound, CustomerSummary

__all__ = ["CustomerNotFound", "CustomerProfile", "CustomerSummary", "customer_profile"]


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    """What the trigger model needs to know about a customer."""

    customer_no: str
    customer_type: str  # "personal" | "corporate" | "internal" (more types may be added)
    status: str  # "active" | "dormant" | "closed"
    name: str
    home_branch_code: str
    vip_level: int  # 0 = not VIP (always 0 for non-personal customers)
    is_employee: bool  # internal-employee flag (personal customers)
    is_interbank: bool  # 同业 flag (corporate customers)
    is_domestic: bool  # 境内 (True) / 境外 (False)
    has_expired_document: bool  # any of the customer's ID documents expired on `on_date`
    opening_document_expired: bool  # the account-opening document expired on `on_date`


def customer_profile(*, customer_no: str, on_date: date) -> CustomerProfile:
    """The customer's profile as of `on_date`. Raises CustomerNotFound."""
    raise NotImplementedError("Built by the customers issue.")


def customer_summary(*, customer_no: str) -> CustomerSummary:
    """Registered as the kernel port bankcore.ports.customer_summary (see CustomersConfig.ready)
    so that products can check a customer without importing this app. Raises CustomerNotFound."""
    raise NotImplementedError("Built by the customers issue.")
