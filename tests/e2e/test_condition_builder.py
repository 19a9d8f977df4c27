"""The condition builder in a real browser: a parameter administrator lowers the
cash-withdrawal threshold with the rows only (no JSON typed), by keyboard, sees the "reads as"
text follow, checks the draft (the rule's and the reason's names still say 50,000), and the
saved condition is exactly what the JSON view showed; in Simplified Chinese every label of the
builder is Chinese."""

import json
import os
import re
import tempfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from authorization.demo import demo_rule_set_publish
from authorization.models import TriggerRule
from authorization.selectors import rule_set_cache_clear
from authorization.services import rule_set_draft_create
from bankcore.roles import roles_sync
from tests.e2e.support import session_cookie_add

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# BUILDER_SCREENSHOTS=1 saves the builder's page to the temporary directory at 1280 and 768 px.
SCREENSHOTS = os.environ.get("BUILDER_SCREENSHOTS") == "1"


def snap(page, name: str) -> None:
    if not SCREENSHOTS:
        return
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{tempfile.gettempdir()}/builder_{name}_{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


LOWERED = {"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}

# What the builder shows that is not its own label: catalogue names from the database (they
# get their Chinese names elsewhere) and words kept as written in Chinese too.
KEPT_AS_WRITTEN = ("JSON", "VIP")


@pytest.fixture
def draft(settings, param_admin, second_param_admin):
    settings.AUTHORIZATION_RULESET_CHECK_SECONDS = 0
    roles_sync()
    rule_set_cache_clear()
    demo_rule_set_publish(
        proposed_by=param_admin,
        approved_by=second_param_admin,
        now=timezone.now() - timedelta(minutes=5),
    )
    yield rule_set_draft_create(created_by=param_admin, note="Lower the cash threshold")
    rule_set_cache_clear()


@pytest.fixture
def desk(browser, live_server):
    contexts = []

    def open_desk(user, *, locale):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        session_cookie_add(context, user=user, url=live_server.url)
        page.goto(f"{live_server.url}/")
        page.base = live_server.url
        return page

    yield open_desk
    for context in contexts:
        context.close()


def lower_the_threshold_with_the_builder(page, draft, words):
    """The journey, in the words of the page's language."""
    page.goto(page.base + reverse("authorization:version", args=[draft.number]))
    page.get_by_test_id("rule-CASH_50K").get_by_role("link", name=re.compile("CASH_50K$")).click()

    builder = page.get_by_test_id("condition-builder")
    json_view = page.get_by_label(words["json_label"])
    expect(builder).to_be_visible()
    expect(json_view).to_be_hidden()  # the JSON is the advanced view, not the editor
    row = builder.get_by_role("group", name=words["row"] + " 1")
    expect(row.get_by_label(words["field"])).to_have_value("elements.amount")
    expect(row.get_by_label(words["comparison"])).to_have_value("gte")
    expect(row.get_by_label(words["currency"])).to_have_value("CNY")
    amount = row.get_by_label(words["amount"], exact=True)
    expect(amount).to_have_value("50000.00")

    # By keyboard: a second row is added and removed again, then the amount typed.
    add = builder.get_by_role("button", name=words["add_row"], exact=True)
    add.focus()
    page.keyboard.press("Enter")
    second = builder.get_by_role("group", name=words["row"] + " 2")
    expect(second.get_by_label(words["field"])).to_be_focused()
    expect(page.get_by_test_id("condition-preview")).to_contain_text(words["reads_50k"])
    second.get_by_role("button", name=re.compile(words["remove_row"])).focus()
    page.keyboard.press("Enter")
    expect(second).to_have_count(0)
    expect(add).to_be_focused()
    amount.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("30000.00")

    preview = page.get_by_test_id("condition-preview")
    expect(preview).to_contain_text(words["reads_as"])
    expect(preview).to_contain_text(words["reads_30k"])
    expect(json_view).to_be_hidden()

    builder.get_by_role("button", name=words["show_json"]).click()
    expect(json_view).to_be_visible()
    snap(page, words["row"])
    shown = json.loads(json_view.input_value())
    assert shown == LOWERED
    return shown


def check_names(page, words):
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_test_id("rule-CASH_50K")).to_contain_text(words["reads_30k"])
    page.get_by_role("link", name=words["check_again"]).click()
    warnings = page.get_by_test_id("check-warnings")
    expect(warnings).to_contain_text(words["stale_rule"])
    expect(warnings).to_contain_text(words["stale_reason"])


ENGLISH = {
    "json_label": "Condition (JSON)",
    "row": "Condition",
    "field": "Field",
    "comparison": "Comparison",
    "amount": "Amount",
    "currency": "Currency",
    "add_row": "Add a condition",
    "remove_row": "Remove this condition",
    "reads_as": "Reads as",
    "reads_50k": "Amount is at least 50,000.00 CNY",
    "reads_30k": "Amount is at least 30,000.00 CNY",
    "show_json": "Show the JSON (advanced)",
    "save": "Save in draft",
    "check_again": "Check again",
    "stale_rule": "CASH_50K: its name states 50,000, which its condition no longer uses",
    "stale_reason": "LARGE_CASH: its name states 50,000, which no condition",
}

CHINESE = {
    "json_label": "条件（JSON）",
    "row": "条件",
    "field": "字段",
    "comparison": "比较方式",
    "amount": "金额",
    "currency": "币种",
    "add_row": "添加条件",
    "remove_row": "删除此条件",
    "reads_as": "释义",
    "reads_50k": "金额 大于或等于 50,000.00 CNY",
    "reads_30k": "金额 大于或等于 30,000.00 CNY",
    "show_json": "显示 JSON（高级）",
    "save": "保存到草稿",
    "check_again": "重新校验",
    "stale_rule": "名称写明了 50,000，但其条件已不再使用",
    "stale_reason": "名称写明了 50,000，但触发它的有效规则的条件均未使用",
}


def test_admin_lowers_the_threshold_with_the_builder_and_saves_what_the_json_view_shows(
    desk, param_admin, draft
):
    page = desk(param_admin, locale="en-US")

    shown = lower_the_threshold_with_the_builder(page, draft, ENGLISH)
    # The same inline validation as typing JSON: a rule for every transaction has no elements.
    transaction = page.get_by_label("Transaction", exact=True)
    transaction.select_option("")
    preview = page.get_by_test_id("condition-preview")
    expect(preview).to_contain_text("a rule for every transaction cannot use elements")
    row = page.get_by_role("group", name="Condition 1")
    expect(row.get_by_label("Field")).to_contain_text("elements.amount (not known here)")
    transaction.select_option(label="CASH_WITHDRAWAL Cash withdrawal")
    expect(preview).to_contain_text(ENGLISH["reads_30k"])
    expect(row.get_by_label("Field")).to_have_value("elements.amount")
    check_names(page, ENGLISH)

    assert TriggerRule.objects.get(version=draft, code="CASH_50K").condition == shown


BUILDER_TEXTS = """() => {
  const builder = document.querySelector("[data-testid=condition-builder]");
  const config = JSON.parse(document.getElementById("condition-builder-config").textContent);
  const texts = [];
  const visible = (node) => !node.closest("[hidden]");
  builder.querySelectorAll("h2, p, label, legend, button").forEach((node) => {
    if (visible(node)) texts.push(node.textContent);
  });
  builder.querySelectorAll("[aria-label], [title], [placeholder]").forEach((node) => {
    for (const name of ["aria-label", "title", "placeholder"]) {
      if (node.getAttribute(name)) texts.push(node.getAttribute(name));
    }
  });
  builder.querySelectorAll("select[data-role=op] option, select[data-role=mode] option").forEach(
    (node) => texts.push(node.textContent));
  builder.querySelectorAll("select[data-role=field]").forEach((select) => {
    select.querySelectorAll("optgroup").forEach((group, index) => {
      texts.push(group.label);
      // The transaction's own elements are catalogue data; the facts are the builder's.
      if (index > 0) group.querySelectorAll("option").forEach((node) => texts.push(node.textContent));
    });
  });
  const catalogue = Object.values(config.transactions).map((tx) => tx.name);
  return {texts: texts, catalogue: catalogue};
}"""


def test_the_same_journey_in_chinese_shows_only_chinese_labels(desk, param_admin, draft):
    page = desk(param_admin, locale="zh-CN")

    shown = lower_the_threshold_with_the_builder(page, draft, CHINESE)
    # A nested group, so its labels are on the page too.
    page.get_by_test_id("condition-builder").get_by_role("button", name="添加条件组").click()
    snap(page, "nested")
    found = page.evaluate(BUILDER_TEXTS)
    english = []
    for text in found["texts"]:
        for kept in (*found["catalogue"], *KEPT_AS_WRITTEN):
            text = text.replace(kept, "")
        if re.search(r"[A-Za-z]", text):
            english.append(text.strip())
    assert len(found["texts"]) > 40
    assert english == []

    page.get_by_role("group", name="条件组 2").get_by_role("button", name="删除此条件组").click()
    assert json.loads(page.get_by_label(CHINESE["json_label"]).input_value()) == shown
    check_names(page, CHINESE)
    assert TriggerRule.objects.get(version=draft, code="CASH_50K").condition == shown
