"""Pages of the parameter administrators: check, simulation, publish, roll back, compare and
try it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from authorization.models import (
    ProcessingRule,
    RuleSetProposal,
    RuleSetStatus,
    Scene,
    TriggerRule,
)
from authorization.selectors import rule_set_version_in_force_id
from authorization.services import (
    TransactionInput,
    evaluate,
    rule_set_draft_create,
)
from tests.authorization.conftest import money
from tests.authorization.factories import (
    ACCOUNT_OPENING,
    EXPIRED_ID_DESK,
    REVERSAL_DESK,
    VIP_DESK,
    WITHDRAWAL_DESK,
    desks,
    rule_set,
)
from tests.authorization.pages_support import (
    rule_url,
    text_of,
)
from tests.customers.factories import PersonalCustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_version(param_admin, second_param_admin):
    """The version in force: withdrawals (50,000 and 200,000 CNY, their scene's images and
    review points), VIP withdrawals, a rule that looks the customer up (expired ID),
    reversals (on site) and account openings (no rule yet)."""
    return rule_set(
        (param_admin, second_param_admin),
        **desks(
            WITHDRAWAL_DESK,
            VIP_DESK,
            EXPIRED_ID_DESK,
            REVERSAL_DESK,
            {"transactions": [ACCOUNT_OPENING]},
        ),
    )


@pytest.fixture
def admin_client(client, param_admin):
    client.force_login(param_admin)
    return client


@pytest.fixture
def draft(first_version, param_admin):
    return rule_set_draft_create(created_by=param_admin, note="Lower thresholds")


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


def test_simulation_of_a_lower_threshold_shows_extra_triggers(admin_client, draft, first_version):
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
    admin_client, draft, first_version, second_param_admin
):
    response = admin_client.post(
        reverse("authorization:publish", args=[draft.number]), {"effective_at": ""}
    )

    assert response.status_code == 302
    assert rule_set_version_in_force_id(now=timezone.now()) == first_version.pk
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
    admin_client, draft, first_version, second_param_admin
):
    later = timezone.localtime() + timedelta(days=1)

    admin_client.post(
        reverse("authorization:publish", args=[draft.number]),
        {"effective_at": later.strftime("%Y-%m-%dT%H:%M")},
    )
    approve_as(admin_client, second_param_admin, draft.number)

    assert rule_set_version_in_force_id(now=timezone.now()) == first_version.pk
    assert rule_set_version_in_force_id(now=later + timedelta(minutes=1)) == draft.pk


def test_publishing_an_earlier_version_again_rolls_back(
    admin_client, draft, first_version, param_admin, second_param_admin
):
    admin_client.post(reverse("authorization:publish", args=[draft.number]), {})
    approve_as(admin_client, second_param_admin, draft.number)
    admin_client.force_login(param_admin)
    detail = text_of(
        admin_client.get(reverse("authorization:version", args=[first_version.number]))
    )
    assert "Propose publishing again (roll back to this version)" in detail

    response = admin_client.post(
        reverse("authorization:publish", args=[first_version.number]), {}, follow=True
    )

    assert "Roll back to v1 proposed" in text_of(response)
    assert rule_set_version_in_force_id(now=timezone.now()) == draft.pk
    approve_as(admin_client, second_param_admin, first_version.number)
    assert rule_set_version_in_force_id(now=timezone.now()) == first_version.pk


# --- Compare --------------------------------------------------------------------------------


def test_compare_shows_changed_condition_side_by_side(admin_client, draft, first_version):
    TriggerRule.objects.filter(version=draft, code="CASH_50K").update(
        condition={"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}
    )
    ProcessingRule.objects.filter(version=draft, code="P_VIP").delete()

    response = admin_client.get(
        reverse("authorization:compare"),
        {"base": first_version.number, "other": draft.number},
    )

    page = text_of(response)
    rules = page.split('data-testid="diff-trigger_rules"')[1].split("</section>")[0]
    assert "CASH_50K" in rules
    assert rules.index("Amount is at least 50,000.00 CNY") < rules.index(
        "Amount is at least 30,000.00 CNY"
    )
    processing = page.split('data-testid="diff-processing_rules"')[1].split("</section>")[0]
    assert "P_VIP" in processing and "removed" in processing


def test_compare_identical_versions_says_so(admin_client, draft, first_version):
    response = admin_client.get(
        reverse("authorization:compare"),
        {"base": first_version.number, "other": draft.number},
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


def test_try_it_builds_fields_from_the_transactions_elements(admin_client, first_version):
    page = text_of(
        admin_client.get(
            reverse("authorization:try-it"),
            {"version": first_version.number, "transaction_code": "ACCOUNT_OPENING"},
        )
    )

    assert 'name="el_customer_no"' in page and 'name="el_product_code"' in page
    assert 'name="el_amount__currency"' in page
    assert 'data-testid="decision"' not in page


def test_try_it_shows_decision_with_explanation(admin_client, first_version, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    response = try_it(
        admin_client, first_version, el_amount="60000.00", el_customer_no=customer.customer_no
    )

    page = text_of(response)
    decision = page.split('data-testid="decision"')[1]
    assert "Authorization required" in decision
    assert "Remote centralized" in decision and "Level 1" in decision
    assert "CASH_50K" in decision
    assert "Amount is 60,000.00 CNY (rule: is at least 50,000.00 CNY)" in decision
    assert "ID card (front)" in decision or "ID_CARD" in decision or "front" in decision.lower()
    assert "mandatory" in decision
    assert f"Decided by rule set v{first_version.number}" in decision


def test_try_it_against_the_draft_uses_the_drafts_rules_and_records_nothing(
    admin_client, draft, first_version
):
    from authorization.models import EvaluatedTransaction

    TriggerRule.objects.filter(version=draft, code="CASH_50K").update(
        condition={"field": "elements.amount", "op": "gte", "value": "30000.00 CNY"}
    )

    against_draft = text_of(try_it(admin_client, draft, el_amount="40000.00"))
    against_published = text_of(try_it(admin_client, first_version, el_amount="40000.00"))

    assert "Authorization required" in against_draft
    assert f"Decided by rule set v{draft.number}" in against_draft
    assert "No authorization needed" in against_published
    assert not EvaluatedTransaction.objects.exists()


def test_try_it_shows_errors_next_to_fields(admin_client, first_version):
    response = try_it(admin_client, first_version, el_amount="", el_customer_no="C404")

    page = text_of(response)
    assert 'data-testid="error-el_amount"' in page
    assert 'data-testid="decision"' not in page

    response = try_it(admin_client, first_version, el_amount="100.00", el_customer_no="C404")
    page = text_of(response)
    assert 'data-testid="error-el_customer_no"' in page
    assert "No customer has this customer number." in page
