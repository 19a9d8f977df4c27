"""Shared test harnesses.

`CeleryWorkers`: real Celery workers, killed with `kill -9` (real Redis broker, PostgreSQL),
for the tests that prove a task survives its worker dying (tests/imaging/test_worker_killed.py,
tests/authorization/test_escalation.py). Each test gives the worker script it runs (a module
that patches the task to pause at the interesting moment and writes a marker file with its
process id) and the queue it consumes.

`nothing_written`: a refused write (403, 400, 409) leaves every table it could have touched as
it was.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

# The broker options the worker scripts and the test process share: a message whose worker
# died is delivered again within seconds (the visibility timeout), and each xdist worker has
# its own keys (bankcore/settings/test.py: `global_keyprefix`), so kill tests on two pytest
# workers never see each other's messages.
FAST_REDELIVERY = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
UNACKED_KEYS = ("unacked", "unacked_index", "unacked_mutex")


def broker_options() -> dict:
    return {**getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}), **FAST_REDELIVERY}


def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


def _key(name: str) -> str:
    return (
        getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}).get("global_keyprefix", "") + name
    )


def broker_keys_clear(queue: str) -> None:
    """Forget every message of this pytest worker's broker keys (the queue and the unacked)."""
    _redis().delete(*(_key(name) for name in (queue, *UNACKED_KEYS)))


def broker_drained(queue: str) -> bool:
    """No message left anywhere the broker could deliver from again: the queue is empty and
    nothing is waiting for an acknowledgement (so none can come back after the visibility
    timeout)."""
    client = _redis()
    return client.llen(_key(queue)) == 0 and client.hlen(_key("unacked")) == 0


def wait_for(
    condition: Callable[[], bool],
    *,
    seconds: float,
    what: str,
    alive: tuple[subprocess.Popen, ...] = (),
) -> None:
    """Poll `condition` until it holds; fail at once (with the worker's log) when one of the
    `alive` processes has exited, instead of waiting out the deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        for process in alive:
            if process.poll() is not None:
                raise AssertionError(
                    f"worker {process.pid} exited ({process.returncode}) while waiting for "
                    f"{what}:\n{_log_tail(process)}"
                )
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _log_tail(process: subprocess.Popen, lines: int = 30) -> str:
    path = getattr(process, "log_path", None)
    if path is None or not Path(path).exists():
        return "(no log)"
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def kill_9(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


class CeleryWorkers:
    """Worker processes for one test: each runs `script` against this test's database and this
    pytest worker's broker keys; `marker` is the file the paused task writes its pid to."""

    def __init__(
        self, script: Path, tmp_path: Path, *, queue: str, env_prefix: str, env: dict
    ) -> None:
        self.script = script
        self.env = env
        self.tmp_path = tmp_path
        self.queue = queue
        self.env_prefix = env_prefix
        self.marker = tmp_path / "task-started"
        self.started: list[subprocess.Popen] = []

    def start(self, *, pause: bool, **extra: str) -> subprocess.Popen:
        """A worker; with `pause`, the first run of the task (the marker does not exist yet)
        writes the marker and waits, to be killed there."""
        environment = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            **self.env,
            f"{self.env_prefix}_MARKER": str(self.marker),
            f"{self.env_prefix}_PAUSE": "1" if pause else "0",
            **{f"{self.env_prefix}_{name.upper()}": value for name, value in extra.items()},
        }
        log_path = self.tmp_path / f"worker-{len(self.started)}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, str(self.script)],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process.log_path = log_path
        self.started.append(process)
        return process

    def paused_pid(self, *, seconds: float = 90) -> int:
        """Wait until a worker is inside the task (paused) and return the pid that wrote the
        marker (the worker itself with the solo pool, its child with prefork)."""
        wait_for(
            lambda: self.marker.exists() and self.marker.read_text().strip() != "",
            seconds=seconds,
            what="a worker to be inside the task",
            alive=tuple(self.started),
        )
        return int(self.marker.read_text())

    def drained(self) -> bool:
        return broker_drained(self.queue)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def celery_workers(
    script: Path, tmp_path: Path, *, queue: str, env_prefix: str, env: dict | None = None
):
    """This process sends tasks through the real broker (not in-process) while the block runs;
    the workers started in it (with `env` added to this process's environment) are stopped
    and the broker keys cleared at the end."""
    from bankcore.celery import app

    broker_keys_clear(queue)
    workers = CeleryWorkers(script, tmp_path, queue=queue, env_prefix=env_prefix, env=env or {})
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        yield workers
    finally:
        app.conf.task_always_eager = eager
        workers.stop_all()
        broker_keys_clear(queue)


def worker_configure(app) -> None:
    """In a worker script: the real broker, with the test's options (fast redelivery, this
    pytest worker's key prefix)."""
    app.conf.task_always_eager = False
    app.conf.broker_transport_options = broker_options()


def worker_main(app, *, queue: str, name: str, pool: str = "solo") -> None:
    app.worker_main(
        [
            "worker",
            f"--queues={queue}",
            f"--pool={pool}",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
            f"--hostname={name}-{os.getpid()}@%h",
        ]
    )


# --- Refused writes ------------------------------------------------------------------------------


def _project_models():
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def table_counts(*models) -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for model in models or _project_models()
    }


@contextlib.contextmanager
def nothing_written(*models, allowed: tuple = ()) -> Iterator[None]:
    """Assert that the block leaves the row count of every table unchanged (or of the models
    given): a refused write writes nothing, no row, no event, no audit entry. `allowed` names
    models a refusal may write to (a failed-login counter)."""
    before = table_counts(*models)
    yield
    after = table_counts(*models)
    for model in allowed:
        before.pop(model._meta.label, None)
        after.pop(model._meta.label, None)
    changed = {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }
    assert not changed, f"a refused write wrote rows (table: (before, after)): {changed}"
