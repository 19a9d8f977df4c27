"""One literal parser: a value in a rule's condition and the same value sent as a transaction's
element are read alike (accepted as the same value, or refused with the same translated
message)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from authorization.rules.compiler import RuleSetSpec, TransactionSpec, compile_rule_set
from authorization.rules.conditions import ConditionInvalid, parse_condition
from authorization.services import InvalidTransaction, TransactionInput, transaction_parse

ELEMENTS = {
    "count": "integer",
    "rate": "decimal",
    "on": "date",
    "urgent": "boolean",
    "note": "string",
}
RULE_SET = compile_rule_set(
    RuleSetSpec(
        version_id=1,
        version_number=1,
        transactions={"T1": TransactionSpec("T1", "Test", "", ELEMENTS)},
        channels=frozenset({"counter"}),
        reasons={},
        rules=(),
    )
)


def as_literal(name: str, raw):
    """(value, None) or (None, message) for `raw` as the value of a condition on `name`."""
    try:
        leaf = parse_condition(
            {"field": f"elements.{name}", "op": "eq", "value": raw}, elements=ELEMENTS
        )
    except ConditionInvalid as exc:
        # "value: <message> for <kind> field 'elements.<name>'"
        message = exc.errors[0].removeprefix("value: ")
        return None, message[: message.rindex(" for ")]
    return leaf.value, None


def as_element(name: str, raw):
    """(value, None) or (None, message) for `raw` sent as element `name`."""
    transaction = TransactionInput(transaction_code="T1", channel="counter", elements={name: raw})
    try:
        return transaction_parse(rule_set=RULE_SET, transaction=transaction)[name], None
    except InvalidTransaction as exc:
        return None, exc.fields[f"elements.{name}"][0]


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("count", "3", 3),  # a rule literal always took "3"; an element refused it
        ("count", 3, 3),
        ("count", "-2", -2),
        ("rate", "12.50", Decimal("12.50")),
        ("rate", 12, Decimal(12)),
        ("on", "2026-01-31", date(2026, 1, 31)),
        ("urgent", True, True),
        ("note", "vip", "vip"),
    ],
)
def test_a_value_both_accept_is_the_same_value(name, raw, expected):
    assert as_literal(name, raw) == as_element(name, raw) == (expected, None)


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("count", "3.5", "'3.5' is not a whole number"),
        ("count", True, "True is not a whole number"),
        ("count", "\uff13", "'\uff13' is not a whole number"),  # full-width digit 3
        ("rate", 12.5, "12.5 is not a decimal number (write it as a string)"),
        ("rate", "1e3", "'1e3' is not a decimal number (write it as a string)"),
        ("on", "2026-13-01", "'2026-13-01' is not a date (YYYY-MM-DD)"),
        ("on", "31/01/2026", "'31/01/2026' is not a date (YYYY-MM-DD)"),
        ("on", 20260131, "20260131 is not a date (YYYY-MM-DD)"),
        ("urgent", "true", "'true' is not true or false"),
        ("note", 5, "5 is not text"),
    ],
)
def test_a_value_both_refuse_gets_the_same_message(name, raw, message):
    assert as_literal(name, raw) == as_element(name, raw) == (None, message)


def test_a_bad_date_is_answered_in_the_users_language_not_pythons():
    condition = {"field": "elements.on", "op": "eq", "value": "2026-02-30"}
    with translation.override("zh-hans"), pytest.raises(ConditionInvalid) as caught:
        parse_condition(condition, elements=ELEMENTS)
    with translation.override("zh-hans"):
        _value, message = as_element("on", "2026-02-30")

    assert message == "'2026-02-30' 不是日期（YYYY-MM-DD）"
    assert message in caught.value.errors[0]
    assert "day is out of range" not in caught.value.errors[0] + message  # Python's own


def test_a_blank_text_element_is_still_refused_though_a_literal_may_be_empty():
    assert as_element("note", "  ") == (None, "must be non-empty text")
    assert as_element("note", " vip ") == ("vip", None)
