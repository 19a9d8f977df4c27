"""A worker killed by kill -9 mid-task loses nothing: the message comes back (acks_late),
another worker finishes it, and the image becomes ready exactly once."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from django.conf import settings

from imaging import services
from imaging.models import Image, ImageEvent, ImageState
from tests.conftest import requires_postgres
from tests.harness import celery_workers, kill_9, wait_for
from tests.imaging import corpus
from tests.imaging.conftest import owner_ref, upload

WORKER = Path(__file__).with_name("worker_for_kill_test.py")

pytestmark = [
    pytest.mark.redis,
    requires_postgres,  # the worker process must see the test's committed rows
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis broker (REDIS_URL)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def workers(tmp_path, imaging_store):
    assert imaging_store == tmp_path / "imaging"  # the workers are given the same store
    with celery_workers(
        WORKER,
        tmp_path,
        queue="images",
        env_prefix="IMAGING_TEST",
        env={"IMAGING_ROOT": str(imaging_store)},
    ) as workers:
        yield workers


def _receive_one(teller, seed: int):
    return services.image_receive(
        owner_ref=owner_ref("BJ01"),
        image_type_code="ID_FRONT",
        upload=upload(corpus.jpeg(corpus.photo(seed=seed), exif=corpus.camera_exif())),
        uploaded_by=teller,
    )


def _state(image_id) -> str:
    return Image.objects.get(pk=image_id).state


def test_worker_killed_mid_task_image_ends_ready_exactly_once(workers, teller):
    """Two workers from the start (the second one's start-up overlaps the first's work): the
    one that takes the task pauses in it and is killed; the other gets the message back."""
    started = [workers.start(pause=True), workers.start(pause=True)]
    facts = _receive_one(teller, seed=91)
    paused = workers.paused_pid()
    (killed,) = [worker for worker in started if worker.pid == paused]
    (survivor,) = [worker for worker in started if worker is not killed]
    assert _state(facts.id) == ImageState.PROCESSING

    kill_9(killed.pid)  # kill -9, mid-task
    killed.wait(timeout=10)
    assert killed.returncode == -signal.SIGKILL
    assert _state(facts.id) == ImageState.PROCESSING

    wait_for(
        lambda: _state(facts.id) == ImageState.READY,
        seconds=120,
        what="the redelivered task to finish",
        alive=(survivor,),
    )
    # Acknowledged and nothing queued: no copy of the message is left to deliver a third time.
    wait_for(workers.drained, seconds=30, what="the broker to be empty", alive=(survivor,))

    image = Image.objects.get(pk=facts.id)
    assert image.state == ImageState.READY
    assert image.review_key and image.thumbnail_key
    events = list(
        ImageEvent.objects.filter(image=image).order_by("pk").values_list("kind", flat=True)
    )
    assert events.count("ready") == 1
    assert events.count("processing") >= 2  # started, killed, started again
    assert "rejected" not in events


def test_pool_process_killed_mid_task_is_redelivered_by_the_same_worker(workers, teller):
    """reject_on_worker_lost: the worker sees its pool process die and puts the message
    back at once; a new pool process finishes the image."""
    worker = workers.start(pause=True, pool="prefork")
    facts = _receive_one(teller, seed=92)
    child_pid = workers.paused_pid()
    assert child_pid != worker.pid

    kill_9(child_pid)  # kill -9 the process running the task

    wait_for(
        lambda: _state(facts.id) == ImageState.READY,
        seconds=120,
        what="the requeued task to finish",
        alive=(worker,),
    )
    wait_for(workers.drained, seconds=30, what="the broker to be empty", alive=(worker,))
    assert worker.poll() is None  # the worker itself lived on

    events = list(
        ImageEvent.objects.filter(image_id=facts.id).order_by("pk").values_list("kind", flat=True)
    )
    assert events.count("ready") == 1
    assert events.count("processing") >= 2
