"""The condition builder: its JSON round trip (run under Node.js, the same module the page
loads), what the rule form gives it, and the check's warning about names that state a number
the condition no longer uses."""

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from authorization.demo import DEMO_RULE_SET
from authorization.forms import ConditionField
from authorization.models import TriggerReason, TriggerRule
from authorization.rules.catalogue import OPERATORS_BY_KIND
from authorization.rules.conditions import parse_condition
from authorization.rules.names import name_numbers, numbers_not_used
from authorization.rules.sentences import condition_text
from authorization.services import rule_set_check, rule_set_draft_create, trigger_rule_save
from tests.authorization.factories import withdrawal_rule_set

MODULE = Path(__file__).resolve().parents[2] / "static" / "js" / "condition_builder.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None, reason="Node.js is not installed (make deps installs it with the npm packages)"
)
CASH_ELEMENTS = {"amount": "money", "account_no": "account_no", "customer_no": "customer_no"}

NESTED = {
    "any": [
        {"all": [{"op": "gte", "field": "customer.vip_level", "value": 3}]},
        {
            "not": {
                "all": [
                    {"field": "customer.customer_type", "op": "in", "value": ["corporate"]},
                    {"not": {"field": "customer.is_employee", "op": "is_set"}},
                ]
            }
        },
        {"field": "elements.amount", "op": "lt", "value": {"amount": "10", "currency": "USD"}},
    ]
}


