from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class BankcoreConfig(AppConfig):
    name = "bankcore"
    verbose_name = _("Organisation and users")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bankcore.api.authentication import api_tokens_revoke_on_user_change
        from bankcore.calendar import calendar_signals_connect
        from bankcore.roles import roles_sync_after_migrate

        calendar_signals_connect()
        # A password change or a deactivation revokes the user's API tokens, whatever path
        # made it (admin, set_password, management commands).
        pre_save.connect(
            api_tokens_revoke_on_user_change,
            sender=self.get_model("User"),
            dispatch_uid="bankcore.api_tokens_revoke",
        )

        # Roles are groups with permissions; permissions only exist after migrate, so the
        # groups are brought up to date right after it (as django.contrib.auth does).
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="bankcore.roles_sync")
