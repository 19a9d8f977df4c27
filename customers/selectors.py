"""Public read API of the customers app. Other apps read customers only through here.

CONTRACT (shared with the authorization app): the names, fields and exceptions below are
what other apps code against. Keep them; add to them freely.

`customer_profile` and `customer_summary` return frozen dataclasses (for other apps); the
`customer_*_for_user` functions return scoped querysets / ORM rows for this app's own pages
and API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.ports import CustomerNotFound, CustomerSummary
from bankcore.scoping import scope_queryset, user_can_see_unit
from customers.models import (
    Address,
    AddressKind,
    ContactChannel,
    ContactChannelKind,
    CorporateCustomer,
    Customer,
    CustomerChange,
    CustomerDocument,
    CustomerRelationship,
    CustomerStatusChange,
    DocumentType,
    ExtensionAttribute,
    ExtensionValue,
    InternalCustomer,
    PersonalCustomer,
    RelationshipKind,
    StatusChangeState,
    customer_no_is_well_formed,
)
from customers.validation import CustomerNoInvalid, customer_no_check, identifier_normalise

__all__ = [
    "ChangedField",
    "CustomerHistoryEntry",
    "CustomerNoInvalid",
    "CustomerNotFound",
    "CustomerProfile",
    "CustomerSummary",
    "addresses_of",
    "contact_channels_of",
    "customer_360_for_user",
    "customer_changes_of",
    "customer_for_user",
    "customer_history",
    "customer_list_for_user",
    "customer_no_is_well_formed",
    "customer_profile",
    "customer_summary",
    "relationships_of",
]


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


def _customer_for_lookup(customer_no: str, *, user=None) -> Customer:
    """Malformed numbers are refused before any lookup (CustomerNotFound, no query). With
    `user`, a customer outside the user's branch scope gets the unknown number's answer."""
    if not customer_no_is_well_formed((customer_no or "").strip()):
        raise CustomerNotFound(
            _("This is not a valid customer number (12 digits with a check digit)."),
            fields={"customer_no": [_("This is not a valid customer number.")]},
        )
    customer = Customer.objects.with_basic_info().filter(customer_no=customer_no.strip()).first()
    if customer is None or (user is not None and not user_can_see_unit(user, customer.home_branch)):
        raise CustomerNotFound(fields={"customer_no": [_("No customer has this customer number.")]})
    return customer


def customer_profile(*, customer_no: str, on_date: date, user=None) -> CustomerProfile:
    """The customer's profile as of `on_date`. Raises CustomerNotFound (also for a number
    whose check digit is wrong, and, given `user`, for a customer outside the user's branch
    scope). Two queries."""
    customer = _customer_for_lookup(customer_no, user=user)
    expiries = list(customer.documents.values_list("expiry_date", "is_opening_document"))
    expired = [
        is_opening for expiry, is_opening in expiries if expiry is not None and expiry < on_date
    ]
    return CustomerProfile(
        customer_no=customer.customer_no,
        customer_type=customer.customer_type,
        status=customer.status,
        name=customer.name,
        home_branch_code=customer.home_branch.code,
        vip_level=customer.vip_level,
        is_employee=customer.is_employee,
        is_interbank=customer.is_interbank,
        is_domestic=customer.is_domestic,
        has_expired_document=bool(expired),
        opening_document_expired=any(expired),
    )


def customer_summary(*, customer_no: str, user=None) -> CustomerSummary:
    """Registered as the kernel port bankcore.ports.customer_summary (see CustomersConfig.ready)
    so that products can check a customer without importing this app. Raises CustomerNotFound
    (also, given `user`, for a customer outside the user's branch scope)."""
    customer = _customer_for_lookup(customer_no, user=user)
    return CustomerSummary(
        customer_no=customer.customer_no,
        customer_type=customer.customer_type,
        status=customer.status,
        name=customer.name,
        home_branch_code=customer.home_branch.code,
        is_interbank=customer.is_interbank,
    )


# --- This app's pages and API -------------------------------------------------------------------


def _opening_documents() -> Prefetch:
    return Prefetch(
        "documents",
        queryset=CustomerDocument.objects.filter(is_opening_document=True).select_related(
            "document_type"
        ),
        to_attr="opening_documents",
    )


def customer_list_for_user(
    *,
    user,
    customer_type: str = "",
    home_branch_code: str = "",
    vip_level: int | None = None,
    document_number: str = "",
    name: str = "",
    status: str = "",
    query: str = "",
    customer_no: str = "",
) -> QuerySet[Customer]:
    """Customers `user` may see (home branch in their subtree), filtered, newest first, with
    basic info and opening document loaded (a constant number of queries per page).

    `query` is the staff search box: a customer number, an ID document number, or part of a
    name."""
    customers = scope_queryset(Customer.objects.all(), user, unit_field="home_branch")
    if customer_no:
        customers = customers.filter(customer_no=customer_no_check(customer_no))
    if customer_type:
        customers = customers.filter(customer_type=customer_type)
    if home_branch_code:
        customers = customers.filter(home_branch__code=home_branch_code)
    if vip_level is not None:
        customers = customers.filter(personal__vip_level=vip_level)
    if document_number:
        customers = customers.filter(documents__number=identifier_normalise(document_number))
    if name:
        customers = customers.name_contains(name.strip())
    if status:
        customers = customers.filter(status=status)
    if query:
        text = query.strip()
        condition = (
            Q(personal__name__icontains=text)
            | Q(corporate__name__icontains=text)
            | Q(internal__name__icontains=text)
            | Q(documents__number=identifier_normalise(text))
        )
        if customer_no_is_well_formed(text):
            condition |= Q(customer_no=text)
        customers = customers.filter(condition)
    if document_number or query:
        customers = customers.distinct()
    return (
        customers.with_basic_info()
        .select_related("corporate__industry")
        .prefetch_related(_opening_documents())
        .order_by("-created_at", "-pk")
    )


def customer_360_for_user(*, user, customer_no: str, on_date: date | None = None) -> Customer:
    """One customer with all four layers loaded, if `user` may see it.

    Raises CustomerNoInvalid (400) for a malformed number, CustomerNotFound (404) when it
    does not exist or lies outside the user's branch scope."""
    customer_no = customer_no_check(customer_no)
    customer = (
        Customer.objects.with_basic_info()
        .select_related("corporate__industry")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=CustomerDocument.objects.select_related("document_type").order_by(
                    "-is_opening_document", "pk"
                ),
            ),
            Prefetch("contact_channels", queryset=_ordered("contact_channels")),
            Prefetch("addresses", queryset=_ordered("addresses")),
            Prefetch(
                "relationships",
                queryset=CustomerRelationship.objects.select_related(
                    "related_customer__personal",
                    "related_customer__corporate",
                    "related_customer__internal",
                ).order_by("kind", "pk"),
            ),
            Prefetch(
                "extension_values",
                queryset=ExtensionValue.objects.select_related("attribute").order_by(
                    "attribute__display_order", "attribute__code"
                ),
            ),
        )
        .filter(customer_no=customer_no)
        .first()
    )
    if customer is None or not user_can_see_unit(user, customer.home_branch):
        raise CustomerNotFound()
    return customer


