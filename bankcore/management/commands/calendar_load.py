"""Load the bank's business calendar for a year from a CSV file.

    python manage.py calendar_load calendar-2027.csv [--replace]

One row per exception to the Monday-to-Friday week, with a header:

    date,business_day,note
    2027-01-01,no,New Year's Day
    2027-02-07,yes,Make-up working day (Spring Festival)

`business_day` is yes/no (also true/false, 1/0, 是/否). Every row is checked before anything is
written; a bad file writes nothing and names each bad line. With --replace, the days already
held for the years in the file and not in it are removed (the file is the whole calendar of
those years).
"""

import csv
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bankcore.models import CalendarDay

TRUE = {"yes", "true", "1", "y", "是"}
FALSE = {"no", "false", "0", "n", "否"}


class Command(BaseCommand):
    help = "Load business-calendar exceptions (holidays, make-up working days) from a CSV file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remove the days held for the file's years that the file does not list.",
        )

    def handle(self, *args, path: Path, replace: bool, **options) -> None:
        rows = self._read(path)
        with transaction.atomic():
            for day, business, note in rows:
                CalendarDay.objects.update_or_create(
                    day=day, defaults={"is_business_day": business, "note": note}
                )
            removed = 0
            if replace:
                years = {day.year for day, _business, _note in rows}
                stale = CalendarDay.objects.filter(day__year__in=years).exclude(
                    day__in=[day for day, _business, _note in rows]
                )
                removed, _by_model = stale.delete()
        self.stdout.write(f"Loaded {len(rows)} calendar days; removed {removed}.")

    def _read(self, path: Path) -> list[tuple[date, bool, str]]:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        reader = csv.DictReader(text.splitlines())
        missing = {"date", "business_day"} - set(reader.fieldnames or ())
        if missing:
            raise CommandError(
                f"{path}: the header must name date and business_day "
                f"(missing: {', '.join(sorted(missing))})."
            )
        rows: list[tuple[date, bool, str]] = []
        errors: list[str] = []
        seen: dict[date, int] = {}
        for line, record in enumerate(reader, start=2):
            raw_day = (record.get("date") or "").strip()
            raw_flag = (record.get("business_day") or "").strip().lower()
            note = (record.get("note") or "").strip()
            try:
                day = date.fromisoformat(raw_day)
            except ValueError:
                errors.append(f"line {line}: date {raw_day!r} is not a date (YYYY-MM-DD)")
                continue
            if raw_flag in TRUE:
                business = True
            elif raw_flag in FALSE:
                business = False
            else:
                errors.append(f"line {line}: business_day {raw_flag!r} is not yes or no")
                continue
            if len(note) > 100:
                errors.append(f"line {line}: the note is longer than 100 characters")
                continue
            if day in seen:
                errors.append(f"line {line}: {day} is already on line {seen[day]}")
                continue
            seen[day] = line
            rows.append((day, business, note))
        if errors:
            raise CommandError(f"{path}: nothing loaded.\n" + "\n".join(errors))
        if not rows:
            raise CommandError(f"{path}: no calendar days in the file.")
        return rows
