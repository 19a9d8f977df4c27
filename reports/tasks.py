"""Celery tasks of the reports app (thin: each calls a service)."""

from celery import shared_task
from django.utils import timezone


@shared_task
def reports_refresh_task() -> dict:
    """Beat, every REPORTS_REFRESH_SECONDS: new trail events and verdicts into the facts, and
    the hours they touched recomputed."""
    from .services import reports_refresh

    outcome = reports_refresh()
    return {
        "events": outcome.events_read,
        "verdicts": outcome.verdicts_read,
        "hours": outcome.hours_refreshed,
    }


@shared_task
def reports_daily_email_task() -> int:
    """Beat, every morning: yesterday's report to every manager with an e-mail address."""
    from .mail import daily_report_send

    return daily_report_send(now=timezone.now())
