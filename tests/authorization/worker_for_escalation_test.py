"""A real Celery worker for the escalation kill -9 test (started as a separate process, through
tests/harness.py).

With ESCALATION_TEST_PAUSE=1 the first escalation (only the first: the marker file does not
exist yet) runs inside a transaction that, after the service's writes and before the commit,
writes the marker file with its process id and waits: the test kills the worker exactly there.
The broker's visibility timeout is small so that the message whose worker died is delivered
again within seconds.
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
from tests.harness import worker_configure, worker_main  # noqa: E402

MARKER = Path(os.environ["ESCALATION_TEST_MARKER"])
PAUSE = os.environ.get("ESCALATION_TEST_PAUSE") == "1"
_escalate = tasks.request_escalate


def escalate_then_pause(**kwargs):
    with transaction.atomic():
        result = _escalate(**kwargs)
        if PAUSE and result is not None and not MARKER.exists():
            MARKER.write_text(str(os.getpid()))
            time.sleep(300)  # killed long before this ends, with the writes uncommitted
    return result


tasks.request_escalate = escalate_then_pause
worker_configure(app)

if __name__ == "__main__":
    worker_main(app, queue="celery", name="escalation-kill-test")
