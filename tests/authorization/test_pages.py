"""Pages of the parameter administrators: versions, draft editing, check, simulation,
publish, roll back, compare and try it."""

import html
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from authorization.models import (
    ProcessingRule,
    RuleSetProposal,
    RuleSetStatus,
    RuleSetVersion,
    Scene,
    SceneImageRule,
    TriggerRule,
)
from authorization.selectors import rule_set_version_in_force_id
from authorization.services import (
    TransactionInput,
    evaluate,
    rule_set_content_load,
    rule_set_draft_create,
)
from tests.authorization.conftest import money
from tests.customers.factories import PersonalCustomerFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def admin_client(client, param_admin):
    client.force_login(param_admin)
    return client


@pytest.fixture
def draft(demo_rule_set, param_admin):
    return rule_set_draft_create(created_by=param_admin, note="Lower thresholds")


def rule_url(version, rule) -> str:
    return reverse("authorization:item-edit", args=[version.number, "rules", rule.pk])


def rule_post(rule, condition) -> dict:
    return {
        "code": rule.code,
        "name_en": rule.name_en,
        "name_zh_hans": rule.name_zh_hans or "",
        "reason": rule.reason_id,
        "transaction_type": rule.transaction_type_id or "",
        "trigger_systems": [s.pk for s in rule.trigger_systems.all()],
        "condition": json.dumps(condition),
        "position": rule.position,
        "is_active": "on",
    }


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["versions", "try-it", "compare"])
def test_teller_is_refused_every_page(client, teller, demo_rule_set, name):
    client.force_login(teller)

    assert client.get(reverse(f"authorization:{name}")).status_code == 403
    detail = reverse("authorization:version", args=[demo_rule_set.number])
    assert client.get(detail).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, demo_rule_set):
    response = client.get(reverse("authorization:versions"))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_manager_reads_versions_but_cannot_create_a_draft(client, manager, demo_rule_set):
    client.force_login(manager)

    assert client.get(reverse("authorization:versions")).status_code == 200
    detail = client.get(reverse("authorization:version", args=[demo_rule_set.number]))
    assert detail.status_code == 200
    assert 'data-testid="publish-panel"' not in text_of(detail)
    assert "New draft from this version" not in text_of(detail)
    assert client.post(reverse("authorization:draft-create")).status_code == 403
    assert not RuleSetVersion.objects.filter(status=RuleSetStatus.DRAFT).exists()


def test_nav_item_leads_parameter_admin_and_manager_to_the_versions_page(
    client, param_admin, manager, teller, demo_rule_set
):
    link = f'href="{reverse("authorization:versions")}"'
    for user in (param_admin, manager):
        client.force_login(user)
        assert link in client.get(reverse("authorization:versions")).content.decode()
    client.force_login(teller)
    assert link not in client.get("/", follow=True).content.decode()


# --- Versions list and detail -----------------------------------------------------------------


