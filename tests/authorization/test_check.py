"""The draft check: what it finds, where it links, and what it costs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorization.models import Scene, TriggerRule
from authorization.services import rule_set_check, trigger_rule_save
from tests.authorization.factories import amount_at_least, processing, rule, rule_set

pytestmark = pytest.mark.django_db

BROKEN = {"field": "elements.amout", "op": "gte", "value": "1.00 CNY"}


@pytest.fixture
def draft(param_admin, second_param_admin):
    # A draft with one sound rule (amount ≥ 50,000 CNY on withdrawals); tests break it.
    return rule_set(
        (param_admin, second_param_admin),
        published=False,
        rules=[rule("CASH_50K", reason="LARGE_CASH", condition=amount_at_least("50000.00"))],
        processing=[processing("P_LARGE_CASH", reason="LARGE_CASH", level=1)],
    )


def test_check_links_lead_to_the_item_in_chinese_too(client, param_admin, draft):
    Scene.objects.create(
        version=draft, code="EMPTY", name="Empty", classification="x", business_type="y"
    )
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    TriggerRule.objects.filter(pk=rule.pk).update(condition=BROKEN)
    client.force_login(param_admin)

    page = client.get(
        reverse("authorization:check", args=[draft.number]),
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()

    assert reverse("authorization:item-edit", args=[draft.number, "rules", rule.pk]) in page
    assert "#scene-EMPTY" in page
    assert "CASH_50K" in page and "scene EMPTY" not in page  # the place is in Chinese


def test_check_issues_say_what_they_are_about(draft):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    TriggerRule.objects.filter(pk=rule.pk).update(condition=BROKEN)

    issue = next(i for i in rule_set_check(version=draft).errors if i.kind == "trigger_rule")

    assert (issue.code, issue.item_id) == ("CASH_50K", rule.pk)
    assert issue.place == "trigger rule CASH_50K"


def test_check_reads_a_fixed_number_of_queries_whatever_the_rules(draft):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rule_set_check(version=draft)
        return len(captured)

    before = queries()
    template = TriggerRule.objects.filter(version=draft, transaction_type__isnull=False).first()
    for n in range(5):
        trigger_rule_save(
            rule=TriggerRule(
                version=draft,
                code=f"EXTRA_{n}",
                name=f"Extra {n}",
                reason=template.reason,
                transaction_type=template.transaction_type,
                condition=template.condition,
                position=100 + n,
            )
        )
    assert queries() == before
