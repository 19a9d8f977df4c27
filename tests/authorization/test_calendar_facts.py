"""Time facts follow the bank's business calendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from authorization.services import TransactionInput, evaluate
from bankcore.models import CalendarDay
from tests.authorization.conftest import money
from tests.authorization.factories import processing, rule, rule_set

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOLIDAY = date(2027, 10, 1)  # a Friday
MAKE_UP = date(2027, 9, 26)  # a Sunday
ORDINARY = date(2027, 9, 30)  # a Thursday


def test_a_rule_on_business_days_follows_the_calendar(param_admin, second_param_admin):
    # Any withdrawal on a day that is not a business day → remote, level 1.
    rule_set(
        (param_admin, second_param_admin),
        rules=[
            rule(
                "OFF_DAY",
                reason="OFF_DAY",
                condition={"field": "time.is_business_day", "op": "eq", "value": False},
            )
        ],
        processing=[processing("P_OFF_DAY", reason="OFF_DAY", level=1)],
    )
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

    assert "OFF_DAY" in raised_on(HOLIDAY)
    assert "OFF_DAY" not in raised_on(ORDINARY)
    assert "OFF_DAY" not in raised_on(MAKE_UP)
    assert "OFF_DAY" in raised_on(date(2027, 10, 2))  # an ordinary Saturday
