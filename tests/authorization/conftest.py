import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _fresh_rule_set_schedule(settings):
    """Re-read the publication schedule on every evaluation (the root conftest already
    forgets compiled rule sets between tests)."""
    settings.AUTHORIZATION_RULESET_CHECK_SECONDS = 0


@pytest.fixture
def withdrawal_rules(db, param_admin, second_param_admin):
    """The published withdrawal desk (tests/authorization/factories.py): 50,000 CNY → remote
    level 1, 200,000 CNY → remote level 2 with two authorizers; ID card pair and slip
    required; four mandatory review points."""
    from tests.authorization.factories import withdrawal_rule_set

    return withdrawal_rule_set((param_admin, second_param_admin))


def publish_with_approval(*, version, proposed_by, approved_by, effective_at=None, now=None):
    """Publish (or roll back to) `version` the only way there is: one administrator proposes,
    another approves."""
    from authorization.services import rule_set_proposal_approve, rule_set_publication_propose

    now = now or timezone.now()
    proposal = rule_set_publication_propose(
        version=version, proposed_by=proposed_by, effective_at=effective_at, now=now
    )
    rule_set_proposal_approve(proposal=proposal, approved_by=approved_by, now=now)
    version.refresh_from_db()
    return version


def money(amount: str, currency: str = "CNY") -> dict:
    return {"amount": amount, "currency": currency}
