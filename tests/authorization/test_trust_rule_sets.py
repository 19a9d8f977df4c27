"""Trust (issue 13, items 3-4): four-eyes on rule-set publication and published versions
that cannot change (item 5, publication times, in test_trust_publication_times.py). Each test
is named after the defect it guards against."""

import threading
import time

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone

from authorization.models import (
    ImageCombination,
    ReviewPoint,
    RuleSetProposal,
    RuleSetPublication,
    RuleSetStatus,
    TriggerReason,
    TriggerRule,
)
from authorization.selectors import rule_set_in_force, rule_set_version_in_force_id
from authorization.services import (
    VersionAwaitingApproval,
    VersionNotEditable,
    draft_item_delete,
    draft_item_save,
    rule_set_draft_create,
    rule_set_proposal_approve,
    rule_set_proposal_reject,
    rule_set_proposal_withdraw,
    trigger_rule_save,
)
from bankcore.four_eyes import (
    ApproverNotAllowed,
    ProposalPending,
    ProposalStatus,
    RejectionNeedsComment,
    SelfApprovalRefused,
)
from tests.authorization.conftest import publish_with_approval
from tests.authorization.factories import withdrawal_rule_set
from tests.authorization.pages_support import text_of
from tests.authorization.trust_support import lower_threshold, needs_authorization, propose
from tests.conftest import requires_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(withdrawal_rules, param_admin):
    return rule_set_draft_create(created_by=param_admin, note="Lower threshold")


# --- Item 3: four-eyes ------------------------------------------------------------------------


def test_one_admin_alone_cannot_put_a_rule_set_in_force(draft, withdrawal_rules, param_admin):
    lower_threshold(draft)

    proposal = propose(draft, param_admin)

    draft.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert draft.status == RuleSetStatus.DRAFT
    assert rule_set_in_force(now=timezone.now()).version_id == withdrawal_rules.pk
    assert not needs_authorization("45000.00")


def test_proposer_cannot_approve_their_own_publication(draft, withdrawal_rules, param_admin):
    proposal = propose(draft, param_admin)

    with pytest.raises(SelfApprovalRefused):
        rule_set_proposal_approve(proposal=proposal, approved_by=param_admin, now=timezone.now())

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert rule_set_version_in_force_id(now=timezone.now()) == withdrawal_rules.pk


def test_second_admin_approval_publishes_at_once_naming_both(
    draft, param_admin, second_param_admin
):
    lower_threshold(draft)
    proposal = propose(draft, param_admin)

    publication = rule_set_proposal_approve(
        proposal=proposal, approved_by=second_param_admin, now=timezone.now()
    )

    assert needs_authorization("45000.00")
    assert (publication.published_by, publication.approved_by) == (param_admin, second_param_admin)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.decided_by == second_param_admin
    assert publication.proposal == proposal


def test_someone_without_the_parameter_role_cannot_approve(draft, param_admin, manager):
    proposal = propose(draft, param_admin)

    with pytest.raises(ApproverNotAllowed):
        rule_set_proposal_approve(proposal=proposal, approved_by=manager, now=timezone.now())


def test_database_refuses_a_proposal_decided_by_its_proposer(draft, param_admin):
    proposal = propose(draft, param_admin)

    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSetProposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.APPROVED, decided_by=param_admin, decided_at=timezone.now()
        )


def test_database_refuses_a_publication_approved_by_its_proposer(draft, param_admin):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSetPublication.objects.create(
            version=draft,
            effective_at=now,
            published_at=now,
            published_by=param_admin,
            approved_by=param_admin,
        )


def test_rejection_needs_a_comment_and_publishes_nothing(
    draft, withdrawal_rules, param_admin, second_param_admin
):
    proposal = propose(draft, param_admin)

    with pytest.raises(RejectionNeedsComment) as refused:
        rule_set_proposal_reject(
            proposal=proposal, rejected_by=second_param_admin, comment="  ", now=timezone.now()
        )
    assert "comment" in refused.value.fields
    rule_set_proposal_reject(
        proposal=proposal,
        rejected_by=second_param_admin,
        comment="Threshold too low for rural branches",
        now=timezone.now(),
    )

    proposal.refresh_from_db()
    draft.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.decision_comment == "Threshold too low for rural branches"
    assert draft.status == RuleSetStatus.DRAFT
    assert rule_set_version_in_force_id(now=timezone.now()) == withdrawal_rules.pk
    lower_threshold(draft, "30000.00")  # editable again after the rejection