def _ordered(relation: str) -> QuerySet:
    model = Customer._meta.get_field(relation).related_model
    return model.objects.order_by("kind", "pk")


def customer_for_user(*, user, customer_no: str) -> Customer:
    """The customer's index row with basic info (no classified modules), if `user` may see it.
    Raises as `customer_360_for_user`. One query."""
    customer_no = customer_no_check(customer_no)
    customer = Customer.objects.with_basic_info().filter(customer_no=customer_no).first()
    if customer is None or not user_can_see_unit(user, customer.home_branch):
        raise CustomerNotFound()
    return customer


def contact_channels_of(*, customer: Customer) -> QuerySet[ContactChannel]:
    """The customer's phones and emails, by kind, primary first."""
    return customer.contact_channels.order_by("kind", "-is_primary", "pk")


def addresses_of(*, customer: Customer) -> QuerySet[Address]:
    return customer.addresses.order_by("kind", "pk")


def relationships_of(*, customer: Customer) -> QuerySet[CustomerRelationship]:
    """The customer's relationships with the related customer's name loaded."""
    return customer.relationships.select_related(
        "related_customer__personal", "related_customer__corporate", "related_customer__internal"
    ).order_by("kind", "pk")


def customer_changes_of(*, customer: Customer) -> QuerySet[CustomerChange]:
    """The customer's change history, newest first, with who changed it loaded."""
    return customer.changes.select_related("changed_by").order_by("-changed_at", "-pk")


def status_changes_of(*, customer: Customer) -> QuerySet[CustomerStatusChange]:
    """The customer's status changes, the waiting one first, then newest first, with both
    people loaded."""
    return customer.status_changes.select_related("requested_by", "decided_by").order_by(
        Case(When(state=StatusChangeState.PENDING, then=0), default=1),
        "-requested_at",
        "-pk",
    )


