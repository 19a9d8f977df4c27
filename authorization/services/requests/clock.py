"""The request services' one clock."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def clock(now: datetime | None = None) -> datetime:
    """The caller's `now` (tests, tasks with their own clock), else the current time."""
    return now or timezone.now()
