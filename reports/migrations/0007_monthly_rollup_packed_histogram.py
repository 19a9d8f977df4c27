"""Monthly rollups and packed turnaround histograms (the dashboard's cost bounded by the cube
of dimensions, not by the history): the daily rollup gains a period (day or month) and a
packed JSON (the turnaround histogram per cell, submissions per day per month); the row per
histogram bucket goes. The rollups are emptied and every hour with facts is marked dirty, so
the next refresh (beat) recomputes them in the new shape from the facts."""

from django.db import migrations, models


def rollups_reset(apps, schema_editor):
    from django.utils import timezone

    DailyRollup = apps.get_model("reports", "DailyRollup")
    TrailFact = apps.get_model("reports", "TrailFact")
    DirtyHour = apps.get_model("reports", "DirtyHour")
    DailyRollup.objects.all().delete()
    now = timezone.now()
    hours = TrailFact.objects.values_list("hour", flat=True).distinct()
    DirtyHour.objects.bulk_create(
        [DirtyHour(hour=hour, marked_at=now) for hour in hours], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_turnaround_histogram")]

    operations = [
        migrations.RunPython(rollups_reset, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="dailyrollup", name="reports_daily_grain_day"),
        migrations.RemoveField(model_name="dailyrollup", name="turnaround_bucket"),
        migrations.AddField(
            model_name="dailyrollup",
            name="period",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month")], default="day", max_length=5
            ),
        ),
        migrations.AddField(
            model_name="dailyrollup", name="packed", field=models.JSONField(null=True)
        ),
        migrations.AlterField(
            model_name="dailyrollup",
            name="grain",
            field=models.CharField(
                choices=[
                    ("main", "Main"),
                    ("authorizer", "Authorizer"),
                    ("turnaround", "Turnaround"),
                    ("days", "Days"),
                ],
                max_length=12,
            ),
        ),
        migrations.AddIndex(
            model_name="dailyrollup",
            index=models.Index(
                fields=["grain", "period", "day"], name="reports_rollup_grain_period"
            ),
        ),
    ]
