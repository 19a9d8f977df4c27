"""How `make test` hands the tests to pytest-xdist's workers: two lanes.

A transactional test (real commits: live server and browser, threads, Celery workers) ends with
a flush that also empties the reference data the migrations seeded, so on any one worker no
test that rolls back may run after a transactional one (tests/conftest.py orders them so). With
xdist's plain load scheduling that meant every worker ran its share of the tests that roll back
first, then every worker ran browser journeys at the same time: two Chromiums competing for the
two cores, while a journey's waits for the next live update (polling) left a core idle.

Here one worker, the transactional lane, takes the transactional tests from the start (longest
first), while the others run the tests that roll back, which keep a core busy through the
journeys' waits. A worker of the other lane that runs out of tests that roll back takes the
transactional tests from the other end (shortest first), so both lanes end together. If the
transactional tests are the smaller share (no Chromium, so no browser journeys), the
transactional lane first takes tests that roll back, until the rest of them would keep the other
lane as long as the transactional tests will keep it.

Which tests are transactional is known only where they are collected (the workers): the first
worker to sort them writes how many roll back to a file named by the run's id, which the
scheduler reads once every worker has collected (`lanes_boundary_write`/`_read`). Without that
file (a run that is not a `make test` run) the scheduler behaves as xdist's `load`.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import deque
from pathlib import Path

from xdist.scheduler import LoadScheduling

# Seconds a test that rolls back takes on average, measured in the same run as
# tests/transactional_durations.json (a `make test` run in lanes, SQLite, 2 workers, the machine
# busy with other work: 1,051 of them in 310 s; the transactional ones 200 s). Only the balance
# between the lanes depends on these, so only their ratio matters.
ROLLBACK_SECONDS = 0.30


def _boundary_file(testrunuid: str) -> Path:
    return Path(tempfile.gettempdir()) / f"bankcore-test-lanes-{testrunuid}.json"


def lanes_boundary_write(config, *, rolling_back: int, transactional_seconds: list[float]) -> None:
    """On a worker, after sorting: how many tests roll back (they come first), and the expected
    seconds of each transactional one, in order."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return
    path = _boundary_file(workerinput["testrunuid"])
    if path.exists():
        return  # every worker sorts the same collection the same way
    temporary = path.with_suffix(f".{workerinput['workerid']}.tmp")
    temporary.write_text(
        json.dumps({"rolling_back": rolling_back, "transactional_seconds": transactional_seconds})
    )
    os.replace(temporary, path)


def _boundary_read(nodes) -> dict | None:
    for node in nodes:
        path = _boundary_file(node.workerinput["testrunuid"])
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        path.unlink(missing_ok=True)
        return data
    return None


class LanesScheduling(LoadScheduling):
    """xdist's load scheduling with the two lanes of the module docstring. Each worker is kept
    two tests ahead (a worker runs a test once it knows the next one), as `--maxschedchunk 1`."""

    lanes: dict | None = None

    def schedule(self) -> None:
        if self.collection is None and self.collection_is_completed:
            self.lanes = _boundary_read(self.nodes)
        if self.lanes is None or len(self.nodes) < 2:
            self.lanes = None
            return super().schedule()
        if self.collection is None:
            if not self._check_nodes_have_same_collection():
                self.log("**Different tests collected, aborting run**")
                return
            self.collection = next(iter(self.node2collection.values()))
            self.pending[:] = range(len(self.collection))
            boundary = self.lanes["rolling_back"]
            self.rolling_back = deque(range(boundary))
            self.transactional = deque(range(boundary, len(self.collection)))
            self.seconds = dict(
                zip(self.transactional, self.lanes["transactional_seconds"], strict=False)
            )
            self.transactional_node = self.nodes[0]
            self.transactional_started = False
        for node in self.nodes:
            self.check_schedule(node)

    def check_schedule(self, node, duration: float = 0) -> None:
        if self.lanes is None:
            return super().check_schedule(node, duration)
        if node.shutting_down:
            return
        while len(self.node2pending[node]) < 2:
            index = self._next_for(node)
            if index is None:
                break
            self.pending.remove(index)
            self.node2pending[node].append(index)
            node.send_runtest_some([index])
        if len(self.node2pending[node]) < 2 and self._next_for(node, peek=True) is None:
            node.shutdown()

    def _next_for(self, node, *, peek: bool = False) -> int | None:
        take = (lambda lane: lane[0]) if peek else (lambda lane: lane.popleft())
        if node is self.transactional_node:
            if not self.transactional_started:
                if self.rolling_back and self._rolling_back_outlasts_transactional():
                    return take(self.rolling_back)
                if not peek:
                    self.transactional_started = True
            return take(self.transactional) if self.transactional else None
        if self.rolling_back:
            return take(self.rolling_back)
        if self.transactional:  # the shortest, from the other end
            return self.transactional[-1] if peek else self.transactional.pop()
        return None

    def _rolling_back_outlasts_transactional(self) -> bool:
        others = len(self.nodes) - 1
        rolling_back = len(self.rolling_back) * ROLLBACK_SECONDS
        transactional = sum(self.seconds.get(i, 0.0) for i in self.transactional)
        # Biased to start late: the other lane can take a transactional test, this one can never
        # go back to one that rolls back.
        return rolling_back > 0.85 * others * transactional

    def remove_node(self, node):
        """A worker that crashed: its tests go back to their lanes (xdist reports the one it
        was running as crashed)."""
        if self.lanes is None:
            return super().remove_node(node)
        pending = self.node2pending.pop(node)
        if node is self.transactional_node:
            self.transactional_node = None
        if not pending:
            return None
        crashed = self.collection[pending.pop(0)]
        for index in reversed(pending):
            lane = self.rolling_back if index < self.lanes["rolling_back"] else self.transactional
            lane.appendleft(index)
            self.pending.append(index)
        for other in self.node2pending:
            self.check_schedule(other)
        return crashed
