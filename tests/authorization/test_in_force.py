"""Which version is in force: the per-process answer follows the publication schedule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from authorization.selectors import rule_set_in_force
from authorization.services import rule_set_draft_create
from tests.authorization.conftest import publish_with_approval
from tests.authorization.factories import amount_at_least, processing, rule, rule_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(param_admin, second_param_admin):
    # Any content will do: these tests are about which version answers, not what it decides.
    return rule_set(
        (param_admin, second_param_admin),
        rules=[rule("CASH_50K", reason="LARGE_CASH", condition=amount_at_least("50000.00"))],
        processing=[processing("P_LARGE_CASH", reason="LARGE_CASH", level=1)],
    )


@pytest.fixture
def long_check_interval(settings):
    # A long interval: these tests run on the cached schedule, as a busy process does.
    settings.AUTHORIZATION_RULESET_CHECK_SECONDS = 3600


def test_a_scheduled_version_takes_over_at_its_time_without_a_schedule_reread(
    published, param_admin, second_param_admin, long_check_interval, django_assert_num_queries
):
    now = timezone.now()
    draft = rule_set_draft_create(created_by=param_admin, based_on=published, now=now)
    later = publish_with_approval(
        version=draft,
        proposed_by=param_admin,
        approved_by=second_param_admin,
        effective_at=now + timedelta(hours=1),
        now=now,
    )
    assert rule_set_in_force(now=now).version_id == published.pk
    rule_set_in_force(now=now + timedelta(hours=2))  # compiles the new version once

    with django_assert_num_queries(0):
        assert rule_set_in_force(now=now + timedelta(minutes=59)).version_id == published.pk
        assert rule_set_in_force(now=now + timedelta(hours=1)).version_id == later.pk
        assert rule_set_in_force(now=now + timedelta(hours=3)).version_id == later.pk


def test_a_moment_before_the_cached_window_is_answered_from_the_database(
    published, param_admin, second_param_admin, long_check_interval
):
    now = timezone.now()
    rule_set_in_force(now=now)
    draft = rule_set_draft_create(created_by=param_admin, based_on=published, now=now)
    publish_with_approval(
        version=draft,
        proposed_by=param_admin,
        approved_by=second_param_admin,
        effective_at=now,
        now=now,
    )
    # Simulations and audits ask about the past: that is still the first version.
    assert rule_set_in_force(now=now - timedelta(seconds=30)).version_id == published.pk


def test_publishing_in_this_process_is_seen_by_the_next_evaluation(
    published, param_admin, second_param_admin, long_check_interval
):
    now = timezone.now()
    assert rule_set_in_force(now=now).version_id == published.pk
    draft = rule_set_draft_create(created_by=param_admin, based_on=published, now=now)
    newer = publish_with_approval(
        version=draft,
        proposed_by=param_admin,
        approved_by=second_param_admin,
        effective_at=now,
        now=now,
    )
    assert rule_set_in_force(now=timezone.now()).version_id == newer.pk
