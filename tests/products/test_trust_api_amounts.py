"""Account opening and money parameters take amounts through the one strict parser
(issue 13, item 8)."""

import pytest
from django.urls import reverse

from products.models import Account
from products.parameters import ParameterValueInvalid, parameter_value_clean
from products.selectors import parameter_definition_get
from tests.customers.factories import PersonalCustomerFactory
from tests.products.factories import time_deposit_product_for_test

pytestmark = pytest.mark.django_db
LOOSE_AMOUNTS = [
    "1_000",
    "\uff11\uff10\uff10\uff10",  # full-width digits
    "1e3",
    "-1000.00",
    "1000.001",  # more places than CNY has
    "1,000.00",
]


@pytest.fixture
def opening(org):
    product = time_deposit_product_for_test(min_opening_amount="0.00 CNY")
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    return {
        "product_code": product.product_code,
        "customer_no": customer.customer_no,
        "currency": "CNY",
        "channel": "counter",
    }


@pytest.mark.parametrize("amount", [*LOOSE_AMOUNTS, " 1000", 1000, 1000.0])
def test_the_api_refuses_a_loosely_written_or_bare_opening_amount(
    opening, teller, api_client_for, amount
):
    response = api_client_for(teller).post(
        "/api/v1/products/accounts/", {**opening, "opening_amount": amount}, format="json"
    )

    assert response.status_code == 400, response.content
    assert "opening_amount" in response.json()["error"]["fields"]
    assert not Account.objects.exists()


def test_the_api_opens_with_a_plain_amount(opening, teller, api_client_for):
    response = api_client_for(teller).post(
        "/api/v1/products/accounts/", {**opening, "opening_amount": "1000.00"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["opening_amount"] == "1000.00"


@pytest.mark.parametrize("amount", LOOSE_AMOUNTS)
def test_the_opening_page_refuses_a_loosely_written_amount_next_to_the_field(
    opening, teller, client, amount
):
    client.force_login(teller)

    response = client.post(
        reverse("products:account-open"),
        {**opening, "opening_amount": amount, "medium": "", "parameters": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["opening_amount"]
    assert not Account.objects.exists()


@pytest.mark.parametrize("amount", ["-5.00", "1e5", "80_000", "80000.005", "\uff18\uff10"])
def test_a_money_parameter_refuses_loosely_written_or_rounded_amounts(org, amount):
    """80000.005 CNY was rounded to 80000.00 silently; -5 and 1e5 were taken."""
    definition = parameter_definition_get(code="min_opening_amount")
    with pytest.raises(ParameterValueInvalid):
        parameter_value_clean(definition=definition, raw=f"{amount} CNY")
