"""The compiled engine on plain facts: no database."""

from decimal import Decimal
from unittest import mock

import pytest

from authorization.rules.compiler import RuleSetSpec, RuleSpec, TransactionSpec, compile_rule_set
from authorization.rules.conditions import (
    ConditionInvalid,
    condition_expression,
    parse_condition,
)
from authorization.rules.sentences import condition_text
from bankcore.money import Money

ELEMENTS = {"amount": "money", "product_code": "product_code", "count": "integer"}


def rule_set(*rules: RuleSpec) -> object:
    return compile_rule_set(
        RuleSetSpec(
            version_id=1,
            version_number=1,
            transactions={code: TransactionSpec(code, code, "x", ELEMENTS) for code in ("A", "B")},
            channels=frozenset({"counter", "mobile"}),
            reasons={},
            rules=rules,
        )
    )


def test_text_form_is_readable():
    node = parse_condition(
        {
            "all": [
                {"field": "elements.amount", "op": "gte", "value": "50000 CNY"},
                {
                    "any": [
                        {"field": "customer.is_employee", "op": "eq", "value": True},
                        {"field": "customer.vip_level", "op": "in", "value": [3, 4]},
                    ]
                },
            ]
        },
        elements=ELEMENTS,
    )
    # People read labels and the condition builder's words; integrators get the paths.
    assert condition_text(node, {"amount": "Amount"}) == (
        "Amount is at least 50,000.00 CNY AND (Internal employee: Yes OR VIP level is one of 3, 4)"
    )
    assert condition_expression(node) == (
        "elements.amount ≥ 50,000.00 CNY AND "
        "(customer.is_employee = true OR customer.vip_level in [3, 4])"
    )


def test_sentence_names_catalogue_values_and_reads_in_chinese():
    from django.utils import translation

    node = parse_condition(
        {
            "all": [
                {"field": "customer.customer_type", "op": "eq", "value": "corporate"},
                {"field": "elements.amount", "op": "gte", "value": "50000 CNY"},
                {"field": "time.is_business_day", "op": "eq", "value": False},
            ]
        },
        elements=ELEMENTS,
    )
    with translation.override("en"):
        english = condition_text(node, {"amount": "Amount"})
    with translation.override("zh-hans"):
        chinese = condition_text(node, {"amount": "金额"})

    assert english == (
        "Customer type equals Corporate AND Amount is at least 50,000.00 CNY AND Business day: No"
    )
    assert chinese == "客户类型 等于 对公 且 金额 大于或等于 50,000.00 CNY 且 营业日：否"
    for text in (english, chinese):
        assert "customer." not in text and "corporate" not in text and "false" not in text


def test_grammar_errors_name_each_place():
    with pytest.raises(ConditionInvalid) as caught:
        parse_condition(
            {"all": [{"field": "elements.count", "op": "eq", "value": "x"}, {"nope": 1}]},
            elements=ELEMENTS,
        )
    assert caught.value.errors[0].startswith("all[0].value: 'x' is not a whole number")
    assert caught.value.errors[1].startswith("all[1]: expected")


def test_rules_fire_per_code_and_channel_and_index():
    compiled = rule_set(
        RuleSpec(
            "R1", "r1", "X", "A", (), {"field": "elements.amount", "op": "gt", "value": "10 CNY"}
        ),
        RuleSpec("R2", "r2", "X", "A", ("mobile",), {"all": []}),
        RuleSpec(
            "R3",
            "r3",
            "X",
            "A",
            (),
            {
                "all": [
                    {"field": "elements.product_code", "op": "in", "value": ["P1", "P2"]},
                    {"not": {"field": "elements.count", "op": "lt", "value": 3}},
                ]
            },
        ),
        RuleSpec("R4", "r4", "X", "B", (), {"all": []}),
    )
    facts = {
        "elements.amount": Money(Decimal("11"), "CNY"),
        "elements.product_code": "P2",
        "elements.count": 3,
    }

    assert [r.code for r in compiled.fired("A", "counter", facts)] == ["R1", "R3"]
    assert [r.code for r in compiled.fired("A", "mobile", facts)] == ["R1", "R2", "R3"]
    assert [
        r.code for r in compiled.fired("A", "counter", {**facts, "elements.product_code": "P9"})
    ] == ["R1"]
    assert compiled.by_code["A"].index  # R3 is indexed by product code


def test_missing_fact_makes_comparisons_false():
    compiled = rule_set(
        RuleSpec("R1", "r1", "X", None, (), {"field": "customer.vip_level", "op": "ne", "value": 0})
    )
    assert compiled.fired("A", "counter", {}) == []
    assert [r.code for r in compiled.fired("B", "counter", {"customer.vip_level": 2})] == ["R1"]


