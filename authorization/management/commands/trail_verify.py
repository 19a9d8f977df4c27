"""`manage.py trail_verify`: recompute every request's hash-chained trail and name each
edited or deleted event. Exit status 1 when anything is wrong (for monitoring and cron)."""

from django.core.management.base import BaseCommand, CommandError

from authorization.services.trail import trail_verify


class Command(BaseCommand):
    help = (
        "Check the authorization request trail: recompute each request's hash chain and report "
        "every edited or deleted event. Exits with status 1 when a problem is found."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "references", nargs="*", help="Only these requests (default: every request)."
        )

    def handle(self, *args, references, **options):
        report = trail_verify(references=references or None)
        for problem in report.problems:
            self.stderr.write(problem.message)
        summary = f"{report.requests_checked} requests, {report.events_checked} events checked"
        if not report.ok:
            raise CommandError(f"Trail broken: {len(report.problems)} problem(s); {summary}.")
        self.stdout.write(self.style.SUCCESS(f"Trail intact: {summary}."))
