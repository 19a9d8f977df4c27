import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_is_200_when_everything_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_reports_a_stopped_database_as_503():
    """A real server process whose database cannot be reached (nothing listens on port 1)."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    environment = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "bankcore.settings.base"}
    environment["DATABASE_URL"] = "postgres://postgres@127.0.0.1:1/unreachable"
    environment.pop("REDIS_URL", None)
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["status"] == "unavailable"
    assert outcome["body"]["checks"]["database"]["ok"] is False
    assert outcome["body"]["checks"]["cache"]["ok"] is True


@pytest.mark.django_db
def test_healthz_reports_a_stopped_broker_as_503(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["ok"] is False
    assert checks["database"]["ok"] is True


@pytest.mark.django_db
@pytest.mark.redis
def test_healthz_talks_to_the_real_redis_when_configured(client, settings, admin_user):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client.force_login(admin_user)  # the detail (backend names) is for staff only
    body = client.get("/healthz").json()
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["cache"]["detail"] == "RedisCache"
