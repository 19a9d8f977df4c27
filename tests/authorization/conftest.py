from datetime import timedelta

import pytest
from django.utils import timezone

from authorization.demo import demo_rule_set_publish


@pytest.fixture(autouse=True)
def _fresh_rule_set_schedule(settings):
    """Re-read the publication schedule on every evaluation (the root conftest already
    forgets compiled rule sets between tests)."""
    settings.AUTHORIZATION_RULESET_CHECK_SECONDS = 0


@pytest.fixture
def demo_rule_set(db, param_admin):
    return demo_rule_set_publish(
        published_by=param_admin, now=timezone.now() - timedelta(minutes=1)
    )


def money(amount: str, currency: str = "CNY") -> dict:
    return {"amount": amount, "currency": currency}
