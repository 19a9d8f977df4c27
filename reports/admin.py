from django.apps import apps
from django.contrib import admin


class ReportsDataAdmin(admin.ModelAdmin):
    """Facts, rollups, the ingest cursor, dirty hours and instrumentation are derived from the
    trail and the pages by the refresh task: shown here, never edited."""

    def get_list_display(self, request):
        return [field.name for field in self.model._meta.concrete_fields][:8]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


for _model in apps.get_app_config("reports").get_models():
    admin.site.register(_model, ReportsDataAdmin)