def test_rollback_by_one_admin_alone_is_only_a_proposal(
    draft, withdrawal_rules, param_admin, second_param_admin
):
    publish_with_approval(version=draft, proposed_by=param_admin, approved_by=second_param_admin)

    proposal = propose(withdrawal_rules, param_admin)

    assert proposal.is_rollback
    assert rule_set_version_in_force_id(now=timezone.now()) == draft.pk
    rule_set_proposal_approve(proposal=proposal, approved_by=second_param_admin, now=timezone.now())
    assert rule_set_version_in_force_id(now=timezone.now()) == withdrawal_rules.pk
    assert RuleSetPublication.objects.filter(version=withdrawal_rules, is_rollback=True).exists()


def test_draft_cannot_change_under_a_pending_approval(draft, param_admin):
    propose(draft, param_admin)
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    rule.name = "Changed after the proposal"

    with pytest.raises(VersionAwaitingApproval):
        trigger_rule_save(rule=rule)

    assert TriggerRule.objects.get(pk=rule.pk).name != "Changed after the proposal"


def test_withdrawn_proposal_frees_the_draft_and_only_the_proposer_may_withdraw(
    draft, param_admin, second_param_admin
):
    proposal = propose(draft, param_admin)
    with pytest.raises(ApproverNotAllowed):
        rule_set_proposal_withdraw(
            proposal=proposal, withdrawn_by=second_param_admin, now=timezone.now()
        )

    rule_set_proposal_withdraw(proposal=proposal, withdrawn_by=param_admin, now=timezone.now())

    lower_threshold(draft)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_second_pending_proposal_is_refused(
    draft, withdrawal_rules, param_admin, second_param_admin
):
    propose(draft, param_admin)

    with pytest.raises(ProposalPending):
        propose(draft, second_param_admin)


def test_proposals_page_offers_approve_to_the_second_admin_only(
    client, draft, param_admin, second_param_admin
):
    proposal = propose(draft, param_admin)
    approve_url = reverse("authorization:proposal-approve", args=[proposal.pk])

    client.force_login(param_admin)
    own = text_of(client.get(reverse("authorization:proposals")))
    assert approve_url not in own
    assert "Another parameter administrator decides on your proposal." in own
    refused = client.post(approve_url, follow=True)
    assert "must be approved or rejected by another parameter administrator" in text_of(refused)
    assert rule_set_version_in_force_id(now=timezone.now()) != draft.pk

    client.force_login(second_param_admin)
    other = text_of(client.get(reverse("authorization:proposals")))
    assert approve_url in other
    response = client.post(approve_url)
    assert response.status_code == 302
    assert rule_set_version_in_force_id(now=timezone.now()) == draft.pk


def test_rejecting_on_the_page_without_a_comment_shows_the_message_next_to_it(
    client, draft, param_admin, second_param_admin
):
    proposal = propose(draft, param_admin)
    client.force_login(second_param_admin)

    response = client.post(
        reverse("authorization:proposal-reject", args=[proposal.pk]),
        {f"p{proposal.pk}-comment": ""},
    )

    assert response.status_code == 400
    assert "This field is required." in text_of(response)
    proposal.refresh_from_db()
    assert proposal.is_pending


# --- Item 4: published versions immutable ----------------------------------------------------


def test_item_of_a_published_version_cannot_be_saved_by_naming_the_draft(draft, withdrawal_rules):
    """The old check read the `version` argument, not the item's own version."""
    published_reason = TriggerReason.objects.get(version=withdrawal_rules, code="LARGE_CASH")
    published_reason.name = "Renamed in a published version"

    with pytest.raises(VersionNotEditable):
        draft_item_save(item=published_reason, version=draft)
    with pytest.raises(VersionNotEditable):
        draft_item_delete(item=published_reason, version=draft)

    assert TriggerReason.objects.get(pk=published_reason.pk).name != published_reason.name


