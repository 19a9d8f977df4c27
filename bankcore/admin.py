from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from bankcore.models import CalendarDay, IdempotencyRecord, OrgUnit, User
from bankcore.services import org_unit_save


@admin.register(OrgUnit)
class OrgUnitAdmin(TranslationAdmin):
    list_display = ("code", "name", "kind", "parent", "path", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("path",)
    ordering = ("path",)

    def save_model(self, request, obj, form, change) -> None:
        org_unit_save(unit=obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "org_unit",
        "authorization_level",
        "is_active",
    )
    list_filter = ("groups", "org_unit", "is_active", "is_staff")
    list_select_related = ("org_unit",)
    bank_fieldset = (_("Bank"), {"fields": ("org_unit", "authorization_level", "employee_no")})
    fieldsets = (*DjangoUserAdmin.fieldsets, bank_fieldset)
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, bank_fieldset)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("day", "is_business_day", "note")
    list_filter = ("is_business_day",)
    date_hierarchy = "day"
    search_fields = ("note",)


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    """The answers kept for `Idempotency-Key` retries (read-only: written by the API, purged by
    a periodic task when they expire)."""

    list_display = (
        "user",
        "key",
        "method",
        "endpoint",
        "completed",
        "response_status",
        "created_at",
    )
    list_filter = ("completed", "method")
    list_select_related = ("user",)
    search_fields = ("key", "endpoint", "user__username")
    ordering = ("-created_at",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
