"""Usage controls other apps rely on: allowed transactions per account, and currencies
(amounts are never converted; a minimum binds openings in the currency it is stated in)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bankcore.models import OrgUnit
from products import selectors, services
from products.models import Account
from products.proposals import product_publication_propose
from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory
from tests.products.factories import (
    account_open_for_test,
    modify_with_approval_for_test,
    parameter_admins_for_test,
    product_create_for_test,
    time_deposit_product_for_test,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(org):
    return PersonalCustomerFactory(home_branch=org["BJ01"])


@pytest.fixture
def account(customer):
    product = time_deposit_product_for_test()  # template: deposit,early_withdrawal,renewal,closure
    return account_open_for_test(product=product, customer_no=customer.customer_no)


# ---------------------------------------------------------------- allowed transactions


def test_a_transaction_the_product_allows_is_allowed(account):
    assert selectors.account_transaction_allowed(
        account_no=account.account_no, transaction_code="early_withdrawal"
    )


def test_a_transaction_the_product_does_not_allow_is_refused_with_the_reason(account):
    check = selectors.account_transaction_check(
        account_no=account.account_no, transaction_code="transfer"
    )

    assert not check.allowed
    assert check.reason_code == "transaction_not_allowed"
    # The allowed transactions by what a user reads, never by their codes.
    assert "Early withdrawal" in check.message and "early_withdrawal" not in check.message
    assert not selectors.account_transaction_allowed(
        account_no=account.account_no, transaction_code="transfer"
    )


def test_the_account_keeps_the_transactions_of_the_version_it_opened_on(account):
    modify_with_approval_for_test(
        product=account.product,
        parameters={"allowed_transactions": "deposit,transfer,closure"},
    )

    assert selectors.account_transaction_allowed(
        account_no=account.account_no, transaction_code="early_withdrawal"
    )
    assert not selectors.account_transaction_allowed(
        account_no=account.account_no, transaction_code="transfer"
    )


def test_an_empty_control_allows_every_transaction_of_the_catalogue(customer):
    product = product_create_for_test(parameters={"allowed_transactions": []})
    account = account_open_for_test(product=product, customer_no=customer.customer_no)

    assert selectors.account_transaction_allowed(
        account_no=account.account_no, transaction_code="transfer"
    )
    unknown = selectors.account_transaction_check(
        account_no=account.account_no, transaction_code="teleport"
    )
    assert (unknown.allowed, unknown.reason_code) == (False, "transaction_unknown")


def test_an_account_that_is_not_active_does_not_transact(account):
    Account.objects.filter(pk=account.pk).update(status="frozen")

    check = selectors.account_transaction_check(
        account_no=account.account_no, transaction_code="deposit"
    )

    assert (check.allowed, check.reason_code) == (False, "account_not_active")


def test_an_unknown_account_raises_account_not_found():
    with pytest.raises(selectors.AccountNotFound):
        selectors.account_transaction_allowed(
            account_no="200000000000000", transaction_code="deposit"
        )


def test_channels_ask_the_api_whether_a_transaction_is_allowed(account, teller, api_client_for):
    api = api_client_for(teller)

    allowed = api.get(f"/api/v1/products/accounts/{account.account_no}/transactions/renewal/")
    refused = api.get(f"/api/v1/products/accounts/{account.account_no}/transactions/transfer/")

    assert allowed.json()["allowed"] is True
    assert refused.json() | {"message": ""} == {
        "account_no": account.account_no,
        "transaction_code": "transfer",
        "allowed": False,
        "reason_code": "transaction_not_allowed",
        "message": "",
    }


def test_the_transaction_api_is_scoped_to_the_users_branches(account, make_user, api_client_for):
    shanghai = make_user("teller", "SH01", username="sh-teller")

    response = api_client_for(shanghai).get(
        f"/api/v1/products/accounts/{account.account_no}/transactions/renewal/"
    )

    assert response.status_code == 404


# ---------------------------------------------------------------- currencies


@pytest.fixture
def two_currency_deposit():
    """Allows CNY and USD, minimum opening amount 0 CNY (no minimum in any currency)."""
    return product_create_for_test(
        template="demand_deposit",
        parameters={"allowed_currencies": ["CNY", "USD"], "min_opening_amount": "0.00 CNY"},
    )


def _open(product, customer_no, amount, currency):
    return services.account_open(
        product_code=product.product_code,
        customer_no=customer_no,
        currency=currency,
        opening_amount=amount,
        channel="counter",
        opened_by=None,
        branch=OrgUnit.objects.get(code="BJ01"),
        now=timezone.now(),
    )


def test_a_currency_the_product_does_not_allow_is_refused_with_a_clear_message(customer):
    product = time_deposit_product_for_test()  # CNY only

    with pytest.raises(services.AccountOpeningRefused) as caught:
        _open(product, customer.customer_no, "1000.00", "USD")

    assert caught.value.code == "currency_not_allowed"
    assert "allows CNY only" in caught.value.fields["currency"][0]


def test_the_minimum_binds_openings_in_its_own_currency_without_conversion(customer):
    product = time_deposit_product_for_test(min_opening_amount="50.00 CNY")

    with pytest.raises(services.AccountOpeningRefused) as below:
        _open(product, customer.customer_no, "49.99", "CNY")
    opening = _open(product, customer.customer_no, "50.00", "CNY")

    assert below.value.code == "below_minimum_opening_amount"
    assert "50.00 CNY" in below.value.fields["opening_amount"][0]
    assert opening.account.currency == "CNY"


def test_an_allowed_currency_without_a_stated_minimum_is_refused_not_converted(customer):
    product = product_create_for_test(
        template="demand_deposit",
        parameters={"allowed_currencies": ["CNY", "USD"], "min_opening_amount": "100.00 CNY"},
    )

    with pytest.raises(services.AccountOpeningRefused) as caught:
        _open(product, customer.customer_no, "1000000.00", "USD")

    assert caught.value.code == "minimum_not_in_currency"
    message = caught.value.fields["opening_amount"][0]
    assert "100.00 CNY" in message and "USD" in message and "not converted" in message


def test_a_zero_minimum_lets_every_allowed_currency_open(customer, two_currency_deposit):
    opening = _open(two_currency_deposit, customer.customer_no, "10.00", "USD")

    assert (opening.account.currency, opening.account.opening_amount) == ("USD", 10)


def test_an_unsupported_currency_is_named_on_the_currency_field(customer, two_currency_deposit):
    with pytest.raises(services.CurrencyNotSupported) as caught:
        _open(two_currency_deposit, customer.customer_no, "10.00", "XYZ")

    assert "currency" in caught.value.fields


def test_the_maximum_opening_amount_binds_its_own_currency(org):
    company = CorporateCustomerFactory(home_branch=org["BJ01"])
    loan = product_create_for_test(
        template="loan",
        customer_group="corporate",
        parameters={"allowed_customer_types": ["corporate"]},
    )  # 1,000 to 500,000 CNY

    with pytest.raises(services.AccountOpeningRefused) as caught:
        _open(loan, company.customer_no, "600000.00", "CNY")

    assert caught.value.code == "above_maximum_opening_amount"
    assert "500,000.00 CNY" in caught.value.fields["opening_amount"][0]


def test_a_minimum_in_a_currency_the_product_does_not_allow_cannot_be_saved(org):
    product = time_deposit_product_for_test(publish=False)  # CNY only

    with pytest.raises(services.ProductInvalid) as caught:
        services.product_modify(
            product=product,
            modified_by=None,
            now=timezone.now(),
            parameters={"min_opening_amount": "100.00 USD", "min_retained_balance": "0.00 USD"},
        )

    message = caught.value.fields["parameters.min_opening_amount"][0]
    assert "USD" in message and "never converted" in message


def test_publishing_refuses_a_minimum_in_a_currency_the_product_does_not_allow(org):
    product = product_create_for_test(
        publish=False,
        parameters={"min_opening_amount": "100.00 USD", "min_retained_balance": "0.00 USD"},
    )

    with pytest.raises(services.ProductInvalid) as caught:
        product_publication_propose(
            product=product, proposed_by=parameter_admins_for_test()[0], now=timezone.now()
        )

    assert "parameters.min_opening_amount" in caught.value.fields


def test_the_opening_page_offers_currencies_as_a_list(client, teller):
    client.force_login(teller)

    form = client.get(reverse("products:account-open")).context["form"]

    codes = [code for code, _label in form.fields["currency"].choices]
    assert "CNY" in codes and "USD" in codes
