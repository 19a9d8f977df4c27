"""The managers' dashboard in a real browser: charts drawn from our own static files, a filter
changed, a drill-down from a bar's row to the list of requests behind it."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from bankcore.models import OrgUnit
from reports.models import InstrumentationEvent
from reports.services import reports_refresh

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_filters_the_dashboard_and_drills_down_to_requests(page, sign_in, manager, org):
    call_command(
        "seed_history",
        requests=300,
        days=20,
        end=timezone.localdate().isoformat(),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    reports_refresh()
    sign_in(manager)  # the manager's home is the dashboard
    expect(page.get_by_role("heading", name="Authorization dashboard")).to_be_visible()
    expect(page.locator('[data-tile="submitted"]')).to_have_text("300")
    # Chart.js (from npm, served by us) drew the charts.
    assert page.evaluate("typeof Chart") == "function"
    assert page.evaluate("Object.keys(Chart.instances).length") >= 4

    # Turnaround p50/p90 against the time limit, overall and by transaction.
    turnaround = page.get_by_test_id("turnaround")
    overall = turnaround.locator("tr[data-turnaround]").first
    p50 = int(overall.locator("[data-p50]").get_attribute("data-p50"))
    p90 = int(overall.locator("[data-p90]").get_attribute("data-p90"))
    assert 0 < p50 <= p90
    expect(turnaround.locator('tr[data-turnaround="CASH_WITHDRAWAL"]')).to_have_count(1)

    page.get_by_label("Channel", exact=True).select_option("counter")
    expect(page).to_have_url(re.compile(r"channel=counter"))
    submitted = int(page.locator('[data-tile="submitted"]').inner_text())
    assert 0 < submitted < 300

    table = page.get_by_test_id("table-by_branch")
    table.locator("summary").click()
    first = table.locator("a[data-drill]").first
    branch = table.locator("td[data-value]").first.get_attribute("data-value")
    # The bar reads as the branch's name; its code is the drill-down's key.
    assert first.inner_text() == OrgUnit.objects.get(code=branch).name
    count = int(table.locator("td[data-value]").first.inner_text())
    first.click()
    expect(page.get_by_test_id("drill-title")).to_have_text(
        f"{count} requests" if count != 1 else "1 request"
    )
    rows = page.get_by_test_id("drill-rows").locator("tbody tr")
    expect(rows).to_have_count(min(count, 500))
    branches = rows.locator("td:nth-child(2)")
    assert {cell.get_attribute("data-code") for cell in branches.all()} == {branch}
    assert set(branches.all_inner_texts()) == {OrgUnit.objects.get(code=branch).name}
    channels = rows.locator("td:nth-child(4)")
    assert {cell.get_attribute("data-code") for cell in channels.all()} == {"counter"}

    # The pages sent their instrumentation in batches, without holding the navigation up.
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.get_by_role("heading", name="Authorization dashboard")).to_be_visible()
    for _attempt in range(50):
        shown = set(
            InstrumentationEvent.objects.filter(name="page_shown").values_list("path", flat=True)
        )
        if {"/reports/", "/reports/requests/"} <= shown:
            break
        page.wait_for_timeout(100)
    assert {"/reports/", "/reports/requests/"} <= shown
