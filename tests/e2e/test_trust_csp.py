"""The Content-Security-Policy breaks nothing: pages, htmx, bootstrap, the designer's inline
script and the API docs run in a real browser without a single violation (issue 13, item 14)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def test_the_workspace_runs_under_the_policy(page, sign_in, teller, violations):
    sign_in(teller)
    assert page.evaluate("typeof htmx") == "object"
    page.get_by_test_id("account-menu").click()  # bootstrap's dropdown script runs
    page.get_by_role("button", name="Sign out").wait_for(state="visible")
    assert violations == []


def test_the_product_designer_script_runs_under_the_policy(page, sign_in, param_admin, violations):
    from tests.products.factories import time_deposit_product_for_test

    product = time_deposit_product_for_test(publish=False)
    sign_in(param_admin)
    page.goto(f"{page.live_server_url}/products/{product.product_code}/")
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_api_docs_run_under_the_policy(page, sign_in, integrator, violations):
    sign_in(integrator)
    page.goto(f"{page.live_server_url}/api/docs/")
    page.locator(".swagger-ui .info").wait_for()
    assert violations == []


def test_a_confirmation_still_guards_a_removal_without_inline_handlers(
    page, sign_in, teller, org, violations
):
    from playwright.sync_api import expect

    from tests.customers.factories import PersonalCustomerFactory

    customer = PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")
    spouse = PersonalCustomerFactory(home_branch=org["BJ01"], name="Bob Li")
    sign_in(teller)
    page.goto(f"{page.live_server_url}/customers/{customer.customer_no}/")
    page.get_by_role("link", name="Add relationship").click()
    page.get_by_label("The other customer is this customer's").select_option(label="Spouse")
    page.get_by_label("Other customer's number").fill(spouse.customer_no)
    page.get_by_role("button", name="Save").click()
    relationships = page.get_by_test_id("relationships")
    expect(relationships).to_contain_text("Bob Li")

    page.once("dialog", lambda dialog: dialog.dismiss())
    relationships.get_by_role("button", name="End relationship").click()
    page.wait_for_load_state("networkidle")
    expect(relationships).to_contain_text("Bob Li")  # dismissed: nothing removed

    page.once("dialog", lambda dialog: dialog.accept())
    relationships.get_by_role("button", name="End relationship").click()
    expect(relationships).to_contain_text("No related customers")
    assert violations == []
