"""A seeded history for the reports tests: seed_history on the `org` tree, read into the
reports' facts and rollups."""

from datetime import date

import pytest
from django.core.management import call_command

from reports.services import reports_refresh

HISTORY_END = date(2026, 3, 31)
HISTORY_DAYS = 45


@pytest.fixture
def history(org):
    call_command(
        "seed_history",
        requests=1200,
        days=HISTORY_DAYS,
        seed=11,
        end=HISTORY_END.isoformat(),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    reports_refresh()
    return org
