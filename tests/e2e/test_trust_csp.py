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
