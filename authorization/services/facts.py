"""Gathering the facts a transaction's rules read.

Facts are declared once in the catalogue (authorization.rules.catalogue.FACTS: path, kind,
source, label, how the value is read from the source's record). Here each source has one
fetcher returning its record (the transaction itself, customers' profile, products' account
and product facts (through their facades), the teller's user, the clock), run only when the rules of the transaction
code reference that source; every fact of the source is then read from the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from bankcore.calendar import is_business_day
from customers import facade as customer_facade
from products import facade as product_facade

from ..rules.catalogue import (
    ACCOUNT,
    CUSTOMER,
    FACTS_BY_SOURCE,
    PRODUCT,
    TELLER,
    TIME,
    TRANSACTION,
)
from ..rules.compiler import CompiledRuleSet
from .evaluation_errors import UnknownAccount, UnknownCustomer, UnknownProduct

if TYPE_CHECKING:
    from .evaluation import TransactionInput


@dataclass(frozen=True, slots=True)
class ProductRecord:
    line: str
    status: str
    has_negotiated_parameters: bool


@dataclass(frozen=True, slots=True)
class TellerRecord:
    level: int


@dataclass(frozen=True, slots=True)
class TimeRecord:
    hour: int
    weekday: int  # 1 = Monday … 7 = Sunday
    is_business_day: bool


class _Lookup:
    """The records of one transaction's derived sources, each fetched at most once (the
    customer and the product may be found through the account)."""

    def __init__(self, *, rule_set, transaction, elements, now, scope_user) -> None:
        self.spec_elements = rule_set.transactions[transaction.transaction_code].elements
        self.transaction = transaction
        self.elements = elements
        self.now = now
        self.scope_user = scope_user
        self._account: Any = _UNSET

    def element(self, element_type: str) -> tuple[str | None, Any]:
        """(name, value) of the first element of `element_type` the transaction carries."""
        for name, kind in self.spec_elements.items():
            if kind == element_type and name in self.elements:
                return name, self.elements[name]
        return None, None

    def account(self):
        if self._account is _UNSET:
            self._account = None
            name, account_no = self.element("account_no")
            if account_no:
                try:
                    self._account = product_facade.account_facts(
                        account_no=account_no, user=self.scope_user
                    )
                except product_facade.AccountNotFound:
                    raise UnknownAccount(
                        fields={f"elements.{name}": [_("No account has this account number.")]}
                    ) from None
        return self._account

    def customer(self):
        name, customer_no = self.element("customer_no")
        if customer_no is None and (account := self.account()) is not None:
            customer_no, name = account.customer_no, self.element("account_no")[0]
        if customer_no is None:
            return None
        try:
            return customer_facade.customer_profile(
                customer_no=customer_no,
                on_date=timezone.localdate(self.now),
                user=self.scope_user,
            )
        except customer_facade.CustomerNotFound:
            raise UnknownCustomer(
                fields={f"elements.{name}": [_("No customer has this customer number.")]}
            ) from None

    def product(self) -> ProductRecord | None:
        name, product_code = self.element("product_code")
        if not product_code and (account := self.account()) is not None:
            product_code, name = account.product_code, self.element("account_no")[0]
        if not product_code:
            return None
        try:
            product = product_facade.product_facts(product_code=product_code)
            _name, parameter_values = self.element("parameters")
            negotiated = (
                product_facade.negotiated_parameters(
                    product_code=product_code, parameter_values=parameter_values
                )
                if parameter_values
                else ()
            )
        except product_facade.ProductNotFound:
            raise UnknownProduct(
                fields={f"elements.{name}": [_("No product has this product code.")]}
            ) from None
        return ProductRecord(product.line, product.status, bool(negotiated))

    def teller(self) -> TellerRecord | None:
        if not self.transaction.teller:
            return None
        level = (
            get_user_model()
            .objects.filter(username=self.transaction.teller)
            .values_list("authorization_level", flat=True)
            .first()
        )
        return TellerRecord(level or 0)

    def time(self) -> TimeRecord:
        local = timezone.localtime(self.now)
        return TimeRecord(local.hour, local.isoweekday(), is_business_day(local.date()))


_UNSET = object()

# The derived sources, in the order they are fetched, and how.
_FETCHERS: tuple[tuple[str, Callable[[_Lookup], Any]], ...] = (
    (ACCOUNT, _Lookup.account),
    (CUSTOMER, _Lookup.customer),
    (PRODUCT, _Lookup.product),
    (TELLER, _Lookup.teller),
    (TIME, _Lookup.time),
)
_DERIVED = frozenset(source for source, _fetch in _FETCHERS)
_TRANSACTION_FACTS = FACTS_BY_SOURCE[TRANSACTION]


def facts_gather(
    *,
    rule_set: CompiledRuleSet,
    transaction: TransactionInput,
    elements: dict[str, Any],
    now: datetime,
    sources: frozenset[str] | None = None,
    scope_user=None,
) -> dict[str, Any]:
    """The facts mapping the engine reads: elements and transaction facts always, and only the
    derived sources (customer, account, product, teller, time) the rules reference. With
    `scope_user`, a customer or account outside that user's branch scope is answered exactly
    as an unknown one. Raises UnknownAccount, UnknownCustomer, UnknownProduct naming the
    element."""
    facts: dict[str, Any] = {path: read(transaction) for path, read in _TRANSACTION_FACTS}
    for name, value in elements.items():
        facts["elements." + name] = value
    if sources is None:
        sources = rule_set.sources_for(transaction.transaction_code)
    if not sources & _DERIVED:  # the hot path: the rules read the transaction only
        return facts
    lookup = _Lookup(
        rule_set=rule_set,
        transaction=transaction,
        elements=elements,
        now=now,
        scope_user=scope_user,
    )
    for source, fetch in _FETCHERS:
        if source in sources and (record := fetch(lookup)) is not None:
            for path, read in FACTS_BY_SOURCE[source]:
                facts[path] = read(record)
    return facts
