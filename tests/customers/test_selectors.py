from datetime import date

import pytest

from bankcore import ports
from bankcore.codes import luhn_is_valid
from customers.models import Customer
from customers.selectors import CustomerNotFound, customer_profile, customer_summary
from tests.customers.factories import (
    CorporateCustomerFactory,
    InternalCustomerFactory,
    PersonalCustomerFactory,
    document_add_expired_for_test,
)

pytestmark = pytest.mark.django_db


def test_personal_profile_carries_what_the_trigger_model_needs(org):
    customer = PersonalCustomerFactory(home_branch=org["BJ02"], vip_level=2, is_employee=True)

    profile = customer_profile(customer_no=customer.customer_no, on_date=date(2026, 1, 1))

    assert profile.customer_no == customer.customer_no
    assert luhn_is_valid(profile.customer_no) and profile.customer_no.startswith("1")
    assert profile.customer_type == "personal"
    assert profile.status == "active"
    assert profile.home_branch_code == "BJ02"
    assert (profile.vip_level, profile.is_employee, profile.is_interbank) == (2, True, False)
    assert profile.is_domestic is True
    assert profile.has_expired_document is False
    assert profile.opening_document_expired is False


def test_profile_flags_an_expired_opening_document(org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"], opening_document_expired=True)

    profile = customer_profile(customer_no=customer.customer_no, on_date=date(2026, 1, 1))
    before = customer_profile(customer_no=customer.customer_no, on_date=date(2019, 12, 31))

    assert profile.has_expired_document and profile.opening_document_expired
    assert not before.has_expired_document


def test_profile_flags_another_expired_document_but_not_the_opening_one(org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    document_add_expired_for_test(customer=customer)

    profile = customer_profile(customer_no=customer.customer_no, on_date=date(2026, 1, 1))

    assert profile.has_expired_document is True
    assert profile.opening_document_expired is False


def test_corporate_profile_and_summary_through_the_kernel_port(org):
    customer = CorporateCustomerFactory(home_branch=org["SH01"], is_interbank=True)

    profile = customer_profile(customer_no=customer.customer_no, on_date=date(2026, 1, 1))
    summary = ports.customer_summary(customer_no=customer.customer_no)

    assert profile.customer_type == "corporate" and profile.is_interbank and profile.vip_level == 0
    assert summary == customer_summary(customer_no=customer.customer_no)
    assert (summary.customer_type, summary.home_branch_code, summary.is_interbank) == (
        "corporate",
        "SH01",
        True,
    )
    assert summary.name == customer.corporate.name


def test_internal_customer_summary(org):
    customer = InternalCustomerFactory(home_branch=org["HO"], name="Suspense account")

    summary = customer_summary(customer_no=customer.customer_no)

    assert customer.customer_no.startswith("9")
    assert (summary.customer_type, summary.name) == ("internal", "Suspense account")


def test_unknown_customer_number_raises_not_found(org):
    with pytest.raises(CustomerNotFound):
        customer_summary(customer_no="100000099995")


def test_mistyped_customer_number_is_refused_without_a_query(org, django_assert_num_queries):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    number = customer.customer_no
    mistyped = number[:-1] + str((int(number[-1]) + 1) % 10)

    with django_assert_num_queries(0), pytest.raises(CustomerNotFound):
        customer_profile(customer_no=mistyped, on_date=date(2026, 1, 1))


def test_demo_data_is_idempotent_and_has_every_kind_of_customer(org):
    import io

    from customers import demo

    demo.seed(stdout=io.StringIO())
    counts = Customer.objects.count()
    demo.seed(stdout=io.StringIO())

    assert Customer.objects.count() == counts
    profiles = [
        customer_profile(customer_no=no, on_date=date(2026, 1, 1))
        for no in Customer.objects.values_list("customer_no", flat=True)
    ]
    assert {p.customer_type for p in profiles} == {"personal", "corporate", "internal"}
    assert sum(p.is_employee for p in profiles) == 2
    assert sum(p.is_interbank for p in profiles) == 2
    assert {p.vip_level for p in profiles} >= {1, 2, 3}
    assert [p.name for p in profiles if p.opening_document_expired] == ["赵敏"]
