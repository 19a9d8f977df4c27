"""The per-process cache helper: expiry, one way to clear, one load when threads race."""

import itertools
import threading
import time

import pytest

from bankcore.cache import ProcessMemo, ProcessValue, process_caches_clear

_names = itertools.count()


def counting_loader(delay: float = 0.0):
    calls = []

    def load():
        calls.append(None)
        if delay:
            time.sleep(delay)
        return {"load": len(calls)}

    return load, calls


def value(load, max_age=60.0) -> ProcessValue:
    return ProcessValue(f"test value {next(_names)}", load=load, max_age=max_age)


def test_the_value_is_loaded_once_and_kept_while_fresh():
    load, calls = counting_loader()
    cache = value(load)
    assert cache.peek() is None  # nothing held yet, and peeking loads nothing
    assert cache.get() == {"load": 1}
    assert cache.get() == {"load": 1}
    assert cache.peek() == {"load": 1}
    assert len(calls) == 1


def test_the_value_is_loaded_again_once_older_than_max_age():
    load, calls = counting_loader()
    age = {"seconds": 60.0}
    cache = value(load, max_age=lambda: age["seconds"])  # read on each use, like a setting
    assert cache.get() == {"load": 1}
    age["seconds"] = 0.05
    time.sleep(0.06)
    assert cache.peek() is None
    assert cache.get() == {"load": 2}
    assert len(calls) == 2


def test_clearing_every_cache_reloads_each_on_next_use():
    first_load, _ = counting_loader()
    second_load, _ = counting_loader()
    first, second = value(first_load), value(second_load)
    memo = ProcessMemo(f"test memo {next(_names)}", max_entries=4)
    first.get(), second.get()
    memo.set("v1", "compiled")

    process_caches_clear()

    assert first.peek() is None and second.peek() is None and memo.get("v1") is None
    assert first.get() == {"load": 2} and second.get() == {"load": 2}


def test_threads_asking_together_share_one_load():
    load, calls = counting_loader(delay=0.2)
    cache = value(load)
    answers = []
    start = threading.Barrier(8)

    def ask():
        start.wait()
        answers.append(cache.get())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(calls) == 1
    assert answers == [{"load": 1}] * 8


def test_a_load_under_way_when_cleared_is_answered_but_not_kept():
    loading, release = threading.Event(), threading.Event()
    calls = []

    def load():
        calls.append(None)
        if len(calls) == 1:  # the first load read the old state, and is slow
            loading.set()
            release.wait(5)
        return len(calls)

    cache = value(load)
    answers = []
    thread = threading.Thread(target=lambda: answers.append(cache.get()))
    thread.start()
    assert loading.wait(5)
    cache.clear()  # the change committed while the first load was under way: never waits
    release.set()
    thread.join()

    assert answers == [1]  # its caller gets what it read
    assert cache.get() == 2  # but the next use reads again


def test_the_memo_keeps_the_latest_entries_and_drops_the_oldest():
    memo = ProcessMemo(f"test memo {next(_names)}", max_entries=2)
    memo.set(1, "one")
    memo.set(2, "two")
    memo.set(3, "three")
    assert (memo.get(1), memo.get(2), memo.get(3)) == (None, "two", "three")


def test_a_memo_value_worked_out_before_a_clear_is_not_kept():
    memo = ProcessMemo(f"test memo {next(_names)}", max_entries=2)
    version = memo.version()
    memo.clear()
    memo.set(1, "stale", version=version)
    assert memo.get(1) is None
    memo.set(1, "fresh", version=memo.version())
    assert memo.get(1) == "fresh"


def test_two_caches_cannot_share_a_name():
    name = f"test value {next(_names)}"
    ProcessValue(name, load=dict, max_age=1.0)
    with pytest.raises(ValueError, match="exists already"):
        ProcessValue(name, load=dict, max_age=1.0)