def builder(script: str, payload):
    """Run `script` (a function body that sees `m`, the module, and `input`) under Node."""
    code = (
        f"const m = require({json.dumps(str(MODULE))});"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        f"const out = (function () {{ {script} }})();"
        "process.stdout.write(JSON.stringify(out === undefined ? null : out));"
    )
    done = subprocess.run(  # noqa: S603 - node running our own module
        [NODE, "-e", code],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


ROUND_TRIP = """
  return input.map((raw) => {
    const tree = m.treeFromJSON(raw);
    if (tree === null) return {shown: false};
    const once = m.treeToJSON(tree);
    const twice = m.treeToJSON(m.treeFromJSON(JSON.parse(m.formatJSON(once))));
    return {shown: true, json: once, again: m.formatJSON(once) === m.formatJSON(twice)};
  });
"""


@needs_node
def test_every_demo_condition_and_a_nested_one_round_trip_exactly():
    conditions = [rule["condition"] for rule in DEMO_RULE_SET["rules"]] + [NESTED]

    results = builder(ROUND_TRIP, conditions)

    for condition, result in zip(conditions, results, strict=True):
        assert result["shown"], condition
        assert result["json"] == condition  # JSON → builder → JSON: the same condition
        assert result["again"]  # builder → JSON → builder → JSON: the same text


@needs_node
def test_what_the_builder_cannot_show_exactly_is_left_to_the_json_view():
    conditions = [
        {"not": {"not": {"field": "customer.is_employee", "op": "is_set"}}},
        {"field": "elements.amount", "op": "gte", "value": "1 CNY", "note": "x"},
        {"all": [], "any": []},
        [1, 2],
        {"all": {"field": "customer.is_employee", "op": "is_set"}},
    ]

    results = builder(ROUND_TRIP, conditions)

    assert [result["shown"] for result in results] == [False] * len(conditions)


@needs_node
def test_builder_writes_the_json_the_way_the_server_shows_it():
    """After saving, the textarea shows exactly the text the builder had written."""
    written = builder("return m.formatJSON(m.treeToJSON(m.treeFromJSON(input)));", NESTED)

    assert written.count("\n") > 20  # indented, one key a line
    assert written == ConditionField().prepare_value(json.loads(written))


@needs_node
def test_rows_edited_in_the_builder_give_a_condition_the_server_reads_and_the_builder_again():
    """The threshold changed with the widgets only, a second row and a nested group added:
    the JSON is valid, reads as intended and comes back identical through the builder."""
    script = """
      const ops = input.operators;
      const tree = m.treeFromJSON(input.condition);
      const amount = tree.children[0];
      amount.kind = "money";
      amount.value = m.valueFromInputs("money", amount.op, {amount: "30000.00", currency: "CNY"}, amount.value);
      const vip = {type: "leaf", field: "", op: "", negated: false};
      m.leafSetField(vip, "customer.vip_level", "integer", ops.integer, null);
      m.leafSetOp(vip, "in", "integer", null);
      vip.value = m.valueFromInputs("integer", "in", {text: "3, 4"}, vip.value);
      const employee = {type: "leaf", field: "", op: "", negated: true};
      m.leafSetField(employee, "customer.is_employee", "boolean", ops.boolean, null);
      employee.value = m.valueFromInputs("boolean", employee.op, {text: "false"}, employee.value);
      const group = {type: "group", mode: "any", children: [vip, employee], negated: false};
      tree.children.push(group);
      const json = m.treeToJSON(tree);
      const again = m.treeToJSON(m.treeFromJSON(JSON.parse(m.formatJSON(json))));
      return {json: json, same: m.formatJSON(json) === m.formatJSON(again)};
    """
    result = builder(
        script,
        {"condition": DEMO_RULE_SET["rules"][0]["condition"], "operators": OPERATORS_BY_KIND},
    )

    assert result["same"]
    assert result["json"] == {
        "all": [
            {"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"},
            {
                "any": [
                    {"field": "customer.vip_level", "op": "in", "value": [3, 4]},
                    {"not": {"field": "customer.is_employee", "op": "eq", "value": False}},
                ]
            },
        ]
    }
    node = parse_condition(result["json"], elements=CASH_ELEMENTS)
    assert condition_text(node, {"amount": "Amount"}) == (
        "Amount is at least 30,000.00 CNY AND (VIP level is one of 3, 4 OR "
        "NOT (Internal employee: No))"
    )


@needs_node
def test_changing_the_comparison_keeps_the_value_when_it_still_fits():
    script = """
      const leaf = {type: "leaf", field: "customer.customer_type", op: "eq", value: "corporate", kind: "string"};
      m.leafSetOp(leaf, "in", "string", null);
      const asList = JSON.parse(JSON.stringify(leaf));
      m.leafSetOp(leaf, "is_set", "string", null);
      const known = JSON.parse(JSON.stringify(leaf));
      m.leafSetField(leaf, "elements.amount", "money", input.money, null);
      const status = {type: "leaf", field: "customer.customer_type", op: "eq", value: "corporate", kind: "string"};
      m.leafSetField(status, "customer.status", "string", input.string, input.statuses);
      const branch = {type: "leaf", field: "transaction.branch", op: "eq", value: "BJ01", kind: "string"};
      m.leafSetField(branch, "customer.home_branch", "string", input.string, [["BJ01", "BJ01"]]);
      return {asList: asList, known: known, money: leaf, status: status, branch: branch};
    """
    result = builder(
        script,
        {
            "money": OPERATORS_BY_KIND["money"],
            "string": OPERATORS_BY_KIND["string"],
            "statuses": [["active", "Active"], ["dormant", "Dormant"]],
        },
    )

    assert result["asList"]["value"] == ["corporate"]
    assert "value" not in result["known"]
    assert result["money"]["op"] == "is_set"  # a money field is known or not, too
    assert result["status"]["value"] == "active"  # "corporate" is no customer status
    assert result["branch"]["value"] == "BJ01"  # a branch code stays a branch code


# --- The rule form gives the builder what it offers -----------------------------------------


@pytest.fixture
def published(param_admin, second_param_admin):
    """Withdrawals whose rule and reason names state the thresholds their conditions use
    (50,000 and 200,000 CNY), at a counter labelled in both languages."""
    return withdrawal_rule_set(
        (param_admin, second_param_admin),
        channels=(("counter", "Counter (柜面)"), "mobile"),
        reasons=[
            ("LARGE_CASH", "Large cash withdrawal (≥ 50,000 CNY)"),
            ("VERY_LARGE_CASH", "Very large cash withdrawal (≥ 200,000 CNY)"),
        ],
    )


@pytest.fixture
def draft(published, param_admin):
    return rule_set_draft_create(created_by=param_admin, note="Builder")


def _config(page: str) -> dict:
    start = page.index('<script id="condition-builder-config" type="application/json">')
    start = page.index(">", start) + 1
    return json.loads(page[start : page.index("</script>", start)])


@pytest.mark.django_db
def test_rule_form_offers_the_transactions_elements_facts_and_catalogues(
    client, param_admin, draft
):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    client.force_login(param_admin)

    page = client.get(
        reverse("authorization:item-edit", args=[draft.number, "rules", rule.pk])
    ).content.decode()

    assert 'data-condition-builder="condition-builder-config"' in page
    assert "js/condition_builder.js" in page
    # Without JavaScript the JSON textarea is the editor: the server never hides it.
    textarea = page[page.index("<textarea", page.index('data-testid="field-condition"')) :]
    assert "hidden" not in textarea[: textarea.index(">")]
    config = _config(page)
    cash = config["transactions"][str(rule.transaction_type_id)]
    assert {"path": "elements.amount", "label": "Amount", "kind": "money", "choices": ""} in (
        cash["elements"]
    )
    facts = {fact["path"]: fact for fact in config["facts"]}
    assert facts["customer.customer_type"]["choices"] == "customer_type"
    assert ["corporate", "Corporate"] in config["catalogues"]["customer_type"]
    assert ["counter", "counter · Counter (柜面)"] in config["catalogues"]["channel"]
    assert ["CNY", "CNY"] in config["catalogues"]["currency"]
    assert config["operators"]["money"] == list(OPERATORS_BY_KIND["money"])


@pytest.mark.django_db
def test_builder_labels_are_chinese_for_a_chinese_administrator(client, param_admin, draft):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    client.force_login(param_admin)

    page = client.get(
        reverse("authorization:item-edit", args=[draft.number, "rules", rule.pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()

    config = _config(page)
    shown = [
        *config["labels"].values(),
        *config["operator_labels"].values(),
        *config["sources"].values(),
        *(fact["label"] for fact in config["facts"]),
        *(
            label
            for key in ("customer_type", "account_status")
            for _, label in config["catalogues"][key]
        ),
    ]
    english = [text for text in shown if any("a" <= ch.lower() <= "z" for ch in _words(text))]
    assert english == []


def _words(text: str) -> str:
    """The text without what stays as written in Chinese too: placeholders, JSON, VIP, codes."""
    for kept in ("%(number)s", "%(field)s", "%(transaction)s", "JSON", "VIP"):
        text = text.replace(kept, "")
    return text


# --- The check warns of names that state a number the condition no longer uses --------------


def test_numbers_are_read_from_names_as_people_write_them():
    assert name_numbers("Large cash withdrawal (≥ 50,000 CNY)") == [("50,000", Decimal(50000))]
    assert name_numbers("VIP (level 3+) withdrawal from 20,000.50 CNY") == [
        ("3", Decimal(3)),
        ("20,000.50", Decimal("20000.50")),
    ]
    assert name_numbers("大额取现（5万元及以上）") == [("5万", Decimal(50000))]
    assert name_numbers("Withdrawals above 50k") == [("50k", Decimal(50000))]
    assert name_numbers("CASH_50K after 18:30") == []


def test_a_number_is_used_whatever_its_decimal_places_and_said_once():
    assert numbers_not_used("from 50,000 CNY", {Decimal("50000.00")}) == []
    assert numbers_not_used("from 50,000 CNY (5万)", {Decimal("30000.00")}) == ["50,000"]


@pytest.mark.django_db
def test_names_stating_the_numbers_their_conditions_use_raise_no_warning(draft):
    report = rule_set_check(version=draft)

    assert [issue for issue in report.warnings if "states" in issue.message] == []


@pytest.mark.django_db
def test_check_warns_when_the_threshold_changed_but_the_names_still_state_the_old_one(draft):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    rule.condition = {"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}
    trigger_rule_save(rule=rule)

    report = rule_set_check(version=draft)

    stale = {(issue.kind, issue.code): issue for issue in report.warnings}
    assert report.ok  # a warning, not an error: the draft can still be published
    assert stale[("trigger_rule", "CASH_50K")].message == (
        "its name states 50,000, which its condition no longer uses"
    )
    assert stale[("trigger_rule", "CASH_50K")].item_id == rule.pk
    assert stale[("reason", "LARGE_CASH")].message == (
        "its name states 50,000, which no condition of the active rules raising it uses"
    )
    assert ("trigger_rule", "CASH_200K") not in stale


@pytest.mark.django_db
def test_renaming_to_the_new_threshold_clears_the_warning(draft):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    rule.condition = {"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}
    for field in _name_fields(TriggerRule):  # in every language the name is kept in
        setattr(rule, field, "Cash withdrawal from 30,000 CNY")
    trigger_rule_save(rule=rule)
    TriggerReason.objects.filter(version=draft, code="LARGE_CASH").update(
        **dict.fromkeys(_name_fields(TriggerReason), "Large cash withdrawal (≥ 30,000 CNY)")
    )

    report = rule_set_check(version=draft)

    assert [issue for issue in report.warnings if "states" in issue.message] == []


def _name_fields(model) -> list[str]:
    return [f.name for f in model._meta.fields if f.name == "name" or f.name.startswith("name_")]


@pytest.mark.django_db
def test_check_warning_is_said_in_chinese(client, param_admin, draft):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    rule.condition = {"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}
    trigger_rule_save(rule=rule)
    client.force_login(param_admin)

    page = client.get(
        reverse("authorization:check", args=[draft.number]),
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()

    assert "名称写明了 50,000，但其条件已不再使用" in page
