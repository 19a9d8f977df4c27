from datetime import timedelta

import pytest
from django.utils import timezone

from authorization.api.views import _permission_cache
from authorization.demo import demo_rule_set_publish
from authorization.selectors import rule_set_cache_clear


@pytest.fixture(autouse=True)
def _fresh_rule_set_cache(settings):
    """Each test sees its own database: re-read the publication schedule on every evaluation
    and forget compiled rule sets of earlier tests (ids may be reused after a rollback)."""
    settings.AUTHORIZATION_RULESET_CHECK_SECONDS = 0
    rule_set_cache_clear()
    _permission_cache.clear()
    yield
    rule_set_cache_clear()
    _permission_cache.clear()


@pytest.fixture
def demo_rule_set(db, param_admin):
    return demo_rule_set_publish(
        published_by=param_admin, now=timezone.now() - timedelta(minutes=1)
    )


def money(amount: str, currency: str = "CNY") -> dict:
    return {"amount": amount, "currency": currency}
