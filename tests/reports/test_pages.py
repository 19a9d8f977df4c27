"""The managers' pages: scope, drill-down, exports (CSV and XLSX with the filters), flags."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bankcore.roles import Role
from reports.mail import daily_report_send
from reports.selectors import authorizer_quality, report_filters_for
from tests.conftest import requires_postgres

from .conftest import HISTORY_END

pytestmark = [pytest.mark.postgres, requires_postgres]

RANGE = {"date_from": "2026-02-15", "date_to": HISTORY_END.isoformat()}


@pytest.fixture
def bj_manager(make_user):
    return make_user(Role.MANAGER, "BJ", username="bj_manager", email="bj@example.com")


def _bars(response, name):
    chart = next(c for c in response.context["charts"] if c["name"] == name)
    return {bar["label"]: bar for bar in chart["bars"]}


def test_manager_lands_on_the_dashboard(client, manager):
    client.force_login(manager)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:dashboard")


def test_teller_may_not_open_the_dashboard(client, teller):
    client.force_login(teller)
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_branch_manager_sees_only_their_subtree(client, history, bj_manager, manager):
    client.force_login(manager)
    everything = _bars(client.get(reverse("reports:dashboard"), RANGE), "by_branch")
    assert {"BJ01", "BJ02", "SH01"} <= set(everything)

    client.force_login(bj_manager)
    response = client.get(reverse("reports:dashboard"), RANGE)
    mine = _bars(response, "by_branch")
    assert set(mine) == {"BJ01", "BJ02"}
    assert {code for code, _name in response.context["units"]} == {"BJ", "BJ01", "BJ02"}
    # Asking for another branch is refused next to the field; the numbers stay in scope.
    response = client.get(reverse("reports:dashboard"), {**RANGE, "branch": "SH01"})
    assert "branch" in response.context["errors"]
    assert set(_bars(response, "by_branch")) == {"BJ01", "BJ02"}
    # The drill-down and the exports stay in the subtree too.
    rows = client.get(reverse("reports:requests"), {**RANGE, "kind": "submitted"}).context["rows"]
    assert rows and {shown["row"].branch_code for shown in rows} == {"BJ01", "BJ02"}
    content = b"".join(
        client.get(reverse("reports:export", args=["requests", "csv"]), RANGE).streaming_content
    ).decode("utf-8-sig")
    branches = {line[1] for line in csv.reader(io.StringIO(content)) if len(line) > 5}
    assert branches == {"Branch", "BJ01", "BJ02"}
    refused = client.get(reverse("reports:export", args=["by_branch", "csv"]), {"branch": "SH01"})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["branch"]


def test_drill_down_lists_the_requests_behind_a_bar(client, history, manager):
    client.force_login(manager)
    bar = _bars(client.get(reverse("reports:dashboard"), RANGE), "by_branch")["BJ02"]
    response = client.get(bar["url"])
    assert response.status_code == 200
    assert response.context["total"] == bar["value"]
    assert {shown["row"].branch_code for shown in response.context["rows"]} == {"BJ02"}


def test_xlsx_export_opens_and_carries_the_filters(client, history, manager):
    client.force_login(manager)
    response = client.get(
        reverse("reports:export", args=["by_channel", "xlsx"]),
        {**RANGE, "branch": "BJ", "transaction": "CASH_WITHDRAWAL"},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [tuple(c for c in row if c is not None) for row in sheet.iter_rows(values_only=True)]
    header = dict(row for row in rows[1:9] if len(row) == 2)
    assert header["From"] == "2026-02-15"
    assert header["To"] == HISTORY_END.isoformat()
    assert header["Branch"] == "BJ"
    assert header["Transaction"] == "CASH_WITHDRAWAL"
    table = rows[rows.index(("Item", "Name", "Count")) + 1 :]
    shown = _bars(
        client.get(
            reverse("reports:dashboard"),
            {**RANGE, "branch": "BJ", "transaction": "CASH_WITHDRAWAL"},
        ),
        "by_channel",
    )
    assert {item: count for item, _name, count in table} == {
        k: v["value"] for k, v in shown.items()
    }
    assert {item: name for item, name, _count in table} == {k: v["name"] for k, v in shown.items()}


def test_planted_rubber_stamper_and_colluding_pair_are_flagged_and_nobody_else(history, manager):
    filters = report_filters_for(
        user=manager, params={"date_from": "2026-01-01", "date_to": "2026-03-31"}
    )
    flags = {q.username: {f.code for f in q.flags} for q in authorizer_quality(filters=filters)}
    assert len(flags) == 8
    assert "rubber_stamping" in flags.pop("hist_auth_07")
    assert "concentration" in flags.pop("hist_auth_08")
    assert flags == {name: set() for name in flags}


def test_each_flag_explains_its_numbers_and_links_to_the_requests(client, history, manager):
    client.force_login(manager)
    response = client.get(
        reverse("reports:quality"), {"date_from": "2026-01-01", **{"date_to": "2026-03-31"}}
    )
    row = next(r for r in response.context["rows"] if r["authorizer"].username == "hist_auth_08")
    flag = next(item for item in row["flags"] if item["flag"].code == "concentration")
    assert "hist_teller_01" in flag["flag"].explanation
    listed = client.get(flag["url"]).context["rows"]
    assert listed and {(r["row"].submitted_by, r["row"].decided_by) for r in listed} >= {
        ("hist_teller_01", "hist_auth_08")
    }


def test_daily_email_goes_to_managers_in_their_scope(history, bj_manager):
    day_after = timezone.make_aware(timezone.datetime(2026, 3, 31, 8, 0))
    assert daily_report_send(now=day_after) == 1
    (message,) = mail.outbox
    assert message.to == ["bj@example.com"]
    assert "2026-03-30" in message.subject
    assert "BJ01" in message.body and "SH01" not in message.body


def test_instrumentation_batch_is_stored_and_a_bad_one_refused(client, authorizer):
    from reports.models import InstrumentationEvent

    client.force_login(authorizer)
    url = reverse("reports:instrumentation")
    batch = [
        {"name": "page_shown", "path": "/authorization/review/"},
        {
            "name": "review_point_time",
            "request": "AR1",
            "subject": "ID_MATCHES",
            "duration_ms": 5400,
        },
    ]
    assert client.post(url, batch, content_type="application/json").status_code == 204
    assert InstrumentationEvent.objects.filter(username="authorizer").count() == 2
    bad = client.post(url, [{"name": "nope"}], content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    assert InstrumentationEvent.objects.count() == 2
