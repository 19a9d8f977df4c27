"""Pages of the parameter administrators: access, versions and draft editing (check,
simulation, publish, compare and try it in test_pages_publishing.py)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from authorization.models import (
    ProcessingRule,
    RuleSetStatus,
    RuleSetVersion,
    Scene,
    SceneImageRule,
    TriggerRule,
)
from authorization.services import (
    rule_set_content_load,
    rule_set_draft_create,
)
from tests.authorization.factories import (
    AMOUNT,
    REVERSAL_DESK,
    VIP_DESK,
    WITHDRAWAL_DESK,
    desks,
    rule_set,
    transaction,
)
from tests.authorization.pages_support import (
    rule_post,
    rule_url,
    text_of,
)

pytestmark = pytest.mark.django_db
TRANSFER = transaction(
    "TRANSFER",
    AMOUNT,
    ("counterparty_account", "Counterparty account", "string", True),
    business_type="payment",
)


@pytest.fixture
def first_version(param_admin, second_param_admin):
    """The version in force: withdrawals (50,000 and 200,000 CNY, their scene's images and
    review points), VIP withdrawals, reversals (on site) and transfers (no rule yet)."""
    return rule_set(
        (param_admin, second_param_admin),
        **desks(WITHDRAWAL_DESK, VIP_DESK, REVERSAL_DESK, {"transactions": [TRANSFER]}),
    )


@pytest.fixture
def admin_client(client, param_admin):
    client.force_login(param_admin)
    return client


@pytest.fixture
def draft(first_version, param_admin):
    return rule_set_draft_create(created_by=param_admin, note="Lower thresholds")


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["versions", "try-it", "compare"])
def test_teller_is_refused_every_page(client, teller, first_version, name):
    client.force_login(teller)

    assert client.get(reverse(f"authorization:{name}")).status_code == 403
    detail = reverse("authorization:version", args=[first_version.number])
    assert client.get(detail).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, first_version):
    response = client.get(reverse("authorization:versions"))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_manager_reads_versions_but_cannot_create_a_draft(client, manager, first_version):
    client.force_login(manager)

    assert client.get(reverse("authorization:versions")).status_code == 200
    detail = client.get(reverse("authorization:version", args=[first_version.number]))
    assert detail.status_code == 200
    assert 'data-testid="publish-panel"' not in text_of(detail)
    assert "New draft from this version" not in text_of(detail)
    assert client.post(reverse("authorization:draft-create")).status_code == 403
    assert not RuleSetVersion.objects.filter(status=RuleSetStatus.DRAFT).exists()


def test_nav_item_leads_parameter_admin_and_manager_to_the_versions_page(
    client, param_admin, manager, teller, first_version
):
    link = f'href="{reverse("authorization:versions")}"'
    for user in (param_admin, manager):
        client.force_login(user)
        assert link in client.get(reverse("authorization:versions")).content.decode()
    client.force_login(teller)
    assert link not in client.get("/", follow=True).content.decode()


# --- Versions list and detail -----------------------------------------------------------------


def test_versions_list_shows_status_effective_time_publisher_and_base(
    admin_client, draft, first_version, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        response = admin_client.get(reverse("authorization:versions"))

    page = text_of(response)
    assert f"v{first_version.number}" in page and f"v{draft.number}" in page
    assert "In force" in page and "Draft" in page
    assert (
        first_version.effective_at.astimezone(timezone.get_current_timezone()).strftime(
            "%Y-%m-%d %H:%M"
        )
        in page
    )
    assert "paramadmin" in page
    assert f"Continue editing draft v{draft.number}" in page


def test_versions_list_query_count_does_not_grow_with_versions(
    admin_client, draft, param_admin, django_assert_num_queries
):
    with django_assert_num_queries(8) as few:
        admin_client.get(reverse("authorization:versions"))
    for number in range(100, 110):
        RuleSetVersion.objects.create(
            number=number,
            status=RuleSetStatus.PUBLISHED,
            based_on=draft,
            created_at=timezone.now(),
            created_by=param_admin,
            effective_at=timezone.now(),
            published_by=param_admin,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        admin_client.get(reverse("authorization:versions"))


def test_version_detail_shows_every_part_readably(admin_client, first_version):
    response = admin_client.get(reverse("authorization:version", args=[first_version.number]))

    page = text_of(response)
    assert response.status_code == 200
    # Trigger rule with its condition in text form, reason and transaction.
    assert "CASH_50K" in page and "Amount is at least 50,000.00 CNY" in page
    assert "LARGE_CASH" in page and "CASH_WITHDRAWAL" in page
    # Processing rule, scene with image rules and review points, image catalogue, elements.
    assert "P_LARGE_CASH" in page and "Remote centralized" in page
    assert 'id="scene-CASH_WITHDRAWAL"' in page and "mandatory" in page
    assert "ID_CARD_FRONT" in page and "Customer identity documents" in page
    assert "customer_no" in page and "Money (amount + currency)" in page
    assert "counter" in page
    # A published version is not editable.
    assert "Edit" not in page.split('id="trigger-rules"')[1].split("</section>")[0]


def test_version_detail_query_count_is_constant(admin_client, draft, django_assert_num_queries):
    url = reverse("authorization:version", args=[draft.number])
    with django_assert_num_queries(22) as before:
        admin_client.get(url)
    rule_set_content_load(
        version=draft,
        content={
            "scenes": [
                {
                    "code": f"EXTRA_{n}",
                    "name": "Extra",
                    "classification": "cash",
                    "business_type": "deposit",
                    "images": [("ID_CARD_PAIR", "required", 1)],
                    "review": [("R", "Check", [("P", "Look", "mandatory")])],
                }
                for n in range(5)
            ],
            "rules": [
                {
                    "code": f"EXTRA_RULE_{n}",
                    "name": "Extra",
                    "reason": "LARGE_CASH",
                    "transaction": "TRANSFER",
                    "systems": ["counter"],
                    "condition": {"field": "elements.amount", "op": "gte", "value": "1.00 CNY"},
                }
                for n in range(5)
            ],
        },
    )
    with django_assert_num_queries(len(before.captured_queries)):
        admin_client.get(url)


# --- Draft editing --------------------------------------------------------------------------


def test_create_draft_from_published_copies_it_and_opens_it(admin_client, first_version):
    response = admin_client.post(reverse("authorization:draft-create"), {"note": "Q3 changes"})

    draft = RuleSetVersion.objects.get(status=RuleSetStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == reverse("authorization:version", args=[draft.number])
    assert draft.based_on == first_version and draft.note == "Q3 changes"
    assert draft.trigger_rules.count() == first_version.trigger_rules.count()
    page = text_of(admin_client.get(response["Location"]))
    assert "This is the draft" in page and "Save" not in page.split("<main")[0]


def test_second_draft_is_refused_with_a_message(admin_client, draft):
    response = admin_client.post(reverse("authorization:draft-create"), follow=True)

    assert "A draft version already exists" in text_of(response)
    assert RuleSetVersion.objects.filter(status=RuleSetStatus.DRAFT).count() == 1


def test_rule_with_unknown_element_shows_the_place_next_to_the_field_and_saves_nothing(
    admin_client, draft
):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    condition = {
        "all": [
            {"field": "transaction.channel", "op": "eq", "value": "counter"},
            {"field": "elements.amout", "op": "gte", "value": "30000.00 CNY"},
        ]
    }

    response = admin_client.post(rule_url(draft, rule), rule_post(rule, condition))

    assert response.status_code == 400
    field = text_of(response).split('data-testid="field-condition"')[1].split("field-position")[0]
    assert "all[1].field: unknown element 'amout'" in text_of(response)
    assert 'data-testid="error-condition"' in field
    rule.refresh_from_db()
    assert rule.condition == {"field": "elements.amount", "op": "gte", "value": "50000.00 CNY"}


def test_money_compared_with_text_is_refused(admin_client, draft):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    condition = {"field": "elements.amount", "op": "gte", "value": "fifty thousand"}

    response = admin_client.post(rule_url(draft, rule), rule_post(rule, condition))

    assert response.status_code == 400
    assert "value: 'fifty thousand' is not an amount" in text_of(response)


def test_condition_that_is_not_json_is_refused(admin_client, draft):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    data = rule_post(rule, {})
    data["condition"] = '{"field": "elements.amount", '

    response = admin_client.post(rule_url(draft, rule), data)

    assert response.status_code == 400
    assert "Enter a valid JSON" in text_of(response)
    # What was typed is kept in the textarea so it can be fixed.
    assert '{"field": "elements.amount", ' in text_of(response)


def test_valid_rule_is_saved_in_the_draft_only(admin_client, draft, first_version):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    condition = {"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}

    response = admin_client.post(rule_url(draft, rule), rule_post(rule, condition))

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.condition == condition
    published = TriggerRule.objects.get(version=first_version, code="CASH_50K")
    assert published.condition["value"] == "50000.00 CNY"
    page = text_of(admin_client.get(reverse("authorization:version", args=[draft.number])))
    assert "Amount is at least 30,000.00 CNY" in page


def test_rule_form_shows_the_text_form_of_the_saved_condition(admin_client, draft):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")

    page = text_of(admin_client.get(rule_url(draft, rule)))

    assert "Reads as" in page and "Amount is at least 50,000.00 CNY" in page
    assert "customer.is_employee" in page  # the fact catalogue is listed


def test_condition_preview_renders_text_or_errors(admin_client, draft):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    url = reverse("authorization:condition-preview", args=[draft.number])

    good = admin_client.post(
        url,
        rule_post(rule, {"field": "elements.amount", "op": "gt", "value": "1.00 CNY"}),
        HTTP_HX_REQUEST="true",
    )
    bad = admin_client.post(
        url, rule_post(rule, {"field": "elements.amout", "op": "gt", "value": "1.00 CNY"})
    )

    assert "Amount is more than 1.00 CNY" in text_of(good)
    assert "field: unknown element 'amout'" in text_of(bad)


def test_duplicate_code_is_refused_next_to_the_code(admin_client, draft):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    data = rule_post(rule, rule.condition)
    data["code"] = "CASH_200K"

    response = admin_client.post(rule_url(draft, rule), data)

    assert response.status_code == 400
    assert "The code CASH_200K is already used in this version." in text_of(response)


def test_new_rule_is_added_to_the_draft(admin_client, draft):
    reason = draft.trigger_reasons.get(code="LARGE_CASH")
    tx = draft.transaction_types.get(code="TRANSFER")
    data = {
        "code": "BIG_TRANSFER",
        "name_en": "Big transfer",
        "reason": reason.pk,
        "transaction_type": tx.pk,
        "condition": json.dumps(
            {"field": "elements.amount", "op": "gte", "value": "1000000.00 CNY"}
        ),
        "position": 5,
        "is_active": "on",
    }

    response = admin_client.post(
        reverse("authorization:item-new", args=[draft.number, "rules"]), data
    )

    assert response.status_code == 302
    rule = TriggerRule.objects.get(version=draft, code="BIG_TRANSFER")
    assert rule.transaction_type == tx and not rule.trigger_systems.exists()


def test_processing_rule_edit_and_scene_with_image_rule_and_review_point(admin_client, draft):
    processing = ProcessingRule.objects.get(version=draft, code="P_LARGE_CASH")
    response = admin_client.post(
        reverse("authorization:item-edit", args=[draft.number, "processing", processing.pk]),
        {
            "code": processing.code,
            "reason": processing.reason_id,
            "outcome": "authorize",
            "mode": "on_site",
            "level": 3,
            "authorizer_role": "branch_supervisor",
            "authorizers_required": 2,
            "time_limit_minutes": 15,
            "escalation_level": "",
            "scene": "",
        },
    )
    assert response.status_code == 302
    processing.refresh_from_db()
    assert (processing.mode, processing.level, processing.authorizers_required) == (
        "on_site",
        3,
        2,
    )

    response = admin_client.post(
        reverse("authorization:item-new", args=[draft.number, "scenes"]),
        {
            "code": "GOLD",
            "name_en": "Gold sale",
            "classification": "sale",
            "business_type": "retail",
        },
    )
    assert response.status_code == 302
    scene = Scene.objects.get(version=draft, code="GOLD")
    slip = draft.image_types.get(code="WITHDRAWAL_SLIP")
    admin_client.post(
        reverse("authorization:item-new", args=[draft.number, "image-rules"]),
        {"scene": scene.pk, "image_type": slip.pk, "requirement": "required", "min_count": 1},
    )
    admin_client.post(
        reverse("authorization:item-new", args=[draft.number, "review-rules"]),
        {"scene": scene.pk, "code": "ID", "name_en": "Identity", "position": 0},
    )
    review_rule = scene.review_rules.get()
    admin_client.post(
        reverse("authorization:item-new", args=[draft.number, "review-points"]),
        {
            "review_rule": review_rule.pk,
            "code": "FACE",
            "text_en": "Face matches the ID photo",
            "severity": "mandatory",
            "position": 0,
        },
    )

    page = text_of(admin_client.get(reverse("authorization:version", args=[draft.number])))
    scene_card = page.split('data-testid="scene-GOLD"')[1].split("</article>")[0]
    assert "Withdrawal slip" in scene_card or slip.name in scene_card
    assert "Face matches the ID photo" in scene_card


def test_image_rule_needs_exactly_one_type_or_combination(admin_client, draft):
    scene = draft.scenes.get(code="CASH_WITHDRAWAL")
    before = SceneImageRule.objects.filter(scene=scene).count()

    response = admin_client.post(
        reverse("authorization:item-new", args=[draft.number, "image-rules"]),
        {"scene": scene.pk, "requirement": "required", "min_count": 1},
    )

    assert response.status_code == 400
    assert "Choose either one image type or one image combination." in text_of(response)
    assert SceneImageRule.objects.filter(scene=scene).count() == before


def test_delete_removes_an_item_of_the_draft(admin_client, draft):
    rule = TriggerRule.objects.get(version=draft, code="VIP_20K")

    admin_client.post(reverse("authorization:item-delete", args=[draft.number, "rules", rule.pk]))

    assert not TriggerRule.objects.filter(pk=rule.pk).exists()


def test_published_version_cannot_be_edited_through_the_pages(admin_client, first_version):
    rule = TriggerRule.objects.get(version=first_version, code="CASH_50K")

    response = admin_client.post(
        rule_url(first_version, rule), rule_post(rule, {"all": []}), follow=True
    )

    assert "is not a draft" in text_of(response)
    rule.refresh_from_db()
    assert rule.condition["field"] == "elements.amount"


def test_item_of_another_version_is_not_found(admin_client, draft, first_version):
    published_rule = TriggerRule.objects.get(version=first_version, code="CASH_50K")

    response = admin_client.get(rule_url(draft, published_rule))

    assert response.status_code == 404
