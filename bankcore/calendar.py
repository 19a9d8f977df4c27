"""The bank's business calendar: Monday to Friday, except the days the calendar says otherwise
(public holidays off, make-up working days on).

Rules ask "is this a business day?" on the channels' hot path, so the exceptions (a few dozen
rows a year) are held per process. Saving or deleting a calendar day clears them in that
process at once and again when the change commits (another thread may have read the calendar
in between); other processes read them again within CALENDAR_CHECK_SECONDS.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from bankcore.cache import ProcessValue

CALENDAR_CHECK_SECONDS = 60.0


def _read_calendar() -> dict[date, bool]:
    from bankcore.models import CalendarDay

    return dict(CalendarDay.objects.values_list("day", "is_business_day"))


_calendar = ProcessValue(
    "business calendar", load=_read_calendar, max_age=lambda: CALENDAR_CHECK_SECONDS
)


def is_business_day(day: date) -> bool:
    known = _calendar.get().get(day)
    return known if known is not None else day.isoweekday() <= 5


def calendar_forget(**_kwargs) -> None:
    """Read the calendar again on next use (after a change)."""
    _calendar.clear()


def _calendar_changed(**_kwargs) -> None:
    calendar_forget()
    transaction.on_commit(calendar_forget)


def calendar_signals_connect() -> None:
    from bankcore.models import CalendarDay

    post_save.connect(_calendar_changed, sender=CalendarDay, dispatch_uid="bankcore.calendar.save")
    post_delete.connect(
        _calendar_changed, sender=CalendarDay, dispatch_uid="bankcore.calendar.delete"
    )
