"""`make run` seeds the demo and serves the embedded default, which has no Celery beat to
bring the dashboards up to date: the seed does it once."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from authorization.models import AuthorizationRequest, ReasonCode, TransactionType
from bankcore.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_a_manager_s_first_look_after_the_demo_seed_shows_the_demo_s_requests(client):
    call_command("seed_demo", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="manager1"))

    response = client.get("/reports/")

    tiles = {tile["key"]: tile["value"] for tile in response.context["tiles"]}
    submitted = AuthorizationRequest.objects.count()
    assert submitted > 0
    assert tiles["submitted"] == submitted


def test_the_dashboard_says_how_its_numbers_are_brought_up_to_date(client, manager):
    client.force_login(manager)

    english = client.get("/reports/").content.decode()
    chinese = client.get("/reports/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "every minute where the scheduler runs" in english
    assert "运行调度器时每分钟更新，也可点击“立即更新”马上更新" in chinese


def test_a_chinese_manager_reads_names_where_the_reports_group_by_codes(client):
    """The dashboard, the requests behind a tile and authorizer quality, in Chinese, on the
    demo (seeded once for the three pages)."""
    call_command("seed_demo", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="manager1"))

    # The dashboard: bars, turnaround rows and filters by name.
    response = client.get("/reports/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    charts = {chart["name"]: chart["bars"] for chart in response.context["charts"]}
    named = {name: {bar["label"]: bar["name"] for bar in bars} for name, bars in charts.items()}
    withdrawal = TransactionType.objects.filter(code="CASH_WITHDRAWAL").latest("id")
    assert named["by_transaction"]["CASH_WITHDRAWAL"] == withdrawal.name_zh_hans
    for code, name in named["by_branch"].items():
        assert name == OrgUnit.objects.get(code=code).name_zh_hans
    assert named["by_authorizer"], "the demo's authorizers decide requests"
    for username, name in named["by_authorizer"].items():
        person = get_user_model().objects.get(username=username)
        assert name == person.get_full_name() != username
    assert named["by_reason"], "the demo returns and rejects requests"
    for bar in charts["by_reason"]:
        reason = ReasonCode.objects.get(code=bar["url"].split("reason=")[1].split("&")[0])
        assert bar["name"] in (f"{reason.name_zh_hans} (已退回)", f"{reason.name_zh_hans} (已拒收)")
    modes = {
        row["label"]: row["name"]
        for group in response.context["turnaround_groups"]
        for row in group["rows"]
    }
    assert modes["remote_centralized"] == "远程集中"
    page = response.content.decode()
    assert ">远程集中</a>" in page and ">remote_centralized</a>" not in page
    assert '<option value="remote_centralized">远程集中</option>' in page
    assert f'<option value="CASH_WITHDRAWAL">{withdrawal.name_zh_hans}</option>' in page
    chosen = client.get(
        "/reports/", {"transaction": "CASH_WITHDRAWAL"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert f'<option value="CASH_WITHDRAWAL" selected>{withdrawal.name_zh_hans}</option>' in chosen

    # The requests behind a tile.
    response = client.get(
        "/reports/requests/", {"kind": "submitted"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    page = response.content.decode()
    assert response.context["drill_shown"] == [("事件", "已提交")]
    # Changing a filter keeps the drill-down's own (the form carries it).
    assert '<input type="hidden" name="kind" value="submitted">' in page
    rows = response.context["rows"]
    assert len(rows) == AuthorizationRequest.objects.count()
    queued = next(shown for shown in rows if shown["row"].state == "queued")
    assert queued["state"] == "排队中"
    assert queued["mode"] != queued["row"].mode
    assert queued["submitted_by"] != queued["row"].submitted_by  # the teller's name
    assert ">remote_centralized<" not in page and ">queued<" not in page
    by_teller = client.get(
        "/reports/requests/",
        {"kind": "submitted", "teller": "teller1"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert ("柜员", "李娜") in by_teller.context["drill_shown"]

    # Authorizer quality.
    response = client.get("/reports/quality/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    rows = response.context["rows"]
    assert rows, "the demo's authorizers decided requests"
    for row in rows:
        person = get_user_model().objects.get(username=row["authorizer"].username)
        assert row["name"] == person.get_full_name() != person.username
        assert f">{row['name']}</a>" in response.content.decode()
