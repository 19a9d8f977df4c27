from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BankcoreConfig(AppConfig):
    name = "bankcore"
    verbose_name = _("Organisation and users")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bankcore.calendar import calendar_signals_connect
        from bankcore.roles import roles_sync_after_migrate

        calendar_signals_connect()

        # Roles are groups with permissions; permissions only exist after migrate, so the
        # groups are brought up to date right after it (as django.contrib.auth does).
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="bankcore.roles_sync")
