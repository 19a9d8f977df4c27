"""Trust (issue 13, item 5): publication times that mean something, and version standings
that are what evaluate uses. Each test is named after the defect it guards against."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from authorization.models import (
    RuleSetProposal,
    RuleSetPublication,
    RuleSetStatus,
    RuleSetVersion,
)
from authorization.page_selectors import VersionStanding, rule_set_version_rows
from authorization.selectors import rule_set_in_force, rule_set_version_in_force_id
from authorization.services import (
    EffectiveTimeInvalid,
    VersionAlreadyInForce,
    rule_set_draft_create,
    rule_set_proposal_approve,
)
from tests.authorization.conftest import publish_with_approval
from tests.authorization.pages_support import text_of
from tests.authorization.trust_support import propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(withdrawal_rules, param_admin):
    return rule_set_draft_create(created_by=param_admin, note="Lower threshold")


# --- Item 5: publication times that mean something --------------------------------------------


def test_publication_in_force_from_a_past_time_is_refused_with_a_field_message(
    draft, withdrawal_rules, param_admin
):
    now = timezone.now()

    with pytest.raises(EffectiveTimeInvalid) as refused:
        propose(draft, param_admin, effective_at=now - timedelta(hours=1), now=now)

    assert refused.value.fields["effective_at"][0].startswith("Must not be in the past")
    assert not RuleSetProposal.objects.filter(version=draft).exists()


def test_publication_before_the_latest_scheduled_one_is_refused(
    draft, withdrawal_rules, param_admin, second_param_admin
):
    now = timezone.now()
    publish_with_approval(
        version=draft,
        proposed_by=param_admin,
        approved_by=second_param_admin,
        effective_at=now + timedelta(days=2),
        now=now,
    )

    with pytest.raises(EffectiveTimeInvalid) as refused:
        propose(withdrawal_rules, param_admin, effective_at=now + timedelta(days=1), now=now)

    assert refused.value.fields["effective_at"] == [
        f"Must be after v{draft.number}'s publication, in force from "
        f"{timezone.localtime(now + timedelta(days=2)):%Y-%m-%d %H:%M}."
    ]


def test_publishing_the_version_already_in_force_again_is_refused(withdrawal_rules, param_admin):
    with pytest.raises(VersionAlreadyInForce):
        propose(withdrawal_rules, param_admin)


def test_approval_after_the_proposed_time_has_passed_is_refused(
    draft, withdrawal_rules, param_admin, second_param_admin
):
    now = timezone.now()
    proposal = propose(draft, param_admin, effective_at=now + timedelta(minutes=5), now=now)

    with pytest.raises(EffectiveTimeInvalid) as refused:
        rule_set_proposal_approve(
            proposal=proposal, approved_by=second_param_admin, now=now + timedelta(minutes=10)
        )

    assert "Reject this proposal and propose again" in refused.value.message
    assert rule_set_version_in_force_id(now=now + timedelta(minutes=10)) == withdrawal_rules.pk


def test_page_shows_a_past_time_next_to_the_field(client, draft, param_admin):
    client.force_login(param_admin)
    past = timezone.localtime() - timedelta(days=1)

    response = client.post(
        reverse("authorization:publish", args=[draft.number]),
        {"effective_at": past.strftime("%Y-%m-%dT%H:%M")},
    )

    assert response.status_code == 400
    after_field = text_of(response).split('name="effective_at"')[1]
    assert "invalid-feedback" in after_field and "Must not be in the past" in after_field
    assert not RuleSetProposal.objects.filter(version=draft).exists()


def _standings(now) -> dict[int, str]:
    return {row.version.number: row.standing for row in rule_set_version_rows(now=now)}


def test_version_list_status_is_what_evaluate_uses(
    draft, withdrawal_rules, param_admin, second_param_admin
):
    """The old list marked a version published with a future time as 'published' and the one
    still in force as 'superseded'."""
    now = timezone.now()
    later = now + timedelta(hours=1)
    publish_with_approval(
        version=draft,
        proposed_by=param_admin,
        approved_by=second_param_admin,
        effective_at=later,
        now=now,
    )

    for moment in (now, later + timedelta(minutes=1)):
        rows = rule_set_version_rows(now=moment)
        (in_force,) = [row.version.pk for row in rows if row.standing == VersionStanding.IN_FORCE]
        assert in_force == rule_set_in_force(now=moment).version_id
    assert _standings(now) == {
        withdrawal_rules.number: VersionStanding.IN_FORCE,
        draft.number: VersionStanding.SCHEDULED,
    }
    assert _standings(later + timedelta(minutes=1)) == {
        withdrawal_rules.number: VersionStanding.SUPERSEDED,
        draft.number: VersionStanding.IN_FORCE,
    }


def test_version_list_page_marks_in_force_the_version_evaluate_uses(
    client, draft, withdrawal_rules, param_admin, second_param_admin
):
    now = timezone.now()
    publish_with_approval(
        version=draft,
        proposed_by=param_admin,
        approved_by=second_param_admin,
        effective_at=now + timedelta(hours=1),
        now=now,
    )
    client.force_login(param_admin)

    page = text_of(client.get(reverse("authorization:versions")))

    def standing_of(number: int) -> str:
        row = page.split(f'data-testid="version-{number}"')[1].split("</tr>")[0]
        badge = row.split('data-testid="standing">')[1].split("</span>")[0]
        return " ".join(re.sub(r"<[^>]+>", " ", badge).split())

    assert standing_of(withdrawal_rules.number) == "In force"
    assert standing_of(draft.number) == "Scheduled"
    assert rule_set_in_force(now=timezone.now()).version_number == withdrawal_rules.number


def test_version_rows_query_count_does_not_grow_with_publications(
    draft, withdrawal_rules, param_admin, django_assert_num_queries
):
    for number in range(100, 105):
        version = RuleSetVersion.objects.create(
            number=number,
            status=RuleSetStatus.PUBLISHED,
            created_at=timezone.now(),
            effective_at=timezone.now(),
        )
        RuleSetPublication.objects.create(
            version=version, effective_at=timezone.now(), published_at=timezone.now()
        )
    with django_assert_num_queries(3):
        rule_set_version_rows(now=timezone.now())


def test_rule_set_api_names_proposer_and_approver_and_the_standing_evaluate_uses(
    api_client_for, draft, withdrawal_rules, param_admin, second_param_admin, manager, teller
):
    now = timezone.now()
    publish_with_approval(
        version=draft,
        proposed_by=second_param_admin,
        approved_by=param_admin,
        effective_at=now + timedelta(hours=1),
        now=now,
    )

    response = api_client_for(manager).get("/api/v1/authorization/rule-sets/")

    assert response.status_code == 200
    by_number = {row["number"]: row for row in response.json()}
    assert by_number[draft.number]["standing"] == "scheduled"
    assert (by_number[draft.number]["proposed_by"], by_number[draft.number]["approved_by"]) == (
        "paramadmin2",
        "paramadmin",
    )
    in_force = [row["number"] for row in response.json() if row["standing"] == "in_force"]
    assert in_force == [rule_set_in_force(now=timezone.now()).version_number]
    assert api_client_for(teller).get("/api/v1/authorization/rule-sets/").status_code == 403


def test_admin_cannot_move_a_publication_or_publish_a_version(client, make_user, withdrawal_rules):
    """The old admin let a superuser edit a publication's time (changing what is in force)
    and add publications with nobody's approval."""
    client.force_login(make_user(None, "HO", is_superuser=True, is_staff=True))
    publication = RuleSetPublication.objects.get(version=withdrawal_rules)
    url = reverse("admin:authorization_rulesetpublication_change", args=[publication.pk])

    assert client.get(url).status_code == 200  # visible for support
    client.post(
        url,
        {
            "version": withdrawal_rules.pk,
            "effective_at_0": "2000-01-01",
            "effective_at_1": "00:00:00",
            "published_at_0": "2000-01-01",
            "published_at_1": "00:00:00",
        },
    )

    assert (
        RuleSetPublication.objects.get(pk=publication.pk).effective_at == publication.effective_at
    )
    assert client.get(reverse("admin:authorization_rulesetpublication_add")).status_code == 403
    assert client.get(reverse("admin:authorization_rulesetversion_add")).status_code == 403
    assert client.get(reverse("admin:authorization_rulesetproposal_add")).status_code == 403


def test_version_choices_name_the_standing_not_a_stale_status(
    client, draft, withdrawal_rules, param_admin, second_param_admin
):
    now = timezone.now()
    publish_with_approval(
        version=draft,
        proposed_by=param_admin,
        approved_by=second_param_admin,
        effective_at=now + timedelta(hours=1),
        now=now,
    )
    client.force_login(param_admin)

    for url in (reverse("authorization:compare"), reverse("authorization:try-it")):
        page = text_of(client.get(url))
        assert f"v{withdrawal_rules.number} · In force" in page
        assert f"v{draft.number} · Scheduled" in page
