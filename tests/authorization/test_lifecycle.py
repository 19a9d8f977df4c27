"""Draft, validation on save, check, simulation, publish and roll back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from authorization.models import ProcessingRule, RuleSetStatus, Scene, TriggerRule
from authorization.selectors import rule_set_in_force
from authorization.services import (
    DraftAlreadyExists,
    RuleConditionInvalid,
    TransactionInput,
    VersionNotEditable,
    VersionNotPublishable,
    evaluate,
    rule_set_check,
    rule_set_draft_create,
    rule_set_publication_propose,
    rule_set_simulate,
    trigger_rule_save,
)
from tests.authorization.conftest import money, publish_with_approval
from tests.authorization.factories import REVERSAL_DESK, WITHDRAWAL_DESK, desks, rule_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_version(param_admin, second_param_admin):
    """Withdrawals from 50,000 CNY (CASH_50K, LARGE_CASH) and reversals (P_REVERSAL)."""
    return rule_set((param_admin, second_param_admin), **desks(WITHDRAWAL_DESK, REVERSAL_DESK))


@pytest.fixture
def draft(first_version, param_admin):
    return rule_set_draft_create(created_by=param_admin)


def cash_rule(draft) -> TriggerRule:
    return TriggerRule.objects.get(version=draft, code="CASH_50K")


def test_rule_with_unknown_element_is_refused_naming_the_place(draft):
    rule = cash_rule(draft)
    rule.condition = {
        "all": [
            {"field": "customer.is_employee", "op": "eq", "value": True},
            {"field": "elements.amout", "op": "gte", "value": "50000.00 CNY"},
        ]
    }

    with pytest.raises(RuleConditionInvalid) as caught:
        trigger_rule_save(rule=rule)

    (message,) = caught.value.fields["condition"]
    assert message.startswith("all[1].field: unknown element 'amout'")
    assert TriggerRule.objects.get(pk=rule.pk).condition["field"] == "elements.amount"


def test_comparing_money_with_a_string_is_refused(draft):
    rule = cash_rule(draft)
    rule.condition = {"field": "elements.amount", "op": "gte", "value": "fifty thousand"}

    with pytest.raises(RuleConditionInvalid) as caught:
        trigger_rule_save(rule=rule)

    assert caught.value.fields["condition"][0].startswith(
        "value: 'fifty thousand' is not an amount"
    )


def test_wrong_operator_for_the_type_is_refused(draft):
    rule = cash_rule(draft)
    rule.condition = {"any": [{"field": "customer.is_employee", "op": "gt", "value": True}]}

    with pytest.raises(RuleConditionInvalid) as caught:
        trigger_rule_save(rule=rule)

    assert caught.value.fields["condition"][0].startswith(
        "any[0].op: 'gt' cannot be used on boolean"
    )


def test_published_version_cannot_be_edited(first_version):
    rule = TriggerRule.objects.get(version=first_version, code="CASH_50K")
    with pytest.raises(VersionNotEditable):
        trigger_rule_save(rule=rule)


def test_draft_is_a_full_copy_and_only_one_exists(draft, first_version, param_admin):
    for related in (
        "trigger_rules",
        "processing_rules",
        "scenes",
        "image_types",
        "transaction_types",
    ):
        assert getattr(draft, related).count() == getattr(first_version, related).count() > 0
    with pytest.raises(DraftAlreadyExists):
        rule_set_draft_create(created_by=param_admin)


def test_check_reports_conflicts_and_publish_refuses_them(draft, param_admin):
    reason = draft.trigger_reasons.get(code="LARGE_CASH")
    ProcessingRule.objects.create(
        version=draft,
        code="P_DUP",
        reason=reason,
        mode="mobile",
        level=1,
        authorizer_role="remote_authorizer",
    )
    Scene.objects.create(
        version=draft, code="EMPTY", name="Empty", classification="x", business_type="y"
    )
    draft.processing_rules.filter(code="P_REVERSAL").delete()

    report = rule_set_check(version=draft)

    messages = {f"{issue.place}: {issue.message}" for issue in report.errors}
    assert "reason LARGE_CASH: 2 processing rules for one reason: P_DUP, P_LARGE_CASH" in messages
    assert "scene EMPTY: the scene has no image rules" in messages
    assert "reason REVERSAL: no processing rule says how it is handled" in messages
    with pytest.raises(VersionNotPublishable):
        rule_set_publication_propose(
            version=draft, proposed_by=param_admin, effective_at=None, now=timezone.now()
        )


def lower_threshold(draft, amount: str) -> None:
    rule = cash_rule(draft)
    rule.condition = {"field": "elements.amount", "op": "gte", "value": f"{amount} CNY"}
    trigger_rule_save(rule=rule)


def record(amount: str, branch: str) -> None:
    evaluate(
        transaction=TransactionInput(
            transaction_code="CASH_WITHDRAWAL",
            channel="counter",
            branch_code=branch,
            elements={"amount": money(amount)},
        )
    )


def test_simulation_of_a_lower_threshold_reports_the_extra_triggers(draft):
    for amount, branch in [
        ("45000.00", "BJ01"),
        ("42000.00", "SH01"),
        ("30000.00", "BJ01"),
        ("60000.00", "BJ01"),
        ("1000.00", "BJ02"),
    ]:
        record(amount, branch)
    lower_threshold(draft, "40000.00")

    report = rule_set_simulate(version=draft)

    assert report.transactions == 5
    assert report.newly_required == 2 and report.no_longer_required == 0
    (line,) = report.by_reason
    assert (line.key, line.more, line.fewer) == ("LARGE_CASH", 2, 0)
    assert {e["elements"]["amount"]["amount"] for e in line.examples} == {"45000.00", "42000.00"}
    assert {(b.key, b.more) for b in report.by_branch} == {("BJ01", 1), ("SH01", 1)}


def test_publish_changes_the_answer_and_rollback_restores_it(
    draft, first_version, param_admin, second_param_admin
):
    record("45000.00", "BJ01")
    lower_threshold(draft, "40000.00")

    published = publish_with_approval(
        version=draft, proposed_by=param_admin, approved_by=second_param_admin
    )

    assert published.status == RuleSetStatus.PUBLISHED
    decision = evaluate(
        transaction=TransactionInput(
            transaction_code="CASH_WITHDRAWAL",
            channel="counter",
            elements={"amount": money("45000.00")},
        )
    ).decision
    assert decision.required and decision.version_number == published.number

    publish_with_approval(  # roll back
        version=first_version, proposed_by=second_param_admin, approved_by=param_admin
    )

    decision = evaluate(
        transaction=TransactionInput(
            transaction_code="CASH_WITHDRAWAL",
            channel="counter",
            elements={"amount": money("45000.00")},
        )
    ).decision
    assert not decision.required and decision.version_number == first_version.number
    # Earlier versions stay readable, unchanged.
    assert cash_rule(draft).condition["value"] == "40000.00 CNY"


def test_publication_with_a_future_effective_time_waits_for_it(
    draft, first_version, param_admin, second_param_admin
):
    now = timezone.now()
    publish_with_approval(
        version=draft,
        proposed_by=param_admin,
        approved_by=second_param_admin,
        effective_at=now + timedelta(hours=1),
        now=now,
    )

    assert rule_set_in_force(now=now).version_number == first_version.number
    assert rule_set_in_force(now=now + timedelta(hours=2)).version_number == draft.number
