"""At the counter and the parameter desk, in a real browser: finding a customer as you type,
the customer's accounts on the 360 page with the actions from there, and small page fixes
(a tablet's status filter, the way back from the API docs, the rule-set version buttons)."""

import os
import tempfile
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from authorization.demo import demo_rule_set_publish
from authorization.services import rule_set_draft_create
from bankcore.roles import Role, roles_sync
from tests.customers.factories import PersonalCustomerFactory
from tests.products.factories import account_open_for_test, time_deposit_product_for_test

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1000}
# EASE_SCREENSHOTS=1 saves what these tests look at to the temporary directory (ease_*.png).
SCREENSHOTS = os.environ.get("EASE_SCREENSHOTS") == "1"


def snap(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{tempfile.gettempdir()}/ease_{name}.png")


# The room a <select> leaves for its text against the widest of its options, in pixels.
SELECT_ROOM = """(select) => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const widest = Math.max(...Array.from(select.options).map((o) => context.measureText(o.text).width));
  return select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - widest;
}"""

# Every visible button of the page: its box, and how many lines its label takes.
BUTTONS = """(root) => Array.from(root.querySelectorAll(".btn")).filter((b) => b.offsetParent).map((b) => {
  const box = b.getBoundingClientRect();
  const style = getComputedStyle(b);
  const inner = box.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
    - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
  return {label: b.innerText.trim(), left: box.left, right: box.right, top: box.top,
          bottom: box.bottom, lines: Math.round(inner / parseFloat(style.lineHeight))};
})"""


def test_teller_finds_a_customer_as_they_type_and_opens_an_account_from_the_360_page(
    page, sign_in, teller, org
):
    alice = PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")
    PersonalCustomerFactory(home_branch=org["BJ01"], name="Bob Li")
    product = time_deposit_product_for_test(early_withdrawals_allowed=3, name="Certificate 1Y")
    account = account_open_for_test(
        product=product,
        customer_no=alice.customer_no,
        parameters={"early_withdrawals_allowed": "1"},
        branch=org["BJ01"],
    )
    sign_in(teller)

    # The search page follows the box as the person types: no Search button pressed.
    page.goto(f"{page.live_server_url}/customers/")
    page.get_by_label("Customer number, ID document number or name").press_sequentially(
        "alic", delay=30
    )
    results = page.get_by_test_id("customer-results")
    expect(results).to_contain_text("Alice Wang")
    expect(results).not_to_contain_text("Bob Li")
    expect(page).to_have_url(f"{page.live_server_url}/customers/?q=alic&customer_type=&status=")

    results.get_by_role("link", name=alice.customer_no).click()
    accounts = page.get_by_test_id("accounts")
    expect(accounts).to_contain_text(account.account_no)
    expect(accounts).to_contain_text("Certificate 1Y")
    expect(accounts).to_contain_text("product: 3")
    snap(page, "360_accounts")

    # Open another account: the form knows the customer already.
    page.get_by_test_id("open-account").click()
    customer_box = page.get_by_label("Customer", exact=True)
    expect(customer_box).to_have_value(alice.customer_no)

    # Picking someone else by name, by keyboard only.
    customer_box.fill("")
    customer_box.press_sequentially("Bob", delay=30)
    suggestion = page.get_by_test_id("suggestion")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text("Bob Li")
    snap(page, "open_account_lookup")
    customer_box.press("ArrowDown")
    expect(suggestion).to_be_focused()
    page.keyboard.press("Enter")
    expect(customer_box).not_to_have_value(alice.customer_no)
    expect(customer_box).to_have_value(suggestion_value := customer_box.input_value())
    assert len(suggestion_value) == 12 and suggestion_value.isdigit()
    expect(page.get_by_test_id("suggestion")).to_have_count(0)

    # The account page leads back to its customer.
    page.goto(f"{page.live_server_url}/products/accounts/{account.account_no}/")
    page.get_by_test_id("account-customer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice Wang")


def test_the_status_filters_fit_on_a_tablet(page, sign_in, teller, org):
    PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")
    page.set_viewport_size(TABLET)
    sign_in(teller)

    page.goto(f"{page.live_server_url}/customers/")
    for label in ("Type", "Status"):
        select = page.get_by_role("combobox", name=label, exact=True)
        assert select.evaluate(SELECT_ROOM) >= 0, f"{label}: the longest choice is cut off"
    snap(page, "customer_search_768")
    page.goto(f"{page.live_server_url}/products/")
    assert page.locator("#f-status").evaluate(SELECT_ROOM) >= 0
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_the_api_docs_lead_back_to_the_application(page, sign_in, integrator):
    sign_in(integrator)

    page.goto(f"{page.live_server_url}/api/docs/")
    expect(page.locator("#swagger-ui")).to_be_attached()
    snap(page, "api_docs")
    page.get_by_role("link", name="Back to the Authorization Center").click()

    page.wait_for_url(f"{page.live_server_url}/**")
    assert "/api/docs/" not in page.url
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()


@pytest.mark.parametrize("width", [768, 600])
def test_the_rule_set_version_buttons_wrap_cleanly_on_a_tablet(
    page, sign_in, param_admin, make_user, width
):
    roles_sync()
    now = timezone.now() - timedelta(minutes=5)
    published = demo_rule_set_publish(
        proposed_by=param_admin,
        approved_by=make_user(Role.PARAMETER_ADMIN, "HO", username="paramadmin2"),
        now=now,
    )
    draft = rule_set_draft_create(created_by=param_admin, based_on=published, now=now)
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(param_admin)

    for version in (published, draft):
        page.goto(f"{page.live_server_url}/authorization/versions/{version.number}/")
        actions = page.get_by_test_id("version-actions").evaluate(BUTTONS)
        assert len(actions) >= 2
        # At 768 px every button of the page; narrower, the header's actions must wrap as
        # whole buttons (the rest of the page is laid out for a tablet and up).
        buttons = page.locator("main").evaluate(BUTTONS) if width >= 768 else actions
        for button in buttons:
            assert button["lines"] == 1, f"{button['label']!r} breaks inside its label"
            assert button["left"] >= 0 and button["right"] <= width, (
                f"{button['label']!r} sticks out"
            )
        for i, one in enumerate(actions):
            for other in actions[i + 1 :]:
                apart = (
                    one["right"] <= other["left"]
                    or other["right"] <= one["left"]
                    or one["bottom"] <= other["top"]
                    or other["bottom"] <= one["top"]
                )
                assert apart, f"{one['label']!r} overlaps {other['label']!r}"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        snap(page, f"version_v{version.number}_{width}")
