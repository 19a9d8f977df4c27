"""The customer 360 view lists the customer's accounts (read from products through the kernel
port), with the actions a teller takes from there; the account page links back."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bankcore import ports
from bankcore.roles import Role
from tests.customers.factories import PersonalCustomerFactory
from tests.products.factories import account_open_for_test, time_deposit_product_for_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(org):
    return PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")


@pytest.fixture
def product(db):
    return time_deposit_product_for_test(early_withdrawals_allowed=3, name="Certificate 1Y")


def open_accounts(product, customer, count: int, *, branch):
    """`count` accounts; every other one sets early withdrawals below the product's 3."""
    return [
        account_open_for_test(
            product=product,
            customer_no=customer.customer_no,
            amount=f"{1000 * (i + 1)}.00",
            parameters={"early_withdrawals_allowed": "1"} if i % 2 == 0 else None,
            branch=branch,
        )
        for i in range(count)
    ]


def rows_of(page: str) -> int:
    return page.count('data-testid="account-row"')


def test_360_lists_accounts_with_product_status_amount_and_what_differs(
    client, teller, org, customer, product
):
    differing, plain = open_accounts(product, customer, 2, branch=org["BJ01"])
    client.force_login(teller)

    page = client.get(reverse("customers:detail", args=[customer.customer_no])).content.decode()

    assert rows_of(page) == 2
    for account in (differing, plain):
        assert reverse("products:account-detail", args=[account.account_no]) in page
    assert product.product_code in page and "Certificate 1Y" in page and "v1" in page
    assert "Active" in page
    assert "1,000.00 CNY" in page and "2,000.00 CNY" in page
    # The account that set early withdrawals to 1 says so, beside the product's 3.
    assert "product: 3" in page
    assert "As the product" in page


def test_accounts_come_through_the_port_with_the_differing_parameter(
    org, teller, customer, product
):
    differing, plain = open_accounts(product, customer, 2, branch=org["BJ01"])

    accounts = {
        a.account_no: a
        for a in ports.customer_accounts(customer_no=customer.customer_no, user=teller)
    }

    assert set(accounts) == {differing.account_no, plain.account_no}
    assert accounts[plain.account_no].differences == ()
    (difference,) = accounts[differing.account_no].differences
    assert difference.code == "early_withdrawals_allowed"
    assert (difference.value, difference.product_value) == ("1", "3")
    assert accounts[differing.account_no].status == "active"
    assert accounts[differing.account_no].product_version == 1


@pytest.mark.parametrize("count", [1, 6])
def test_the_port_reads_any_number_of_accounts_in_three_queries(
    org, teller, customer, product, count, django_assert_num_queries
):
    open_accounts(product, customer, count, branch=org["BJ01"])
    teller.get_all_permissions()  # the user's permissions are read once per request anyway

    with django_assert_num_queries(3):
        accounts = ports.customer_accounts(customer_no=customer.customer_no, user=teller)

    assert len(accounts) == count


def test_360_page_queries_do_not_grow_with_the_accounts(
    client, teller, org, customer, product, django_assert_num_queries
):
    open_accounts(product, customer, 1, branch=org["BJ01"])
    client.force_login(teller)
    url = reverse("customers:detail", args=[customer.customer_no])
    client.get(url)  # session and permission caches warm
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert rows_of(page) == 1

    open_accounts(product, customer, 7, branch=org["BJ01"])
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()

    assert rows_of(page) == 8


def test_accounts_opened_outside_the_users_branches_are_not_listed(
    client, make_user, org, customer, product
):
    (near,) = open_accounts(product, customer, 1, branch=org["BJ01"])
    (far,) = open_accounts(product, customer, 1, branch=org["BJ02"])
    teller_bj01 = make_user(Role.TELLER, "BJ01", username="bj01teller")
    client.force_login(teller_bj01)

    page = client.get(reverse("customers:detail", args=[customer.customer_no])).content.decode()

    assert near.account_no in page and far.account_no not in page


def test_a_customer_without_accounts_says_so(client, teller, customer):
    client.force_login(teller)

    page = client.get(reverse("customers:detail", args=[customer.customer_no])).content.decode()

    assert rows_of(page) == 0
    assert "No accounts opened for this customer" in page


def test_open_an_account_from_the_360_view_preselects_the_customer(
    client, teller, customer, product
):
    client.force_login(teller)
    page = client.get(reverse("customers:detail", args=[customer.customer_no])).content.decode()
    link = f"{reverse('products:account-open')}?customer={customer.customer_no}"
    assert link in page

    form = client.get(link).content.decode()

    assert f'name="customer_no" value="{customer.customer_no}"' in form


def test_the_account_page_links_back_to_its_customer(client, teller, org, customer, product):
    (account,) = open_accounts(product, customer, 1, branch=org["BJ01"])
    client.force_login(teller)

    page = client.get(
        reverse("products:account-detail", args=[account.account_no])
    ).content.decode()

    assert f'href="{reverse("customers:detail", args=[customer.customer_no])}"' in page


def test_try_a_transaction_for_the_customer_from_the_360_page(
    client, teller, param_admin, make_user, customer
):
    from authorization.demo import demo_rule_set_publish

    demo_rule_set_publish(
        proposed_by=param_admin, approved_by=make_user(Role.PARAMETER_ADMIN, "HO", username="pa2")
    )
    url = reverse("customers:detail", args=[customer.customer_no])

    # A teller starts a real transaction for the customer, the customer already filled in.
    client.force_login(teller)
    teller_link = f"{reverse('authorization:request-new')}?el_customer_no={customer.customer_no}"
    assert teller_link in client.get(url).content.decode()
    form = client.get(teller_link + "&transaction_code=ACCOUNT_OPENING").content.decode()
    assert f'value="{customer.customer_no}"' in form

    # A parameter administrator tries one against the rules, without recording anything.
    client.force_login(param_admin)
    admin_link = f"{reverse('authorization:try-it')}?el_customer_no={customer.customer_no}"
    page = client.get(url).content.decode()
    assert admin_link in page and teller_link not in page
