"""Report reads can go to a replica: when REPORTS_DATABASE_URL is set, reads of the reports
app's tables use the "reports" database alias; every write, and the ingestion (which reads
what it is about to write), stays on "default"."""

from django.conf import settings

REPORTS_ALIAS = "reports"


class ReportsRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label == "reports" and REPORTS_ALIAS in settings.DATABASES:
            return REPORTS_ALIAS
        return None

    def db_for_write(self, model, **hints):
        if model._meta.app_label == "reports":
            return "default"
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is migrated by replication, never by us.
        if db == REPORTS_ALIAS:
            return False
        return None
