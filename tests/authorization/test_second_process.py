"""Publishing a version changes the next evaluation in another, already running process."""

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
TRANSACTION = {
    "transaction_code": "CASH_WITHDRAWAL",
    "channel": "counter",
    "elements": {"amount": {"amount": "45000.00", "currency": "CNY"}},
}
PUBLISH_LOWER_THRESHOLD = """
from django.contrib.auth import get_user_model
from authorization.models import TriggerRule
from authorization.services import (
    rule_set_draft_create, rule_set_proposal_approve, rule_set_publication_propose,
    trigger_rule_save,
)
from django.utils import timezone
users = get_user_model().objects
first, second = users.get(username="paramadmin"), users.get(username="paramadmin2")
draft = rule_set_draft_create(created_by=first)
rule = TriggerRule.objects.get(version=draft, code="CASH_50K")
rule.condition = {"field": "elements.amount", "op": "gte", "value": "40000.00 CNY"}
trigger_rule_save(rule=rule)
proposal = rule_set_publication_propose(
    version=draft, proposed_by=first, effective_at=None, now=timezone.now()
)
rule_set_proposal_approve(proposal=proposal, approved_by=second, now=timezone.now())
"""


def _manage(env, *args, stdin=None):
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


@pytest.fixture
def published(transactional_db, param_admin, second_param_admin):
    """Withdrawals from 50,000 CNY need authorization (tests/authorization/factories.py),
    published by paramadmin and paramadmin2 and committed: the other processes read it."""
    from bankcore.roles import roles_sync
    from tests.authorization.factories import withdrawal_rule_set

    roles_sync()
    return withdrawal_rule_set((param_admin, second_param_admin))


@pytest.fixture
def shared_database(tmp_path, published):
    """A database URL other processes can open: PostgreSQL's test database, or a copy of
    this process's SQLite test database (it lives in memory) in a file; and a short interval
    at which those processes re-read the publications."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bankcore.settings.test"}
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        )
    else:
        # A copy of the migrated (and published) test database, not a second migration.
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    env["AUTHORIZATION_RULESET_CHECK_SECONDS"] = "0.25"
    return env


def test_publication_reaches_a_running_evaluator_without_restart(shared_database):
    env = shared_database
    evaluator = subprocess.Popen(
        [sys.executable, "manage.py", "authorization_evaluate_stream"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:

        def ask() -> dict:
            evaluator.stdin.write(json.dumps(TRANSACTION) + "\n")
            evaluator.stdin.flush()
            return json.loads(evaluator.stdout.readline())

        before = ask()
        assert before["required"] is False
        version_before = before["rule_set_version"]["number"]

        _manage(env, "shell", "-c", PUBLISH_LOWER_THRESHOLD)  # a third process publishes
        time.sleep(0.3)  # the evaluator re-reads publications every 0.25 s (shared_database)

        after = ask()
        assert after["required"] is True
        assert after["reasons"][0]["rule"] == "CASH_50K"
        assert after["rule_set_version"]["number"] == version_before + 1
    finally:
        evaluator.stdin.close()
        evaluator.wait(timeout=30)
