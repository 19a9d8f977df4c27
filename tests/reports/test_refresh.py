"""Celery beat keeps the reports up to date; report reads can go to a replica."""

import io

import pytest
from celery import current_app
from django.conf import settings
from django.core.management import call_command

from authorization.models import RequestEvent
from reports.models import DailyRollup, HourlyRollup, RequestFact, TrailFact
from reports.routers import ReportsRouter
from reports.tasks import reports_refresh_task


def test_beat_schedules_the_refresh_and_the_daily_email_as_registered_tasks():
    import reports.tasks  # noqa: F401 - registers the tasks

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    ours = {"reports.tasks.reports_refresh_task", "reports.tasks.reports_daily_email_task"}
    assert ours <= names
    assert ours <= set(current_app.tasks)


@pytest.mark.django_db
def test_refresh_task_brings_new_trail_events_into_the_facts_and_rollups(org):
    call_command("seed_history", requests=40, days=3, end="2026-03-31", stdout=io.StringIO())
    outcome = reports_refresh_task()
    events = RequestEvent.objects.count()
    assert outcome["events"] == events
    assert TrailFact.objects.count() == events
    assert RequestFact.objects.count() == 40
    assert sum(HourlyRollup.objects.values_list("events", flat=True)) == events
    for period in ("day", "month"):  # the month is summed from its days: the same total
        main = DailyRollup.objects.filter(grain="main", period=period)
        assert sum(main.values_list("events", flat=True)) == events
    # Nothing new: the next run reads only the short window behind the cursor again.
    call_command("seed_history", requests=10, days=3, end="2026-03-31", stdout=io.StringIO())
    reports_refresh_task()
    for period in ("day", "month"):
        main = DailyRollup.objects.filter(grain="main", period=period)
        assert sum(main.values_list("events", flat=True)) == RequestEvent.objects.count()
    assert RequestFact.objects.count() == 50


def test_report_reads_go_to_the_replica_only_when_one_is_configured(settings):
    router = ReportsRouter()
    assert router.db_for_read(TrailFact) is None  # no replica: the default database
    settings.DATABASES = {**settings.DATABASES, "reports": dict(settings.DATABASES["default"])}
    assert router.db_for_read(TrailFact) == "reports"
    assert router.db_for_read(RequestEvent) is None  # other apps are not routed
    assert router.db_for_write(TrailFact) == "default"
    assert router.allow_migrate("reports", "reports") is False
