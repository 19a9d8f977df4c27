"""Customer factories for every app's tests. They go through `customers.services`, so the
rows are exactly what production creates (customer number with check digit, opening
document, change history).

Usage::

    from tests.customers.factories import (
        PersonalCustomerFactory, CorporateCustomerFactory, InternalCustomerFactory,
        document_add_expired_for_test, resident_id_for_test, uscc_for_test,
    )

    alice = PersonalCustomerFactory(home_branch=org["BJ01"], vip_level=2, is_employee=True)
    alice.customer_no            # "1000000000xx": 12 digits, Luhn check digit
    bank = CorporateCustomerFactory(home_branch=org["SH01"], is_interbank=True)
    expired = PersonalCustomerFactory(home_branch=org["BJ01"], opening_document_expired=True)
    document_add_expired_for_test(customer=alice)   # a second, expired passport

Every argument is optional (keyword only):

- PersonalCustomerFactory(name, home_branch, vip_level=0, is_employee=False,
  is_domestic=True, status="active", document_type_code="101" (resident ID),
  document_number=<a fresh valid resident ID>, document_expiry_date=None (long-term),
  opening_document_expired=False (True → expiry 2020-01-01), created_by=None, extensions={})
- CorporateCustomerFactory(name, home_branch, is_interbank=False, is_domestic=True,
  status="active", industry_code="J66", economic_type="160", registration_region_code="110105",
  document_type_code="201" (USCC), document_number=<a fresh valid USCC>,
  document_expiry_date=None, opening_document_expired=False, created_by=None)
- InternalCustomerFactory(name, home_branch, status="active", purpose="")

`home_branch` defaults to the unit with code BJ01 if one exists (the `org` fixture makes it),
else a fresh head office. The factories return the `customers.models.Customer` (index row);
other apps should only read its `customer_no` and use `customers.selectors` for the rest.
`.build()` is not supported (a customer needs its number from the database).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import factory

from bankcore.codes import iso7064_mod11_2_check_char, usc_code_check_char
from bankcore.models import OrgUnit, OrgUnitKind
from customers import services
from customers.models import Customer, DocumentType
from customers.reference_data import PASSPORT, RESIDENT_ID_CARD, USCC_CERTIFICATE
from tests.bankcore.factories import OrgUnitFactory

EXPIRED_ON = date(2020, 1, 1)
_numbers = itertools.count(1)


def resident_id_for_test(n: int | None = None, *, region: str = "110105") -> str:
    """A valid 18-character resident ID number, different for each n (or each call)."""
    n = next(_numbers) if n is None else n
    birth = date(1960, 1, 1) + timedelta(days=n // 999)
    body = f"{region}{birth:%Y%m%d}{n % 999 + 1:03d}"
    return body + iso7064_mod11_2_check_char(body)


def uscc_for_test(n: int | None = None, *, region: str = "110105") -> str:
    """A valid unified social credit code (legal person, enterprise), different per n."""
    n = next(_numbers) if n is None else n
    body = f"91{region}MA{n:07d}"
    return body + usc_code_check_char(body)


def _default_branch() -> OrgUnit:
    unit = OrgUnit.objects.filter(code="BJ01").first()
    return unit or OrgUnitFactory(kind=OrgUnitKind.HEAD_OFFICE)


def _ensure_reference_data() -> None:
    if not DocumentType.objects.filter(code=RESIDENT_ID_CARD).exists():
        services.reference_data_ensure()  # flushed by a transactional test


def _document(kwargs: dict, default_type: str, default_number) -> services.DocumentInput:
    expired = kwargs.pop("opening_document_expired", False)
    expiry = kwargs.pop("document_expiry_date", None)
    return services.DocumentInput(
        document_type_code=kwargs.pop("document_type_code", None) or default_type,
        number=kwargs.pop("document_number", None) or default_number(),
        expiry_date=EXPIRED_ON if expired else expiry,
        issue_date=date(2000, 1, 1) if expired else None,
    )


class _ServiceFactory(factory.Factory):
    class Meta:
        model = Customer
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Customer factories only create (use .create() or call).")


class PersonalCustomerFactory(_ServiceFactory):
    name = factory.Sequence(lambda n: f"Personal Customer {n}")
    home_branch = factory.LazyFunction(_default_branch)
    vip_level = 0
    is_employee = False
    is_domestic = True
    status = "active"
    created_by = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        _ensure_reference_data()
        document = _document(kwargs, RESIDENT_ID_CARD, resident_id_for_test)
        return services.personal_customer_create(opening_document=document, **kwargs)


class CorporateCustomerFactory(_ServiceFactory):
    name = factory.Sequence(lambda n: f"Corporate Customer {n} Co., Ltd.")
    home_branch = factory.LazyFunction(_default_branch)
    is_interbank = False
    is_domestic = True
    status = "active"
    industry_code = "J66"
    economic_type = "160"
    registration_region_code = "110105"
    created_by = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        _ensure_reference_data()
        document = _document(kwargs, USCC_CERTIFICATE, uscc_for_test)
        return services.corporate_customer_create(opening_document=document, **kwargs)


class InternalCustomerFactory(_ServiceFactory):
    name = factory.Sequence(lambda n: f"Internal Customer {n}")
    home_branch = factory.LazyFunction(_default_branch)
    status = "active"
    purpose = ""
    created_by = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        _ensure_reference_data()
        return services.internal_customer_create(**kwargs)


def document_add_expired_for_test(*, customer: Customer, expiry_date: date = EXPIRED_ON):
    """Give a personal customer a second ID document (a passport) that expired on
    `expiry_date` (default 2020-01-01); the opening document is unchanged."""
    _ensure_reference_data()
    return services.document_add(
        customer=customer,
        document=services.DocumentInput(
            document_type_code=PASSPORT,
            number=f"E{next(_numbers):08d}",
            issue_date=expiry_date - timedelta(days=3650),
            expiry_date=expiry_date,
        ),
        added_by=None,
    )


# Function-style aliases, for those who prefer them.
def personal_customer_create_for_test(**kwargs) -> Customer:
    return PersonalCustomerFactory(**kwargs)


def corporate_customer_create_for_test(**kwargs) -> Customer:
    return CorporateCustomerFactory(**kwargs)
