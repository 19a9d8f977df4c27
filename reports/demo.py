"""Demo data of the reports: none of their own. The dashboards read rollups that Celery beat
brings up to date; the embedded default (`make run`: eager Celery, no beat) has no beat, so
seeding ends by bringing them up to date once, and a manager's first look shows the demo's
requests rather than zeros."""

from __future__ import annotations

from .services import reports_refresh


def seed(*, stdout) -> None:
    outcome = reports_refresh()
    stdout.write(f"Reports brought up to date ({outcome.events_read} trail events read).")
