"""What the trust tests share: lowering the withdrawal rules' cash threshold in a draft, proposing a
version, and asking evaluate whether an amount needs authorization."""

from django.utils import timezone

from authorization.models import TriggerRule
from authorization.services import (
    TransactionInput,
    evaluate,
    rule_set_publication_propose,
    trigger_rule_save,
)
from tests.authorization.conftest import money


def lower_threshold(draft, amount: str = "40000.00") -> None:
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    rule.condition = {"field": "elements.amount", "op": "gte", "value": f"{amount} CNY"}
    trigger_rule_save(rule=rule)


def propose(version, user, *, effective_at=None, now=None):
    return rule_set_publication_propose(
        version=version, proposed_by=user, effective_at=effective_at, now=now or timezone.now()
    )


def needs_authorization(amount: str) -> bool:
    return evaluate(
        transaction=TransactionInput(
            transaction_code="CASH_WITHDRAWAL",
            channel="counter",
            elements={"amount": money(amount)},
        ),
        record=False,
    ).decision.required
