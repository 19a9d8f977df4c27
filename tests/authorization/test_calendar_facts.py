"""Time facts follow the bank's business calendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from authorization.models import TriggerRule
from authorization.services import (
    TransactionInput,
    evaluate,
    rule_set_draft_create,
    trigger_rule_save,
)
from bankcore.models import CalendarDay
from tests.authorization.conftest import money, publish_with_approval

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOLIDAY = date(2027, 10, 1)  # a Friday
MAKE_UP = date(2027, 9, 26)  # a Sunday
ORDINARY = date(2027, 9, 30)  # a Thursday


def test_a_rule_on_business_days_follows_the_calendar(
    demo_rule_set, param_admin, second_param_admin
):
    draft = rule_set_draft_create(created_by=param_admin)
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    rule.condition = {"field": "time.is_business_day", "op": "eq", "value": False}
    trigger_rule_save(rule=rule)
    publish_with_approval(version=draft, proposed_by=param_admin, approved_by=second_param_admin)
    CalendarDay.objects.create(day=HOLIDAY, is_business_day=False, note="National Day")
    CalendarDay.objects.create(day=MAKE_UP, is_business_day=True, note="Make-up working day")

    def raised_on(day: date) -> set[str]:
        decision = evaluate(
            transaction=TransactionInput(
                transaction_code="CASH_WITHDRAWAL",
                channel="counter",
                elements={"amount": money("100.00")},
            ),
            now=datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI),
            record=False,
        ).decision
        return {reason.rule_code for reason in decision.reasons}

    assert "CASH_50K" in raised_on(HOLIDAY)
    assert "CASH_50K" not in raised_on(ORDINARY)
    assert "CASH_50K" not in raised_on(MAKE_UP)
    assert "CASH_50K" in raised_on(date(2027, 10, 2))  # an ordinary Saturday
