"""The business calendar: Monday to Friday, except the days the bank's calendar says otherwise."""

import threading
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from bankcore.calendar import is_business_day
from bankcore.models import CalendarDay
from tests.conftest import requires_postgres

pytestmark = pytest.mark.django_db

HOLIDAY = date(2027, 10, 1)  # a Friday
MAKE_UP = date(2027, 9, 26)  # a Sunday
ORDINARY = date(2027, 9, 30)  # a Thursday


def test_without_calendar_days_monday_to_friday_are_business_days():
    assert is_business_day(ORDINARY)
    assert not is_business_day(MAKE_UP)


def test_calendar_days_override_the_week_as_soon_as_they_are_saved():
    assert is_business_day(HOLIDAY)  # read (and held) before the calendar changes

    CalendarDay.objects.create(day=HOLIDAY, is_business_day=False, note="National Day")
    CalendarDay.objects.create(day=MAKE_UP, is_business_day=True, note="Make-up working day")

    assert not is_business_day(HOLIDAY)
    assert is_business_day(MAKE_UP)
    CalendarDay.objects.get(day=HOLIDAY).delete()
    assert is_business_day(HOLIDAY)


def write(tmp_path, text: str):
    path = tmp_path / "calendar.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_loading_a_calendar_file(tmp_path):
    path = write(
        tmp_path,
        "\ufeffdate,business_day,note\n"
        "2027-10-01,no,National Day\n"
        "2027-09-26,是,Make-up working day\n",
    )

    call_command("calendar_load", str(path))

    assert list(CalendarDay.objects.values_list("day", "is_business_day", "note")) == [
        (MAKE_UP, True, "Make-up working day"),
        (HOLIDAY, False, "National Day"),
    ]
    assert not is_business_day(HOLIDAY)


def test_a_bad_file_loads_nothing_and_names_each_bad_line(tmp_path):
    path = write(
        tmp_path,
        "date,business_day,note\n"
        "2027-10-01,no,National Day\n"
        "2027-13-01,no,\n"
        "2027-10-02,maybe,\n"
        "2027-10-01,yes,again\n",
    )

    with pytest.raises(CommandError) as caught:
        call_command("calendar_load", str(path))

    message = str(caught.value)
    assert "line 3: date '2027-13-01' is not a date" in message
    assert "line 4: business_day 'maybe' is not yes or no" in message
    assert "line 5: 2027-10-01 is already on line 2" in message
    assert not CalendarDay.objects.exists()


def test_a_file_without_the_columns_is_refused(tmp_path):
    with pytest.raises(CommandError, match="missing: business_day"):
        call_command("calendar_load", str(write(tmp_path, "date,holiday\n2027-10-01,yes\n")))


def test_replace_keeps_other_years_and_drops_days_the_file_no_longer_lists(tmp_path):
    CalendarDay.objects.create(day=date(2027, 5, 3), is_business_day=False, note="moved")
    CalendarDay.objects.create(day=date(2026, 10, 1), is_business_day=False, note="last year")

    call_command(
        "calendar_load", str(write(tmp_path, "date,business_day\n2027-10-01,no\n")), "--replace"
    )

    assert set(CalendarDay.objects.values_list("day", flat=True)) == {
        date(2026, 10, 1),
        HOLIDAY,
    }


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_read_by_another_thread_before_the_commit_is_not_kept():
    # Another thread reads the calendar while a change is written but not yet committed; once
    # the change commits, this process answers with it (not with what that thread held).
    def read_elsewhere() -> None:
        try:
            seen.append(is_business_day(HOLIDAY))
        finally:
            connection.close()

    seen: list[bool] = []
    with transaction.atomic():
        CalendarDay.objects.create(day=HOLIDAY, is_business_day=False, note="National Day")
        reader = threading.Thread(target=read_elsewhere)
        reader.start()
        reader.join()

    assert seen == [True]  # the other thread could not see the uncommitted day
    assert not is_business_day(HOLIDAY)
