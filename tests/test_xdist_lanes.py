"""The two lanes `make test` hands tests out in (tests/xdist_lanes.py), driven with stand-in
workers: whatever the timing, no worker runs a test that rolls back after a transactional one
(its flush would have emptied the reference data that test reads), and every test runs once."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from tests.xdist_lanes import ROLLBACK_SECONDS, LanesScheduling, lanes_boundary_write


class Config:
    def __init__(self, workers: int):
        self.values = {"tx": [f"{workers}*popen"], "maxschedchunk": None}

    def getvalue(self, name):
        return self.values[name]

    getoption = getvalue


class Worker:
    def __init__(self, number: int, testrunuid: str):
        self.gateway_id = f"gw{number}"
        self.gateway = SimpleNamespace(id=self.gateway_id)
        self.workerinput = {"testrunuid": testrunuid, "workerid": self.gateway_id}
        self.shutting_down = False
        self.queue: list[int] = []
        self.ran: list[int] = []

    def send_runtest_some(self, indices):
        self.queue.extend(indices)

    def shutdown(self):
        self.shutting_down = True


def run(*, rolling_back: int, transactional: list[float], workers: int, seed: int):
    """Collects, schedules and completes tests the way xdist's controller does, in a random
    interleaving of the workers. Returns the workers."""
    testrunuid = f"lanes-test-{seed}-{workers}-{rolling_back}"
    lanes_boundary_write(
        type("WorkerConfig", (), {"workerinput": {"testrunuid": testrunuid, "workerid": "gw0"}}),
        rolling_back=rolling_back,
        transactional_seconds=transactional,
    )
    collection = [f"t{i}" for i in range(rolling_back + len(transactional))]
    scheduler = LanesScheduling(Config(workers))
    nodes = [Worker(n, testrunuid) for n in range(workers)]
    for node in nodes:
        scheduler.add_node(node)
        scheduler.add_node_collection(node, collection)
    scheduler.schedule()
    rng = random.Random(seed)
    while True:
        busy = [node for node in nodes if node.queue]
        if not busy:
            break
        node = rng.choice(busy)
        # A worker runs a test once it knows the next one, or once it is told to shut down.
        if len(node.queue) < 2 and not node.shutting_down:
            pytest.fail(f"{node.gateway_id} was left waiting with {node.queue}")
        index = node.queue.pop(0)
        node.ran.append(index)
        scheduler.mark_test_complete(node, index)
    assert scheduler.tests_finished
    return nodes, collection


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    ("rolling_back", "transactional", "workers"),
    [
        (300, [20.0, 10.0] + [2.0] * 30, 2),  # browser journeys: the larger share
        (300, [1.0] * 10, 2),  # no Chromium: the transactional tests are few and short
        (300, [5.0] * 20, 4),
        (5, [1.0] * 3, 2),
    ],
)
def test_every_test_runs_once_and_none_that_rolls_back_after_a_transactional_one(
    rolling_back, transactional, workers, seed
):
    nodes, collection = run(
        rolling_back=rolling_back, transactional=transactional, workers=workers, seed=seed
    )

    assert sorted(i for node in nodes for i in node.ran) == list(range(len(collection)))
    for node in nodes:
        kinds = ["rolls back" if i < rolling_back else "transactional" for i in node.ran]
        if "transactional" in kinds:
            assert "rolls back" not in kinds[kinds.index("transactional") :], node.gateway_id


def test_the_transactional_lane_starts_at_once_when_they_outweigh_the_rest():
    nodes, _collection = run(rolling_back=300, transactional=[30.0] * 10, workers=2, seed=1)

    lane = next(node for node in nodes if node.ran[0] >= 300)
    assert all(i >= 300 for i in lane.ran)  # it never ran a test that rolls back


def test_the_transactional_lane_first_takes_tests_that_roll_back_when_those_outweigh_them():
    transactional = [1.0] * 10  # 10 s against 300 * ROLLBACK_SECONDS
    nodes, _collection = run(rolling_back=300, transactional=transactional, workers=2, seed=1)

    first = nodes[0]  # the transactional lane is the first worker
    rolled_back_first = sum(1 for i in first.ran if i < 300)
    assert rolled_back_first > 0
    assert sum(transactional) < 300 * ROLLBACK_SECONDS