def customer_changes(*, customer: Customer, limit: int = 50) -> list[CustomerChange]:
    """The customer's change history, newest first."""
    return list(customer_changes_of(customer=customer)[:limit])


# --- Change history as staff read it -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChangedField:
    label: str
    old: str | None  # None: the field had no value before (creation, addition)
    new: str | None  # None: the value was removed


@dataclass(frozen=True, slots=True)
class CustomerHistoryEntry:
    action: str
    action_label: str
    changed_at: Any  # aware datetime
    changed_by: str  # full name or username; "" = the system
    fields: tuple[ChangedField, ...]


_LABEL_MODELS = (Customer, PersonalCustomer, CorporateCustomer, InternalCustomer, CustomerDocument)
_EXTRA_LABELS = {
    "opening_document": gettext_lazy("account-opening document"),
    "document": gettext_lazy("ID document"),
    "industry_code": gettext_lazy("industry"),
    "home_branch": gettext_lazy("home branch"),
    "requested_by": gettext_lazy("requested by"),
}
_KIND_CHOICES = {
    **dict(ContactChannelKind.choices),
    **dict(AddressKind.choices),
    **dict(RelationshipKind.choices),
}


def _field_labels() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    labels: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for model in _LABEL_MODELS:
        for field in model._meta.concrete_fields:
            labels.setdefault(field.name, str(field.verbose_name))
            if field.choices:
                choices.setdefault(field.name, {str(k): str(v) for k, v in field.choices})
    labels.update({key: str(value) for key, value in _EXTRA_LABELS.items()})
    return labels, choices


def _display(value: Any, choices: dict[str, str] | None) -> str | None:
    if value is None:
        return None
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if choices and str(value) in choices:
        return choices[str(value)]
    return str(value)


def customer_history(*, customer: Customer, limit: int = 50) -> list[CustomerHistoryEntry]:
    """The customer's change history, newest first, with field names and coded values in
    the bank's words (labels, Yes/No, choice labels, extension attribute labels). Two
    queries whatever the number of entries."""
    changes = customer_changes(customer=customer, limit=limit)
    labels, choices = _field_labels()
    labels.update({key: str(value) for key, value in _KIND_CHOICES.items()})
    codes = {key for change in changes for key in change.changes} - set(labels)
    if codes:
        labels.update(
            ExtensionAttribute.objects.filter(code__in=codes).values_list("code", "label")
        )
    entries = []
    for change in changes:
        fields = tuple(
            ChangedField(
                label=capfirst(labels.get(key, key)),
                old=_display(values[0], choices.get(key)),
                new=_display(values[1], choices.get(key)),
            )
            for key, values in change.changes.items()
        )
        user = change.changed_by
        entries.append(
            CustomerHistoryEntry(
                action=change.action,
                action_label=change.get_action_display(),
                changed_at=change.changed_at,
                changed_by=(user.get_full_name() or user.username) if user else "",
                fields=fields,
            )
        )
    return entries


def document_types() -> QuerySet[DocumentType]:
    """Active ID document types, by code."""
    return DocumentType.objects.filter(is_active=True).order_by("code")


def extension_attributes() -> QuerySet[ExtensionAttribute]:
    """Every extension attribute definition, by scope and display order."""
    return ExtensionAttribute.objects.order_by("scope", "display_order", "code")


# The fewest characters that start a search as the person types (one character matches
# too much to be useful and costs a scan).
SEARCH_AS_YOU_TYPE_MIN_CHARS = 2


def customer_search_for_user(
    *, user, text: str, customer_type: str = "", status: str = ""
) -> QuerySet[Customer]:
    """Search as you type: customers `user` may see whose number or ID document number
    starts with `text`, or whose name contains it; newest first, loaded as
    customer_list_for_user loads them (a constant number of queries per page). Text shorter
    than SEARCH_AS_YOU_TYPE_MIN_CHARS matches nothing."""
    customers = customer_list_for_user(user=user, customer_type=customer_type, status=status)
    text = (text or "").strip()
    if len(text) < SEARCH_AS_YOU_TYPE_MIN_CHARS:
        return customers.none()
    identifier = "".join(text.split()).upper()
    condition = (
        Q(personal__name__icontains=text)
        | Q(corporate__name__icontains=text)
        | Q(internal__name__icontains=text)
        | Q(documents__number__startswith=identifier)
    )
    if identifier.isdigit():
        condition |= Q(customer_no__startswith=identifier)
    return customers.filter(condition).distinct()
