"""A real Celery worker for the escalation kill -9 test (started as a separate process).

With ESCALATION_TEST_PAUSE=1 the escalation runs inside a transaction that, after the
service's writes and before the commit, writes the marker file and waits: the test kills the
worker exactly there. The broker's visibility timeout is small so that the message whose
worker died is delivered again within seconds.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankcore.settings.test")

import django

django.setup()

from django.db import transaction  # noqa: E402

from authorization import tasks  # noqa: E402
from bankcore.celery import app  # noqa: E402

MARKER = Path(os.environ["ESCALATION_TEST_MARKER"])
PAUSE = os.environ.get("ESCALATION_TEST_PAUSE") == "1"
_escalate = tasks.request_escalate


def escalate_then_pause(**kwargs):
    with transaction.atomic():
        result = _escalate(**kwargs)
        if PAUSE and result is not None:
            MARKER.write_text(str(os.getpid()))
            time.sleep(300)  # killed long before this ends, with the writes uncommitted
    return result


tasks.request_escalate = escalate_then_pause
app.conf.task_always_eager = False
app.conf.broker_transport_options = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "--queues=celery",
            "--pool=solo",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
            f"--hostname=escalation-kill-test-{os.getpid()}@%h",
        ]
    )
