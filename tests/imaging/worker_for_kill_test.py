"""A real Celery worker for the kill -9 tests (started as a separate process by the test,
through tests/harness.py).

With IMAGING_TEST_PAUSE=1 the first decode (only the first: the marker file does not exist
yet) writes the marker file with its process id and then waits, so the test can kill the
worker, or its pool process, while the task is surely in progress. IMAGING_TEST_POOL picks
the pool (solo: the worker process runs the task; prefork: a child process does). The broker's
visibility timeout is small so that a message whose worker died is delivered again within
seconds.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankcore.settings.test")

import django

django.setup()

from bankcore.celery import app  # noqa: E402
from imaging import services  # noqa: E402
from tests.harness import worker_configure, worker_main  # noqa: E402

MARKER = Path(os.environ["IMAGING_TEST_MARKER"])
PAUSE = os.environ.get("IMAGING_TEST_PAUSE") == "1"
_derive = services.derive


def derive_or_pause(*args, **kwargs):
    if PAUSE and not MARKER.exists():
        MARKER.write_text(str(os.getpid()))
        time.sleep(300)  # killed long before this ends
    return _derive(*args, **kwargs)


services.derive = derive_or_pause
worker_configure(app)

if __name__ == "__main__":
    worker_main(
        app,
        queue="images",
        name="imaging-kill-test",
        pool=os.environ.get("IMAGING_TEST_POOL", "solo"),
    )
