"""`make run` seeds the demo and serves the embedded default, which has no Celery beat to
bring the dashboards up to date: the seed does it once."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from authorization.models import AuthorizationRequest

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
