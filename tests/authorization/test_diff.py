"""rule_set_diff: what changed between two versions, item by item, with conditions as text."""

import pytest

from authorization.models import (
    ProcessingRule,
    ReviewPoint,
    SceneImageRule,
    TriggerRule,
)
from authorization.services import rule_set_diff, rule_set_draft_create
from authorization.services.diff import ADDED, CHANGED, REMOVED
from tests.authorization.factories import (
    REVERSAL_DESK,
    VIP_DESK,
    WITHDRAWAL_DESK,
    desks,
    rule_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(param_admin, second_param_admin):
    """Withdrawals (with their scene's images and review points), the VIP rule and reversals."""
    return rule_set(
        (param_admin, second_param_admin),
        **desks(
            WITHDRAWAL_DESK,
            REVERSAL_DESK,
            VIP_DESK,
        ),
    )


@pytest.fixture
def draft(published, param_admin):
    return rule_set_draft_create(created_by=param_admin)


def test_a_copy_has_no_differences(published, draft):
    diff = rule_set_diff(base=published, other=draft)

    assert diff.is_empty
    assert (diff.base_number, diff.other_number) == (published.number, draft.number)


def test_changed_condition_is_shown_as_text_before_and_after(published, draft):
    TriggerRule.objects.filter(version=draft, code="CASH_50K").update(
        condition={"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}
    )

    section = rule_set_diff(base=published, other=draft).section("trigger_rules")

    (item,) = section.changed
    assert item.key == "CASH_50K" and item.status == CHANGED
    (change,) = item.changes
    assert change.field == "Condition"
    assert change.before == "Amount is at least 50,000.00 CNY"
    assert change.after == "Amount is at least 30,000.00 CNY"
    assert not section.added and not section.removed


def test_added_and_removed_rules_list_all_their_fields(published, draft):
    rule = TriggerRule.objects.get(version=draft, code="VIP_20K")
    rule.code = "VIP_30K"
    rule.save()

    section = rule_set_diff(base=published, other=draft).section("trigger_rules")

    assert [i.key for i in section.added] == ["VIP_30K"]
    assert [i.key for i in section.removed] == ["VIP_20K"]
    added = {c.field: c for c in section.added[0].changes}
    assert added["Condition"].before == "" and "VIP level" in added["Condition"].after
    assert section.added[0].status == ADDED and section.removed[0].status == REMOVED


def test_processing_rule_changes_name_each_field(published, draft):
    ProcessingRule.objects.filter(version=draft, code="P_LARGE_CASH").update(
        level=2, authorizers_required=2
    )

    (item,) = rule_set_diff(base=published, other=draft).section("processing_rules").changed

    assert {(c.field, c.before, c.after) for c in item.changes} == {
        ("Level", "1", "2"),
        ("Authorizers", "1", "2"),
    }


def test_scene_image_rules_and_review_points_are_compared(published, draft):
    SceneImageRule.objects.filter(
        scene__version=draft, scene__code="CASH_WITHDRAWAL", requirement="required"
    ).update(min_count=2)
    point = ReviewPoint.objects.filter(review_rule__scene__version=draft).order_by("id").first()
    point.severity = "advisory" if point.severity == "mandatory" else "mandatory"
    point.save()
    scene = draft.scenes.get(code="REVERSAL")
    scene.name = "Reversal of a posted transaction"
    scene.save()

    diff = rule_set_diff(base=published, other=draft)

    image_keys = [i.key for i in diff.section("image_rules").changed]
    assert image_keys and all(key.startswith("CASH_WITHDRAWAL / ") for key in image_keys)
    assert all(i.changes[0].field == "Minimum count" for i in diff.section("image_rules").changed)
    (review,) = diff.section("review_points").changed
    assert review.changes[0].field == "Severity"
    (scene_change,) = diff.section("scenes").changed
    assert scene_change.changes[0].after == "Reversal of a posted transaction"


def test_catalogue_sections_report_additions(published, draft):
    draft.image_types.create(code="GOLD_RECEIPT", name="Gold receipt", kind="completion_voucher")
    tx = draft.transaction_types.get(code="CASH_WITHDRAWAL")
    tx.elements.create(name="purpose", label="Purpose", element_type="string")

    diff = rule_set_diff(base=published, other=draft)

    assert [i.key for i in diff.section("image_types").added] == ["GOLD_RECEIPT"]
    assert [i.key for i in diff.section("transaction_elements").added] == [
        "CASH_WITHDRAWAL.purpose"
    ]
