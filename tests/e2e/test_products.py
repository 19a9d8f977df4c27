"""The product factory in a real browser: a parameter administrator builds the source's worked
example in the designer (a corporate interbank time-deposit certificate: term 21 days, minimum
opening amount 80,000 CNY, minimum retained balance 20,000 CNY, 3 early withdrawals, 5
renewals) and proposes publishing it, a second administrator approves; a teller then opens an account on it at the counter."""

import re

import pytest
from playwright.sync_api import expect

from products.models import Account, Product
from tests.customers.factories import CorporateCustomerFactory
from tests.products.factories import catalogue_ensure_for_test, product_create_for_test

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp"  # noqa: S108 - screenshots for people to look at, not secrets
NAME = "Interbank time-deposit certificate 21 days"


@pytest.fixture(autouse=True)
def catalogue():
    # Transactional tests flush the database: put the lines, parameters and templates back.
    catalogue_ensure_for_test()


def _parameter(page, code: str):
    """The designer's row of one parameter (its value, principle level and bounds)."""
    return page.locator(f'fieldset[data-parameter="{code}"]')


def _open_tab(page, zone: str) -> None:
    page.get_by_role("tab", name=re.compile(zone)).click()
    expect(page.locator(f"#zone-{zone.lower()}")).to_be_visible()