@pytest.mark.django_db
def test_no_customer_lookup_when_no_rule_of_the_code_needs_it(param_admin, second_param_admin):
    # A customer rule on withdrawals (VIP level ≥ 3) and an amount rule on deposits: a cash
    # deposit carrying a customer number must not look the customer up.
    from authorization.services import TransactionInput, evaluate
    from tests.authorization.factories import (
        AMOUNT,
        CUSTOMER_NO,
        amount_at_least,
        processing,
        rule,
        rule_set,
        transaction,
    )

    rule_set(
        (param_admin, second_param_admin),
        transactions=[
            transaction("CASH_WITHDRAWAL", AMOUNT, CUSTOMER_NO),
            transaction("CASH_DEPOSIT", AMOUNT, CUSTOMER_NO),
        ],
        rules=[
            rule(
                "VIP",
                reason="VIP_CUSTOMER",
                condition={"field": "customer.vip_level", "op": "gte", "value": 3},
            ),
            rule(
                "DEPOSIT_50K",
                reason="LARGE_CASH",
                transaction="CASH_DEPOSIT",
                condition=amount_at_least("50000.00"),
            ),
        ],
        processing=[
            processing("P_VIP", reason="VIP_CUSTOMER"),
            processing("P_LARGE_CASH", reason="LARGE_CASH"),
        ],
    )
    with mock.patch("customers.facade.customer_profile") as lookup:
        decision = evaluate(
            transaction=TransactionInput(
                transaction_code="CASH_DEPOSIT",
                channel="counter",
                elements={
                    "amount": {"amount": "60000.00", "currency": "CNY"},
                    "customer_no": "100000000001",
                },
            )
        ).decision
    lookup.assert_not_called()
    assert [reason.rule_code for reason in decision.reasons] == ["DEPOSIT_50K"]


def test_one_compiled_rule_set_explains_in_each_requests_language():
    # A compiled rule set is shared by requests in every language: the condition text and the
    # explanation follow the language active when the decision is made, not when compiled.
    from django.utils import translation

    with translation.override("zh-hans"):  # compiled while Chinese is active
        compiled = rule_set(
            RuleSpec(
                "R1",
                "r1",
                "X",
                "A",
                (),
                {
                    "all": [
                        {"field": "elements.product_code", "op": "in", "value": ["P1"]},
                        {"not": {"field": "elements.count", "op": "lt", "value": 3}},
                    ]
                },
            )
        )
    facts = {"elements.product_code": "P1", "elements.count": 5}

    with translation.override("en"):
        english = compiled.decide("A", "counter", facts).reasons[0]
    with translation.override("zh-hans"):
        chinese = compiled.decide("A", "counter", facts).reasons[0]
    with translation.override("en"):
        again = compiled.decide("A", "counter", facts).reasons[0]

    assert english.condition == "product_code is one of P1 AND NOT (count is less than 3)"
    assert english.explanation == (
        "product_code is P1 (rule: is one of P1); not (count is less than 3): count is 5"
    )
    assert english.expression == 'elements.product_code in ["P1"] AND NOT (elements.count < 3)'
    assert chinese.condition == "product_code 属于以下之一 P1 且 非（count 小于 3）"
    assert chinese.explanation == (
        "product_code为 P1（规则：属于以下之一 P1）; 非（count 小于 3）：count为 5"
    )
    assert chinese.expression == english.expression
    assert (again.condition, again.explanation) == (english.condition, english.explanation)


def test_every_fact_is_one_declaration_read_from_a_fetched_source():
    from authorization.rules.catalogue import FACTS, FACTS_BY_SOURCE, TRANSACTION
    from authorization.services.facts import _FETCHERS, ProductRecord, TimeRecord

    fetched = {source for source, _fetch in _FETCHERS} | {TRANSACTION}
    assert {fact.source for fact in FACTS.values()} <= fetched
    assert sorted(path for facts in FACTS_BY_SOURCE.values() for path, _read in facts) == sorted(
        FACTS
    )
    # Each fact reads its value from its source's record, by attribute or by a function.
    assert FACTS["product.has_negotiated_parameters"].value_of(
        ProductRecord("deposit", "active", True)
    )
    assert FACTS["time.weekday"].value_of(TimeRecord(9, 3, True)) == 3
    account = type("Account", (), {"early_withdrawals_allowed": 2, "early_withdrawals_used": 2})
    assert FACTS["account.early_withdrawals_exhausted"].value_of(account) is True
    account.early_withdrawals_allowed = None  # no limit
    assert FACTS["account.early_withdrawals_exhausted"].value_of(account) is False