def test_draft_item_cannot_point_at_items_of_another_version(draft, withdrawal_rules):
    rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
    published_system = withdrawal_rules.trigger_systems.get(code="counter")

    with pytest.raises(VersionNotEditable):
        trigger_rule_save(rule=rule, trigger_systems=[published_system])


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_item_edit_racing_a_publication_cannot_commit_after_it(param_admin, second_param_admin):
    """A draft write that starts while the publication holds the version's lock must wait for
    it and then be refused (the old code read the status unlocked and committed the edit into
    the published version)."""
    published = withdrawal_rule_set((param_admin, second_param_admin))
    draft = rule_set_draft_create(created_by=param_admin, based_on=published)
    proposal = propose(draft, param_admin)
    rule_pk = TriggerRule.objects.get(version=draft, code="CASH_50K").pk
    outcome: dict = {}
    started = threading.Event()

    def edit() -> None:
        try:
            rule = TriggerRule.objects.get(pk=rule_pk)
            rule.name = "Edited during the publication"
            started.set()
            trigger_rule_save(rule=rule)
            outcome["result"] = "saved"
        except Exception as error:
            outcome["result"] = type(error).__name__
        finally:
            close_old_connections()

    # The approval publishes; its transaction stays open while the editor tries to write.
    with transaction.atomic():
        rule_set_proposal_approve(
            proposal=proposal, approved_by=second_param_admin, now=timezone.now()
        )
        editor = threading.Thread(target=edit)
        editor.start()
        started.wait(5)
        _wait_until_blocked_on_a_lock()
    editor.join(10)

    assert outcome["result"] == "VersionNotEditable"
    assert TriggerRule.objects.get(pk=rule_pk).name != "Edited during the publication"
    draft.refresh_from_db()
    assert draft.status == RuleSetStatus.PUBLISHED


def _wait_until_blocked_on_a_lock(timeout: float = 5.0) -> None:
    """Until another session of this database waits for a lock (the editor on the version)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the editor never waited for the publication's lock")


@requires_postgres
def test_database_refuses_raw_sql_changes_to_a_published_version(withdrawal_rules):
    rule = TriggerRule.objects.get(version=withdrawal_rules, code="CASH_50K")
    assert ImageCombination.image_types.through.objects.filter(
        imagecombination__version=withdrawal_rules
    ).exists()
    assert ReviewPoint.objects.filter(review_rule__scene__version=withdrawal_rules).exists()

    for statement, params in (
        ("UPDATE authorization_triggerrule SET name = %s WHERE id = %s", ["Raw", rule.pk]),
        (
            "DELETE FROM authorization_imagecombination_image_types WHERE imagecombination_id IN ("
            "SELECT id FROM authorization_imagecombination WHERE version_id = %s)",
            [withdrawal_rules.pk],
        ),
        (
            "INSERT INTO authorization_triggerreason (version_id, code, name) VALUES (%s, %s, %s)",
            [withdrawal_rules.pk, "SMUGGLED", "Added after publication"],
        ),
        (
            "UPDATE authorization_reviewpoint SET text = %s WHERE review_rule_id IN ("
            "SELECT r.id FROM authorization_scenereviewrule r JOIN authorization_scene s "
            "ON s.id = r.scene_id WHERE s.version_id = %s)",
            ["Raw", withdrawal_rules.pk],
        ),
        (
            "UPDATE authorization_rulesetversion SET status = 'draft' WHERE id = %s",
            [withdrawal_rules.pk],
        ),
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)

    assert TriggerRule.objects.get(pk=rule.pk).name == rule.name


@requires_postgres
def test_database_still_lets_drafts_change(draft):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE authorization_triggerrule SET name_en = %s WHERE version_id = %s",
            ["Draft edit", draft.pk],
        )
    assert TriggerRule.objects.filter(version=draft, name="Draft edit").exists()
