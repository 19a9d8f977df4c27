"""Creating a customer of each type: index row, basic info, opening document, classified
rows and extension values in one transaction, with the change record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from bankcore.models import OrgUnit
from customers.models import (
    CorporateCustomer,
    Customer,
    CustomerChangeAction,
    CustomerDocument,
    CustomerStatus,
    CustomerType,
    InternalCustomer,
    PersonalCustomer,
)
from customers.services._common import change_record, full_clean, industry_get, now_or_clock
from customers.services._resident_id import resident_id_agreement
from customers.services.addresses import AddressInput, address_save
from customers.services.contacts import ContactInput, contact_save
from customers.services.documents import DocumentInput, document_build, document_save
from customers.services.errors import CustomerFieldsInvalid
from customers.services.extensions import extensions_write
from customers.services.numbers import customer_no_next
from customers.validation import name_check


def _customer_index_create(
    *, customer_type: str, home_branch: OrgUnit, status: str, now: dt.datetime
) -> Customer:
    if status not in CustomerStatus.values:
        raise CustomerFieldsInvalid(fields={"status": [_("Unknown status.")]})
    return Customer.objects.create(
        customer_no=customer_no_next(customer_type=customer_type),
        customer_type=customer_type,
        status=status,
        home_branch=home_branch,
        created_at=now,
        updated_at=now,
    )


def _classified_add(
    *,
    customer: Customer,
    contact_channels: Iterable[ContactInput],
    addresses: Iterable[AddressInput],
) -> None:
    for contact in contact_channels:
        contact_save(customer=customer, contact=contact)
    for address in addresses:
        address_save(customer=customer, address=address)


def _creation_changes(customer: Customer, basic, opening: CustomerDocument) -> dict:
    changes: dict[str, tuple[Any, Any]] = {
        "customer_no": (None, customer.customer_no),
        "customer_type": (None, customer.customer_type),
        "status": (None, customer.status),
        "home_branch": (None, customer.home_branch.code),
    }
    for field in basic._meta.concrete_fields:
        if field.name != "customer":
            changes[field.name] = (None, getattr(basic, field.attname))
    if opening is not None:
        changes["opening_document"] = (None, f"{opening.document_type.code}:{opening.number}")
    return changes


def _customer_create(
    *,
    customer_type: str,
    basic_model,
    basic_fields: dict[str, Any],
    home_branch: OrgUnit,
    opening_document: DocumentInput | None,
    created_by,
    now: dt.datetime | None,
    status: str,
    contact_channels: Iterable[ContactInput],
    addresses: Iterable[AddressInput],
    extensions: Mapping[str, Any] | None,
) -> Customer:
    now = now_or_clock(now)
    name_check(basic_fields["name"])
    with transaction.atomic():
        customer = _customer_index_create(
            customer_type=customer_type, home_branch=home_branch, status=status, now=now
        )
        opening = None
        if opening_document is not None:
            opening = document_build(
                customer=customer, document=opening_document, is_opening=True, now=now
            )
            if (
                customer_type == CustomerType.PERSONAL
                and opening.document_type.validator == "resident_id"
            ):
                basic_fields.update(
                    resident_id_agreement(
                        number=opening.number,
                        birth_date=basic_fields.get("birth_date"),
                        gender=basic_fields.get("gender"),
                    )
                )
        basic = basic_model(customer=customer, **basic_fields)
        full_clean(basic, exclude=["customer"])
        basic.save()
        setattr(customer, customer_type, basic)
        if opening is not None:
            document_save(opening)
        _classified_add(customer=customer, contact_channels=contact_channels, addresses=addresses)
        extensions_write(customer=customer, values=extensions or {}, now=now, creating=True)
        change_record(
            customer=customer,
            action=CustomerChangeAction.CREATED,
            changed_by=created_by,
            now=now,
            changes=_creation_changes(customer, basic, opening),
        )
    return customer


def personal_customer_create(
    *,
    name: str,
    home_branch: OrgUnit,
    opening_document: DocumentInput,
    created_by,
    now: dt.datetime | None = None,
    vip_level: int = 0,
    is_domestic: bool = True,
    is_employee: bool = False,
    gender: str = "9",
    birth_date: dt.date | None = None,
    nationality: str = "CHN",
    status: str = CustomerStatus.ACTIVE,
    contact_channels: Iterable[ContactInput] = (),
    addresses: Iterable[AddressInput] = (),
    extensions: Mapping[str, Any] | None = None,
) -> Customer:
    """Create a personal customer with its account-opening document, in one transaction.

    Raises DocumentNumberInvalid (400, field `number`), DocumentTypeNotAllowed (400),
    DocumentAlreadyRegistered (409), CustomerFieldsInvalid (400), ExtensionValueInvalid (400).
    With a resident ID number the birth date and gender are the ones it carries: taken from
    it when not given (gender unknown or not stated), refused on their field when they
    disagree. Names refuse control and format characters (NameInvalid, 400 on `name`)."""
    return _customer_create(
        customer_type=CustomerType.PERSONAL,
        basic_model=PersonalCustomer,
        basic_fields={
            "name": name.strip(),
            "vip_level": vip_level,
            "is_domestic": is_domestic,
            "is_employee": is_employee,
            "gender": gender,
            "birth_date": birth_date,
            "nationality": nationality,
        },
        home_branch=home_branch,
        opening_document=opening_document,
        created_by=created_by,
        now=now,
        status=status,
        contact_channels=contact_channels,
        addresses=addresses,
        extensions=extensions,
    )


def corporate_customer_create(
    *,
    name: str,
    home_branch: OrgUnit,
    opening_document: DocumentInput,
    industry_code: str,
    economic_type: str,
    registration_region_code: str,
    created_by,
    now: dt.datetime | None = None,
    is_interbank: bool = False,
    is_domestic: bool = True,
    status: str = CustomerStatus.ACTIVE,
    contact_channels: Iterable[ContactInput] = (),
    addresses: Iterable[AddressInput] = (),
    extensions: Mapping[str, Any] | None = None,
) -> Customer:
    """Create a corporate customer with its account-opening document (e.g. its USCC
    certificate), in one transaction. Raises as `personal_customer_create`."""
    return _customer_create(
        customer_type=CustomerType.CORPORATE,
        basic_model=CorporateCustomer,
        basic_fields={
            "name": name.strip(),
            "industry": industry_get(industry_code),
            "economic_type": economic_type,
            "registration_region_code": registration_region_code,
            "is_interbank": is_interbank,
            "is_domestic": is_domestic,
        },
        home_branch=home_branch,
        opening_document=opening_document,
        created_by=created_by,
        now=now,
        status=status,
        contact_channels=contact_channels,
        addresses=addresses,
        extensions=extensions,
    )


def internal_customer_create(
    *,
    name: str,
    home_branch: OrgUnit,
    created_by,
    now: dt.datetime | None = None,
    purpose: str = "",
    status: str = CustomerStatus.ACTIVE,
) -> Customer:
    """Create an internal customer (the bank's own books; no ID document)."""
    return _customer_create(
        customer_type=CustomerType.INTERNAL,
        basic_model=InternalCustomer,
        basic_fields={"name": name.strip(), "purpose": purpose},
        home_branch=home_branch,
        opening_document=None,
        created_by=created_by,
        now=now,
        status=status,
        contact_channels=(),
        addresses=(),
        extensions=None,
    )
