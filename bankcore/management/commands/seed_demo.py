import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create the demo organisation, one user per role, and each app's demo data. "
        "Idempotent: running it again changes nothing that is already there."
    )

    def handle(self, *args, **options) -> None:
        # Each app that has demo data keeps it in <app>/demo.py with a seed(stdout=...)
        # function; apps are seeded in INSTALLED_APPS order (kernel first).
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                module = importlib.import_module(module_name)
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
