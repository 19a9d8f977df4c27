"""The open-account page knows the product: its currencies and channels only, its
overridable parameters as typed fields with the free bounds and the negotiable range, the
meaning of a value before submitting, and every error at once beside its field."""

import pytest
from django.urls import reverse

from products.models import Account
from tests.customers.factories import PersonalCustomerFactory
from tests.products.factories import time_deposit_product_for_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    # Early withdrawals: free 0..1, negotiable up to 3 (needs authorization), beyond refused.
    return time_deposit_product_for_test(early_withdrawals_allowed=1, negotiable_max=3)


def test_the_currency_and_channel_lists_are_the_products(client, teller, product):
    client.force_login(teller)

    form = client.get(reverse("products:account-open"), {"product": product.product_code}).context[
        "form"
    ]

    assert [code for code, _label in form.fields["currency"].choices] == ["CNY"]
    assert [code for code, _label in form.fields["channel"].choices] == [
        "counter",
        "self_service",
        "mobile",
        "lobby_pad",
        "core",
    ]


def test_overridable_parameters_are_typed_fields_with_their_bounds(client, teller, product):
    client.force_login(teller)

    page = client.get(
        reverse("products:account-open-terms"), {"product_code": product.product_code}
    ).content.decode()

    assert 'name="parameter_early_withdrawals_allowed"' in page
    assert "Product value: 1." in page
    assert "Free: from 0 to 1." in page
    assert "Negotiable (needs authorization): at most 3." in page
    assert 'name="parameter_term"' not in page  # fixed by the product


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("3", "Needs authorization"),
        ("0", "Within the free range"),
        ("9", "outside the negotiable range"),
    ],
)
def test_a_typed_value_says_what_it_means_before_submitting(client, teller, product, value, shown):
    client.force_login(teller)

    answer = client.get(
        reverse("products:account-open-parameter"),
        {
            "product_code": product.product_code,
            "code": "early_withdrawals_allowed",
            "parameter_early_withdrawals_allowed": value,
        },
    ).content.decode()

    assert shown in answer


def test_a_form_with_three_errors_shows_all_three_at_once(client, teller, org, product):
    client.force_login(teller)

    response = client.post(
        reverse("products:account-open"),
        {
            "product_code": product.product_code,
            "customer_no": "999999999999",  # nobody
            "currency": "CNY",
            "opening_amount": "12,34.5x",  # not an amount
            "channel": "counter",
            "medium": "",
            "parameter_early_withdrawals_allowed": "9",  # beyond the negotiable range
        },
    )

    errors = response.context["form"].errors
    assert set(errors) >= {"customer_no", "opening_amount", "parameter_early_withdrawals_allowed"}
    page = response.content.decode()
    for field in ("customer_no", "opening_amount", "parameter_early_withdrawals_allowed"):
        assert f'data-testid="error-{field}"' in page
    assert not Account.objects.exists()


def test_a_negotiated_value_opens_the_account_pending_authorization(client, teller, org, product):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    client.force_login(teller)

    client.post(
        reverse("products:account-open"),
        {
            "product_code": product.product_code,
            "customer_no": customer.customer_no,
            "currency": "CNY",
            "opening_amount": "5000.00",
            "channel": "counter",
            "medium": "",
            "parameter_early_withdrawals_allowed": "3",
        },
    )

    account = Account.objects.get(customer_no=customer.customer_no)
    assert account.parameter_values["early_withdrawals_allowed"] == "3"
    assert account.status == "pending_authorization"


def test_products_are_found_as_you_type_by_code_or_name(client, teller, product):
    client.force_login(teller)
    url = reverse("products:pick")

    by_code = client.get(url, {"field": "product_code", "product_code": product.product_code})
    by_name = client.get(url, {"field": "product_code", "product_code": product.name[:12]})

    assert product.product_code in by_code.content.decode()
    assert product.product_code in by_name.content.decode()


def test_a_refusal_names_customer_types_in_words_not_codes(client, teller, org):
    corporate_only = time_deposit_product_for_test(customer_types="corporate")
    person = PersonalCustomerFactory(home_branch=org["BJ01"])
    client.force_login(teller)
    data = {
        "product_code": corporate_only.product_code,
        "customer_no": person.customer_no,
        "currency": "CNY",
        "opening_amount": "5000.00",
        "channel": "counter",
        "medium": "",
    }

    chinese = client.post(reverse("products:account-open"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.post(reverse("products:account-open"), data, HTTP_ACCEPT_LANGUAGE="en")

    (message,) = chinese.context["form"].errors["customer_no"]
    assert "仅允许对公客户" in message and "该客户为个人客户" in message
    assert "corporate" not in message and "personal" not in message
    (message,) = english.context["form"].errors["customer_no"]
    assert "allows corporate customers only; this customer is personal" in message