def test_versions_list_shows_status_effective_time_publisher_and_base(
    admin_client, draft, demo_rule_set, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        response = admin_client.get(reverse("authorization:versions"))

    page = text_of(response)
    assert f"v{demo_rule_set.number}" in page and f"v{draft.number}" in page
    assert "In force" in page and "Draft" in page
    assert (
        demo_rule_set.effective_at.astimezone(timezone.get_current_timezone()).strftime(
            "%Y-%m-%d %H:%M"
        )
        in page
    )
    assert "paramadmin" in page
    assert f"Continue editing draft v{draft.number}" in page


def test_versions_list_query_count_does_not_grow_with_versions(
    admin_client, draft, param_admin, django_assert_num_queries
):
    with django_assert_num_queries(9) as few:
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


def test_version_detail_shows_every_part_readably(admin_client, demo_rule_set):
    response = admin_client.get(reverse("authorization:version", args=[demo_rule_set.number]))

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
    with django_assert_num_queries(23) as before:
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


def test_create_draft_from_published_copies_it_and_opens_it(admin_client, demo_rule_set):
    response = admin_client.post(reverse("authorization:draft-create"), {"note": "Q3 changes"})

    draft = RuleSetVersion.objects.get(status=RuleSetStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == reverse("authorization:version", args=[draft.number])
    assert draft.based_on == demo_rule_set and draft.note == "Q3 changes"
    assert draft.trigger_rules.count() == demo_rule_set.trigger_rules.count()
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


def test_valid_rule_is_saved_in_the_draft_only(admin_client, draft, demo_rule_set):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    condition = {"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}

    response = admin_client.post(rule_url(draft, rule), rule_post(rule, condition))

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.condition == condition
    published = TriggerRule.objects.get(version=demo_rule_set, code="CASH_50K")
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


def test_published_version_cannot_be_edited_through_the_pages(admin_client, demo_rule_set):
    rule = TriggerRule.objects.get(version=demo_rule_set, code="CASH_50K")

    response = admin_client.post(
        rule_url(demo_rule_set, rule), rule_post(rule, {"all": []}), follow=True
    )

    assert "is not a draft" in text_of(response)
    rule.refresh_from_db()
    assert rule.condition["field"] == "elements.amount"


def test_item_of_another_version_is_not_found(admin_client, draft, demo_rule_set):
    published_rule = TriggerRule.objects.get(version=demo_rule_set, code="CASH_50K")

    response = admin_client.get(rule_url(draft, published_rule))

    assert response.status_code == 404


# --- Check, simulation, publish ---------------------------------------------------------------


def test_check_lists_errors_with_links_to_the_offending_item(admin_client, draft):
    scene = Scene.objects.create(
        version=draft, code="EMPTY", name="Empty", classification="x", business_type="y"
    )
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    TriggerRule.objects.filter(pk=rule.pk).update(
        condition={"field": "elements.amout", "op": "gte", "value": "1.00 CNY"}
    )

    response = admin_client.get(
        reverse("authorization:check", args=[draft.number]), HTTP_HX_REQUEST="true"
    )

    page = text_of(response)
    assert "scene EMPTY" in page and "the scene has no image rules" in page
    assert f"#scene-{scene.code}" in page
    assert rule_url(draft, rule) in page and "unknown element 'amout'" in page
    assert "<html" not in page  # an htmx partial


def test_draft_page_loads_the_check_panel(admin_client, draft):
    page = text_of(admin_client.get(reverse("authorization:version", args=[draft.number])))

    assert reverse("authorization:check", args=[draft.number]) in page
    assert 'hx-trigger="load"' in page


def test_simulation_of_a_lower_threshold_shows_extra_triggers(admin_client, draft, demo_rule_set):
    for amount in ("40000.00", "45000.00", "10000.00"):
        evaluate(
            transaction=TransactionInput(
                transaction_code="CASH_WITHDRAWAL",
                channel="counter",
                branch_code="BJ01",
                elements={"amount": money(amount)},
            ),
        )
    TriggerRule.objects.filter(version=draft, code="CASH_50K").update(
        condition={"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}
    )

    response = admin_client.get(
        reverse("authorization:simulate", args=[draft.number]), HTTP_HX_REQUEST="true"
    )

    page = text_of(response)
    by_reason = page.split('data-testid="simulation-by-reason"')[1].split("</table>")[0]
    assert "LARGE_CASH" in by_reason and "+2" in by_reason
    by_branch = page.split('data-testid="simulation-by-branch"')[1].split("</table>")[0]
    assert "BJ01" in by_branch and "+2" in by_branch
    assert "amount: 40000.00 CNY" in page


def test_publish_is_refused_while_the_check_has_errors_and_says_why(admin_client, draft):
    Scene.objects.create(
        version=draft, code="EMPTY", name="Empty", classification="x", business_type="y"
    )

    response = admin_client.post(reverse("authorization:publish", args=[draft.number]), {})

    assert response.status_code == 400
    page = text_of(response)
    assert "Cannot publish" in page and "scene EMPTY: the scene has no image rules" in page
    draft.refresh_from_db()
    assert draft.status == RuleSetStatus.DRAFT
    assert not RuleSetProposal.objects.filter(version=draft).exists()


def approve_as(client, user, proposal_number_version):
    """The second administrator approves the pending proposal on the proposals page."""
    client.force_login(user)
    proposal = RuleSetProposal.objects.get(
        status="pending", version__number=proposal_number_version
    )
    return client.post(reverse("authorization:proposal-approve", args=[proposal.pk]))


def test_publish_puts_the_draft_in_force_once_a_second_admin_approves(
    admin_client, draft, demo_rule_set, second_param_admin
):
    response = admin_client.post(
        reverse("authorization:publish", args=[draft.number]), {"effective_at": ""}
    )

    assert response.status_code == 302
    assert rule_set_version_in_force_id(now=timezone.now()) == demo_rule_set.pk
    response = approve_as(admin_client, second_param_admin, draft.number)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RuleSetStatus.PUBLISHED
    assert rule_set_version_in_force_id(now=timezone.now()) == draft.pk
    publication = draft.publications.get()
    assert publication.published_by.username == "paramadmin"
    assert publication.approved_by.username == "paramadmin2"
    listing = text_of(admin_client.get(reverse("authorization:versions")))
    row = listing.split(f">v{draft.number}</a>")[1].split("</tr>")[0]
    row = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    proposer, approver = publication.published_by, publication.approved_by
    assert f"{proposer.get_full_name()} · approved by {approver.get_full_name()}" in row, row


def test_publish_with_a_future_effective_time_keeps_the_old_version_in_force(
    admin_client, draft, demo_rule_set, second_param_admin
):
    later = timezone.localtime() + timedelta(days=1)

    admin_client.post(
        reverse("authorization:publish", args=[draft.number]),
        {"effective_at": later.strftime("%Y-%m-%dT%H:%M")},
    )
    approve_as(admin_client, second_param_admin, draft.number)

    assert rule_set_version_in_force_id(now=timezone.now()) == demo_rule_set.pk
    assert rule_set_version_in_force_id(now=later + timedelta(minutes=1)) == draft.pk


def test_publishing_an_earlier_version_again_rolls_back(
    admin_client, draft, demo_rule_set, param_admin, second_param_admin
):
    admin_client.post(reverse("authorization:publish", args=[draft.number]), {})
    approve_as(admin_client, second_param_admin, draft.number)
    admin_client.force_login(param_admin)
    detail = text_of(
        admin_client.get(reverse("authorization:version", args=[demo_rule_set.number]))
    )
    assert "Propose publishing again (roll back to this version)" in detail

    response = admin_client.post(
        reverse("authorization:publish", args=[demo_rule_set.number]), {}, follow=True
    )

    assert "Roll back to v1 proposed" in text_of(response)
    assert rule_set_version_in_force_id(now=timezone.now()) == draft.pk
    approve_as(admin_client, second_param_admin, demo_rule_set.number)
    assert rule_set_version_in_force_id(now=timezone.now()) == demo_rule_set.pk


# --- Compare --------------------------------------------------------------------------------


def test_compare_shows_changed_condition_side_by_side(admin_client, draft, demo_rule_set):
    TriggerRule.objects.filter(version=draft, code="CASH_50K").update(
        condition={"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}
    )
    ProcessingRule.objects.filter(version=draft, code="P_VIP").delete()

    response = admin_client.get(
        reverse("authorization:compare"),
        {"base": demo_rule_set.number, "other": draft.number},
    )

    page = text_of(response)
    rules = page.split('data-testid="diff-trigger_rules"')[1].split("</section>")[0]
    assert "CASH_50K" in rules
    assert rules.index("Amount is at least 50,000.00 CNY") < rules.index(
        "Amount is at least 30,000.00 CNY"
    )
    processing = page.split('data-testid="diff-processing_rules"')[1].split("</section>")[0]
    assert "P_VIP" in processing and "removed" in processing


def test_compare_identical_versions_says_so(admin_client, draft, demo_rule_set):
    response = admin_client.get(
        reverse("authorization:compare"),
        {"base": demo_rule_set.number, "other": draft.number},
    )

    assert "The two versions have the same content." in text_of(response)


# --- Try it ---------------------------------------------------------------------------------


def try_it(client, version, **fields):
    params = {
        "version": version.number,
        "transaction_code": "CASH_WITHDRAWAL",
        "channel": "counter",
        "branch_code": "BJ01",
        "el_amount__currency": "CNY",
        "evaluate": "1",
        **fields,
    }
    return client.get(reverse("authorization:try-it"), params)


def test_try_it_builds_fields_from_the_transactions_elements(admin_client, demo_rule_set):
    page = text_of(
        admin_client.get(
            reverse("authorization:try-it"),
            {"version": demo_rule_set.number, "transaction_code": "ACCOUNT_OPENING"},
        )
    )

    assert 'name="el_customer_no"' in page and 'name="el_product_code"' in page
    assert 'name="el_amount__currency"' in page
    assert 'data-testid="decision"' not in page


def test_try_it_shows_decision_with_explanation(admin_client, demo_rule_set, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    response = try_it(
        admin_client, demo_rule_set, el_amount="60000.00", el_customer_no=customer.customer_no
    )

    page = text_of(response)
    decision = page.split('data-testid="decision"')[1]
    assert "Authorization required" in decision
    assert "Remote centralized" in decision and "Level 1" in decision
    assert "CASH_50K" in decision
    assert "Amount is 60,000.00 CNY (rule: is at least 50,000.00 CNY)" in decision
    assert "ID card (front)" in decision or "ID_CARD" in decision or "front" in decision.lower()
    assert "mandatory" in decision
    assert f"Decided by rule set v{demo_rule_set.number}" in decision


def test_try_it_against_the_draft_uses_the_drafts_rules_and_records_nothing(
    admin_client, draft, demo_rule_set
):
    from authorization.models import EvaluatedTransaction

    TriggerRule.objects.filter(version=draft, code="CASH_50K").update(
        condition={"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}
    )

    against_draft = text_of(try_it(admin_client, draft, el_amount="40000.00"))
    against_published = text_of(try_it(admin_client, demo_rule_set, el_amount="40000.00"))

    assert "Authorization required" in against_draft
    assert f"Decided by rule set v{draft.number}" in against_draft
    assert "No authorization needed" in against_published
    assert not EvaluatedTransaction.objects.exists()


def test_try_it_shows_errors_next_to_fields(admin_client, demo_rule_set):
    response = try_it(admin_client, demo_rule_set, el_amount="", el_customer_no="C404")

    page = text_of(response)
    assert 'data-testid="error-el_amount"' in page
    assert 'data-testid="decision"' not in page

    response = try_it(admin_client, demo_rule_set, el_amount="100.00", el_customer_no="C404")
    page = text_of(response)
    assert 'data-testid="error-el_customer_no"' in page
    assert "No customer has this customer number." in page
