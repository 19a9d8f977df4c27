"""Authorization rules in a real browser: a parameter administrator changes the cash
threshold in a draft, is told exactly what is wrong, fixes it, proposes publishing it, a second
administrator approves, and the try-it form gives the new answer."""

import os
import re
import tempfile
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from authorization.demo import demo_rule_set_publish
from authorization.selectors import rule_set_cache_clear
from bankcore.roles import roles_sync

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# AUTHZ_SCREENSHOTS=1 saves screenshots of each step to /tmp at 1280 and 768 px width.
SCREENSHOTS = os.environ.get("AUTHZ_SCREENSHOTS") == "1"


def snap(page, name: str) -> None:
    if not SCREENSHOTS:
        return
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{tempfile.gettempdir()}/authz_{name}_{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture(autouse=True)
def published_rules(settings, param_admin, second_param_admin):
    settings.AUTHORIZATION_RULESET_CHECK_SECONDS = 0
    roles_sync()
    rule_set_cache_clear()
    version = demo_rule_set_publish(
        proposed_by=param_admin,
        approved_by=second_param_admin,
        now=timezone.now() - timedelta(minutes=5),
    )
    yield version
    rule_set_cache_clear()


def test_admin_fixes_a_rule_publishes_and_the_try_it_form_gives_the_new_answer(
    page, sign_in, param_admin, second_param_admin, published_rules
):
    sign_in(param_admin)
    page.goto(f"{page.live_server_url}/")
    page.get_by_role("link", name="Authorization rules").click()
    expect(page.get_by_role("heading", name="Authorization rule sets")).to_be_visible()
    snap(page, "versions")

    page.get_by_placeholder("What will you change?").fill("Lower the cash threshold")
    page.get_by_role("button", name=f"New draft from v{published_rules.number}").click()
    draft_number = published_rules.number + 1
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rule set v{draft_number}")
    expect(page.get_by_test_id("check-results")).to_contain_text("can be published")
    snap(page, "draft")

    page.get_by_test_id("rule-CASH_50K").get_by_role("link", name="Edit CASH_50K").click()
    expect(page.get_by_test_id("condition-preview")).to_contain_text(
        "Amount is at least 50,000.00 CNY"
    )
    # The condition builder shows rows; the JSON is its advanced view.
    page.get_by_role("button", name="Show the JSON (advanced)").click()
    condition = page.get_by_label("Condition (JSON)")
    condition.fill('{"field": "elements.amout", "op": "gte", "value": "30000.00 CNY"}')
    page.get_by_role("button", name="Save in draft").click()

    error = page.get_by_test_id("error-condition")
    expect(error).to_contain_text("field: unknown element 'amout'")
    expect(page.get_by_test_id("field-condition")).to_contain_text("unknown element 'amout'")
    snap(page, "rule_error")

    page.get_by_label("Condition (JSON)").fill(
        '{"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}'
    )
    expect(page.get_by_test_id("condition-preview")).to_contain_text(
        "Amount is at least 30,000.00 CNY"
    )
    page.get_by_role("button", name="Save in draft").click()

    expect(page.get_by_test_id("rule-CASH_50K")).to_contain_text("Amount is at least 30,000.00 CNY")
    page.get_by_role("button", name=f"Propose publishing v{draft_number}").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        f"Publication of v{draft_number} proposed"
    )
    proposal_row = page.get_by_test_id("proposals").get_by_role("row").nth(1)
    expect(proposal_row).to_contain_text("Another parameter administrator decides")
    snap(page, "proposed")

    page.context.clear_cookies()
    sign_in(second_param_admin)
    page.goto(f"{page.live_server_url}/authorization/proposals/")
    page.get_by_role("button", name=f"Approve and publish v{draft_number}").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        f"Approved: v{draft_number} is published"
    )
    expect(page.get_by_test_id("publications")).to_contain_text(
        f"approved by {second_param_admin.get_full_name()}"
    )

    page.get_by_role("link", name="Try it against this version").click()
    page.get_by_label("Transaction", exact=True).select_option("CASH_WITHDRAWAL")
    expect(page.get_by_role("group", name="Elements of “Cash withdrawal”")).to_be_visible()
    page.get_by_role("textbox", name=re.compile(r"^Amount")).fill("40000.00")
    page.get_by_role("button", name="Evaluate").click()

    decision = page.get_by_test_id("decision")
    expect(decision).to_contain_text("Authorization required")
    expect(decision).to_contain_text("Amount is 40,000.00 CNY (rule: is at least 30,000.00 CNY)")
    expect(decision).to_contain_text(f"Decided by rule set v{draft_number}")
    snap(page, "try_it")

    page.goto(
        f"{page.live_server_url}/authorization/compare/"
        f"?base={published_rules.number}&other={draft_number}"
    )
    expect(page.get_by_test_id("diff-trigger_rules")).to_contain_text(
        re.compile(r"50,000\.00 CNY.*30,000\.00 CNY", re.S)
    )
    snap(page, "compare")
