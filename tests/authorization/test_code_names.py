"""The names reports show for the codes they group by (authorization.facade.code_names):
each transaction and channel as the latest published version that declares it names it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from authorization.facade import code_names
from tests.authorization.factories import rule_set, transaction

pytestmark = pytest.mark.django_db


def test_the_latest_published_version_names_a_code_and_a_draft_does_not(
    param_admin, second_param_admin
):
    admins = (param_admin, second_param_admin)
    earlier = timezone.now() - timedelta(hours=2)
    rule_set(
        admins,
        now=earlier,
        rules=[],
        processing=[],
        channels=[("counter", "Counter")],
        transactions=[
            transaction("CASH_WITHDRAWAL", name="Withdrawal"),
            transaction("CASH_DEPOSIT", name="Deposit"),
        ],
    )
    rule_set(
        admins,
        rules=[],
        processing=[],
        channels=[("counter", "Branch counter")],
        transactions=[transaction("CASH_WITHDRAWAL", name="Cash withdrawal")],
    )
    rule_set(
        admins,
        published=False,
        rules=[],
        processing=[],
        transactions=[transaction("CASH_WITHDRAWAL", name="Renamed in a draft")],
    )

    names = code_names()

    assert names.transactions == {"CASH_WITHDRAWAL": "Cash withdrawal", "CASH_DEPOSIT": "Deposit"}
    assert names.channels["counter"] == "Branch counter"
