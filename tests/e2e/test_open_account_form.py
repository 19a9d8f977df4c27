"""The open-account form in a real browser: the teller finds the customer and the product as
they type, the product's own currencies and parameters appear, and a value typed into the
negotiable range says "needs authorization" before anything is submitted."""

import pytest
from playwright.sync_api import expect

from products.models import Account
from tests.customers.factories import PersonalCustomerFactory
from tests.products.factories import catalogue_ensure_for_test, time_deposit_product_for_test

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def catalogue():
    # Transactional tests flush the database: put the lines, parameters and templates back.
    catalogue_ensure_for_test()


def test_a_negotiable_value_shows_needs_authorization_before_submitting(page, sign_in, teller, org):
    product = time_deposit_product_for_test(
        early_withdrawals_allowed=1, negotiable_max=3, name="Certificate 1Y"
    )
    customer = PersonalCustomerFactory(home_branch=org["BJ01"], name="Wang Lei")
    sign_in(teller)
    page.goto(f"{page.live_server_url}/products/accounts/open/")

    page.get_by_label("Customer", exact=True).fill("Wang L")
    page.get_by_test_id("suggestion").filter(has_text=customer.customer_no).click()
    expect(page.get_by_label("Customer", exact=True)).to_have_value(customer.customer_no)
    page.get_by_label("Product", exact=True).fill("Certificate")
    page.get_by_test_id("suggestion").filter(has_text=product.product_code).click()

    parameters = page.get_by_test_id("opening-parameters")
    expect(parameters).to_contain_text("Negotiable (needs authorization): at most 3.")
    currencies = page.get_by_label("Currency").locator("option")
    expect(currencies).to_have_count(1)
    withdrawals = page.get_by_test_id("parameter-early_withdrawals_allowed")
    withdrawals.get_by_role("textbox").fill("3")
    expect(withdrawals.get_by_test_id("needs-authorization")).to_be_visible()
    withdrawals.get_by_role("textbox").fill("1")
    expect(withdrawals.get_by_test_id("needs-authorization")).to_have_count(0)
    assert not Account.objects.exists()  # nothing was submitted