def _save(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Save draft")).click()


def test_parameter_admin_builds_the_worked_example_in_the_designer_and_publishes_it(
    page, sign_in, param_admin, second_param_admin
):
    sign_in(param_admin)
    expect(page.get_by_role("heading", name="Products", level=1)).to_be_visible()
    page.get_by_role("link", name="New product from a template").click()
    card = page.locator(".card", has=page.get_by_role("heading", name="Time deposit"))
    card.get_by_role("link", name="New product from this template").click()

    page.get_by_label("Name").fill(NAME)
    page.get_by_label("Customer group").select_option(label="Corporate")
    page.get_by_role("button", name="Create draft").click()
    product = Product.objects.get(name=NAME)
    page.wait_for_url(f"**/products/{product.product_code}/")
    expect(page.get_by_test_id("product-status")).to_have_text("Draft")

    # Feature zone: the term is fixed by the product (product principle); renewals are a
    # default the account may lower.
    _open_tab(page, "Feature")
    term = _parameter(page, "term")
    term.get_by_label("Principle level").select_option(label="Product principle")
    expect(
        term.get_by_label("Free minimum", exact=True)
    ).to_be_hidden()  # bounds belong to defaults
    term.get_by_label("Term (存期/期限)", exact=True).fill("21")
    term.get_by_label("Term (存期/期限), unit", exact=True).select_option(label="days")
    renewals = _parameter(page, "renewal_count")
    renewals.get_by_label("Renewals (续存期数)", exact=True).fill("five")  # text in a number field
    renewals.get_by_label("Free maximum", exact=True).fill("5")

    # Control zone: corporate interbank customers, the amounts, early withdrawals.
    _open_tab(page, "Control")
    types = _parameter(page, "allowed_customer_types")
    types.get_by_label("Personal").uncheck()
    types.get_by_label("Corporate").check()
    _parameter(page, "interbank_only").get_by_label(
        "Interbank (同业) customers only"
    ).select_option(label="Yes")
    opening = _parameter(page, "min_opening_amount")
    opening.get_by_label("Minimum opening amount (起存金额)", exact=True).fill("80,000.00")
    opening.get_by_label("Minimum opening amount (起存金额), currency").select_option("CNY")
    retained = _parameter(page, "min_retained_balance")
    retained.get_by_label("Minimum retained balance (最低留存金额)", exact=True).fill(
        "90000"
    )  # above 80,000
    withdrawals = _parameter(page, "early_withdrawals_allowed")
    withdrawals.get_by_label("Early withdrawals allowed (可提前支取次数)").fill("3")
    withdrawals.get_by_label("Free maximum", exact=True).fill("3")
    withdrawals.get_by_label("Negotiable maximum", exact=True).fill("5")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SHOTS}/designer-1280.png", full_page=True)
    _save(page)

    # The bad number is named next to its field, and its tab is flagged.
    expect(page.get_by_test_id("designer-errors")).to_contain_text("Nothing was saved")
    expect(page.get_by_test_id("error-renewal_count")).to_contain_text("Enter a whole number")
    expect(
        _parameter(page, "renewal_count").get_by_label("Renewals (续存期数)", exact=True)
    ).to_have_class(re.compile("is-invalid"))
    expect(page.get_by_role("tab", name=re.compile("Feature"))).to_contain_text("has errors")
    _open_tab(page, "Feature")
    expect(_parameter(page, "renewal_count").get_by_test_id("error-renewal_count")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/designer-errors-1280.png", full_page=True)
    _parameter(page, "renewal_count").get_by_label("Renewals (续存期数)", exact=True).fill("5")
    _save(page)

    # The retained balance above the minimum opening amount is named next to its field.
    _open_tab(page, "Control")
    error = _parameter(page, "min_retained_balance").get_by_test_id("error-min_retained_balance")
    expect(error).to_contain_text("cannot exceed the minimum opening amount")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=f"{SHOTS}/designer-errors-768.png", full_page=True)
    retained = _parameter(page, "min_retained_balance")
    retained.get_by_label("Minimum retained balance (最低留存金额)", exact=True).fill("20000")
    _save(page)
    expect(page.get_by_role("alert").filter(has_text="Saved as version 1")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/designer-768.png", full_page=True)

    # Publishing is a proposal; a second parameter administrator approves it.
    page.get_by_role("button", name="Propose publication").click()
    expect(page.get_by_role("alert").first).to_contain_text("proposed")
    page.context.clear_cookies()
    sign_in(second_param_admin)
    page.goto(f"{page.live_server_url}/products/proposals/")
    page.get_by_test_id(re.compile(r"^product-proposal-")).first.get_by_role(
        "button", name="Approve"
    ).click()
    expect(page.get_by_test_id("product-status")).to_have_text("Active")
    expect(page.get_by_test_id("publication")).to_contain_text(
        f"approved by {second_param_admin.get_full_name()}"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SHOTS}/designer-active-1280.png", full_page=True)

    values = {
        row.definition.code: row.value
        for row in product.versions.get(number=1).parameters.select_related("definition")
    }
    assert values["term"] == "21D"
    assert values["min_opening_amount"] == "80000.00 CNY"
    assert values["min_retained_balance"] == "20000.00 CNY"
    assert values["early_withdrawals_allowed"] == "3"
    assert values["renewal_count"] == "5"
    assert values["allowed_customer_types"] == "corporate"
    assert values["interbank_only"] == "true"
    product.refresh_from_db()
    assert product.status == "active"
    assert product.customer_group == "corporate"


@pytest.fixture
def certificate():
    return product_create_for_test(
        template="time_deposit",
        name=NAME,
        customer_group="corporate",
        parameters={
            "term": {"value": "21D", "principle_level": "product"},
            "min_opening_amount": "80000.00 CNY",
            "min_retained_balance": "20000.00 CNY",
            "early_withdrawals_allowed": {"value": "3", "free_max": "3"},
            "renewal_count": {"value": "5", "free_max": "5"},
            "allowed_customer_types": ["corporate"],
            "interbank_only": "true",
        },
    )


def test_teller_opens_an_account_on_the_certificate_after_a_refusal_naming_the_minimum(
    page, sign_in, teller, org, certificate
):
    bank = CorporateCustomerFactory(
        name="Bank of Ningbo", is_interbank=True, home_branch=org["BJ01"]
    )
    sign_in(teller)
    page.goto(f"{page.live_server_url}/products/accounts/open/")
    page.get_by_label("Customer", exact=True).fill(bank.customer_no)
    page.get_by_label("Product", exact=True).fill(certificate.product_code)
    page.get_by_label("Product", exact=True).press("Tab")  # the product's terms follow
    expect(page.get_by_test_id("opening-parameters")).to_be_visible()
    page.get_by_label("Currency").select_option("CNY")
    page.get_by_label("Opening amount").fill("70000")
    page.get_by_role("button", name="Open account").click()

    error = page.locator(".mb-3", has=page.get_by_label("Opening amount")).locator(
        ".invalid-feedback"
    )
    expect(error).to_contain_text("80,000.00 CNY")
    expect(page.get_by_label("Opening amount")).to_have_value("70000")
    page.screenshot(path=f"{SHOTS}/account-open-refused-1280.png", full_page=True)
    assert not Account.objects.exists()

    page.get_by_label("Opening amount").fill("80000")
    page.get_by_role("button", name="Open account").click()

    account = Account.objects.get()
    page.wait_for_url(f"**/products/accounts/{account.account_no}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(account.account_no)
    expect(page.get_by_test_id("account-status")).to_have_text("Active")
    expect(page.get_by_text("Bank of Ningbo")).to_be_visible()
    assert account.opening_amount == 80000
    assert account.parameter_values["term"] == "21D"


def test_parameter_admin_adds_a_parameter_to_a_zone_from_the_catalogue(page, sign_in, param_admin):
    sign_in(param_admin)
    page.get_by_role("link", name="Parameter catalogue").click()
    control = page.get_by_test_id("zone-control")
    expect(control).to_contain_text("min_opening_amount")
    page.screenshot(path=f"{SHOTS}/catalogue-1280.png", full_page=True)
    control.get_by_role("link", name="Add a parameter to Control").click()

    expect(page.get_by_label("Zone", exact=True)).to_have_value("control")
    page.get_by_label("Code", exact=True).fill("max_daily_withdrawal")
    page.get_by_label("Label", exact=True).fill("Maximum daily withdrawal")
    page.get_by_label("Data type").select_option(label="Money (amount and currency)")
    page.get_by_label("Minimum", exact=True).fill("50000 CNY")
    page.get_by_label("Maximum", exact=True).fill("100 CNY")
    page.get_by_label("Demand deposit").check()
    page.get_by_role("button", name="Add parameter").click()

    expect(page.get_by_test_id("error-max_value")).to_contain_text("not be below the minimum")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=f"{SHOTS}/parameter-form-errors-768.png", full_page=True)
    page.get_by_label("Minimum", exact=True).fill("0 CNY")
    page.get_by_label("Maximum", exact=True).fill("50000 CNY")
    page.get_by_role("button", name="Add parameter").click()

    row = page.locator('tr[data-parameter="max_daily_withdrawal"]')
    expect(row).to_contain_text("Maximum daily withdrawal")
    expect(row).to_contain_text("Demand deposit")
    expect(row).to_contain_text("0 products")
    page.screenshot(path=f"{SHOTS}/catalogue-768.png", full_page=True)
