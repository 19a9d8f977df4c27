"""A worker killed by kill -9 mid-task loses nothing: the message comes back (acks_late),
another worker finishes it, and the image becomes ready exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from imaging import services
from imaging.models import Image, ImageEvent, ImageState
from tests.conftest import requires_postgres
from tests.imaging import corpus
from tests.imaging.conftest import owner_ref, upload

WORKER = Path(__file__).with_name("worker_for_kill_test.py")

pytestmark = [
    pytest.mark.redis,
    requires_postgres,  # the worker process must see the test's committed rows
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis broker (REDIS_URL)"),
    pytest.mark.django_db(transaction=True),
]


def _queue_keys_clear() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("images", "unacked", "unacked_index", "unacked_mutex")


def _start_worker(tmp_path: Path, *, pause: bool, pool: str = "solo") -> subprocess.Popen:
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "IMAGING_ROOT": str(tmp_path / "imaging"),
        "IMAGING_TEST_MARKER": str(tmp_path / "task-started"),
        "IMAGING_TEST_PAUSE": "1" if pause else "0",
        "IMAGING_TEST_POOL": pool,
    }
    log = open(tmp_path / f"worker-{pool}-{'a' if pause else 'b'}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603
        [sys.executable, str(WORKER)], env=environment, stdout=log, stderr=subprocess.STDOUT
    )


def _wait_for(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.fixture
def real_broker():
    """This process sends tasks to Redis instead of running them in-process."""
    from bankcore.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


def test_worker_killed_mid_task_image_ends_ready_exactly_once(
    tmp_path, teller, imaging_store, real_broker
):
    assert imaging_store == tmp_path / "imaging"  # the workers are given the same store
    _queue_keys_clear()
    first = _start_worker(tmp_path, pause=True)
    second = None
    try:
        facts = services.image_receive(
            owner_ref=owner_ref("BJ01"),
            image_type_code="ID_FRONT",
            upload=upload(corpus.jpeg(corpus.photo(seed=91), exif=corpus.camera_exif())),
            uploaded_by=teller,
        )
        marker = tmp_path / "task-started"
        _wait_for(marker.exists, seconds=90, what="the first worker to start the task")
        assert Image.objects.get(pk=facts.id).state == ImageState.PROCESSING

        os.kill(first.pid, signal.SIGKILL)  # kill -9, mid-task
        first.wait(timeout=10)
        assert first.returncode == -signal.SIGKILL
        assert Image.objects.get(pk=facts.id).state == ImageState.PROCESSING

        second = _start_worker(tmp_path, pause=False)
        _wait_for(
            lambda: Image.objects.get(pk=facts.id).state == ImageState.READY,
            seconds=120,
            what="the redelivered task to finish",
        )
        time.sleep(6)  # past the visibility timeout: nothing may deliver it a third time
    finally:
        _stop(first)
        if second is not None:
            _stop(second)
        _queue_keys_clear()

    image = Image.objects.get(pk=facts.id)
    assert image.state == ImageState.READY
    assert image.review_key and image.thumbnail_key
    events = list(
        ImageEvent.objects.filter(image=image).order_by("pk").values_list("kind", flat=True)
    )
    assert events.count("ready") == 1
    assert events.count("processing") >= 2  # started, killed, started again
    assert "rejected" not in events


def _receive_one(teller):
    return services.image_receive(
        owner_ref=owner_ref("BJ01"),
        image_type_code="ID_FRONT",
        upload=upload(corpus.jpeg(corpus.photo(seed=92), exif=corpus.camera_exif())),
        uploaded_by=teller,
    )


def test_pool_process_killed_mid_task_is_redelivered_by_the_same_worker(
    tmp_path, teller, imaging_store, real_broker
):
    """reject_on_worker_lost: the worker sees its pool process die and puts the message
    back at once; a new pool process finishes the image."""
    _queue_keys_clear()
    worker = _start_worker(tmp_path, pause=True, pool="prefork")
    try:
        facts = _receive_one(teller)
        marker = tmp_path / "task-started"
        _wait_for(marker.exists, seconds=90, what="the pool process to start the task")
        child_pid = int(marker.read_text())
        assert child_pid != worker.pid

        os.kill(child_pid, signal.SIGKILL)  # kill -9 the process running the task

        _wait_for(
            lambda: Image.objects.get(pk=facts.id).state == ImageState.READY,
            seconds=120,
            what="the requeued task to finish",
        )
        time.sleep(6)
        assert worker.poll() is None  # the worker itself lived on
    finally:
        _stop(worker)
        _queue_keys_clear()

    events = list(
        ImageEvent.objects.filter(image_id=facts.id).order_by("pk").values_list("kind", flat=True)
    )
    assert events.count("ready") == 1
    assert events.count("processing") >= 2
