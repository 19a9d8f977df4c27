"""The public read API other apps code against."""

import pytest

from products import selectors
from products.selectors import AccountNotFound, ProductNotFound
from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory
from tests.products.factories import account_open_for_test, time_deposit_product_for_test

pytestmark = pytest.mark.django_db


def test_product_facts_describe_the_active_version(org):
    product = time_deposit_product_for_test(customer_types="personal,corporate")

    facts = selectors.product_facts(product_code=product.product_code)

    assert facts.product_code == product.product_code
    assert facts.version == 1
    assert facts.line == "time_deposit"
    assert facts.status == "active"
    assert facts.customer_types == ("personal", "corporate")


def test_product_facts_of_unknown_code_raise_product_not_found(org):
    with pytest.raises(ProductNotFound):
        selectors.product_facts(product_code="99999999")


def test_account_facts_report_early_withdrawals_used_versus_allowed(org):
    product = time_deposit_product_for_test(early_withdrawals_allowed=3)
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    account = account_open_for_test(product=product, customer_no=customer.customer_no)

    facts = selectors.account_facts(account_no=account.account_no)

    assert facts.customer_no == customer.customer_no
    assert facts.product_code == product.product_code
    assert facts.product_version == 1
    assert facts.product_line == "time_deposit"
    assert facts.currency == "CNY"
    assert facts.status == "active"
    assert facts.early_withdrawals_allowed == 3
    assert facts.early_withdrawals_used == 0


def test_account_facts_have_no_early_withdrawal_limit_on_demand_deposits(org):
    from tests.products.factories import product_create_for_test

    product = product_create_for_test(
        template="demand_deposit", parameters={"allowed_customer_types": ""}
    )
    customer = CorporateCustomerFactory(home_branch=org["BJ01"])
    account = account_open_for_test(product=product, customer_no=customer.customer_no)

    assert selectors.account_facts(account_no=account.account_no).early_withdrawals_allowed is None


def test_account_facts_of_unknown_number_raise_account_not_found(org):
    with pytest.raises(AccountNotFound):
        selectors.account_facts(account_no="000")


def test_negotiated_parameters_lists_values_inside_the_negotiable_range_only(org):
    product = time_deposit_product_for_test(early_withdrawals_allowed=3, negotiable_max=5)

    def negotiated(value):
        return selectors.negotiated_parameters(
            product_code=product.product_code,
            parameter_values={"early_withdrawals_allowed": value},
        )

    assert negotiated("2") == ()
    assert negotiated("5") == ("early_withdrawals_allowed",)
    assert negotiated("6") == ()  # refused outright, not negotiated


def test_product_choices_list_every_product_by_code_in_one_query(org, django_assert_num_queries):
    first = time_deposit_product_for_test()
    second = time_deposit_product_for_test()

    with django_assert_num_queries(1):
        choices = selectors.product_choices()

    codes = [choice.code for choice in choices]
    assert codes == sorted(codes)
    assert {first.product_code, second.product_code} <= set(codes)
    assert {choice.name for choice in choices if choice.code == first.product_code} == {first.name}


def test_product_line_choices_follow_the_display_order(django_assert_num_queries):
    with django_assert_num_queries(1):
        lines = selectors.product_line_choices()

    assert lines and all(line.code and line.name for line in lines)
