"""Values held per process: the one cache mechanism of the project.

Some reads sit on a hot path and change rarely (the rule set in force, the business
calendar): each process keeps them in memory and reads them again after a while, or at once
when this process changes them. Two shapes:

- `ProcessValue`: one value, loaded on first use and again once `max_age` seconds have passed
  (or after `clear()`). One thread loads while the others wait for its answer; a `clear()`
  during a load bumps the version, so the value that load read (perhaps before the change)
  is handed to its caller but not kept.
- `ProcessMemo`: values by key that never go stale on their own (e.g. compiled published
  versions), the least recently stored dropped beyond `max_entries`.

Every instance registers itself by name; `process_caches_clear()` is the one way to forget
everything (tests call it between tests, since each test's database is new).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

_versions = itertools.count(1)  # next() is atomic: each clear() gets a version of its own
_registry: dict[str, ProcessValue | ProcessMemo] = {}
_registry_lock = threading.Lock()


def _register(name: str, cache: ProcessValue | ProcessMemo) -> None:
    with _registry_lock:
        if name in _registry:
            raise ValueError(f"a process cache named {name!r} exists already")
        _registry[name] = cache


def process_caches_clear() -> None:
    """Forget every per-process value (each is loaded again on next use)."""
    with _registry_lock:
        caches = list(_registry.values())
    for cache in caches:
        cache.clear()


class ProcessValue(Generic[T]):
    """One value per process from `load()`, kept for `max_age` seconds (a number, or a
    callable read on each use so that a setting can change it)."""

    def __init__(self, name: str, *, load: Callable[[], T], max_age: float | Callable[[], float]):
        self.name = name
        self._load = load
        self._max_age = max_age if callable(max_age) else (lambda: max_age)
        self._load_lock = threading.Lock()  # one load at a time
        self._store_lock = threading.Lock()  # a store and a clear() never interleave
        # (value, time.monotonic() when its load started), replaced as one
        self._held: tuple[T | None, float] = (None, float("-inf"))
        self._version = next(_versions)  # changed by clear(): a load started before is not kept
        _register(name, self)

    def peek(self) -> T | None:
        """The value if one is held and fresh, else None (no load): the hot path's check."""
        value, loaded_at = self._held
        if time.monotonic() - loaded_at < self._max_age():
            return value
        return None

    def get(self) -> T:
        """The value, loaded now if none is held or it is older than `max_age`."""
        value = self.peek()
        if value is not None:
            return value
        with self._load_lock:
            value = self.peek()  # another thread may have loaded it while we waited
            if value is not None:
                return value
            version, started = self._version, time.monotonic()
            value = self._load()
            with self._store_lock:
                if version == self._version:
                    self._held = (value, started)
        return value

    def clear(self) -> None:
        """Load again on next use; a load in progress (which may have read the old state)
        is handed to its caller but not kept. Never waits for that load."""
        with self._store_lock:
            self._version = next(_versions)
            self._held = (None, float("-inf"))


class ProcessMemo(Generic[T]):
    """Values by key for the life of the process (until `clear()`), at most `max_entries`."""

    def __init__(self, name: str, *, max_entries: int):
        self.name = name
        self._max_entries = max_entries
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._version = next(_versions)
        _register(name, self)

    def get(self, key: Hashable) -> T | None:
        return self._values.get(key)

    def version(self) -> int:
        """Pass to `set` the version read before working a value out: a `clear()` in
        between means the value is not kept."""
        return self._version

    def set(self, key: Hashable, value: T, *, version: int | None = None) -> None:
        with self._lock:
            if version is not None and version != self._version:
                return
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self._max_entries:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._version = next(_versions)
            self._values.clear()
