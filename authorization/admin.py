from django.contrib import admin

from .models import EvaluatedTransaction, RuleSetPublication, RuleSetVersion


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(admin.ModelAdmin):
    list_display = ("number", "status", "effective_at", "published_by", "note")
    readonly_fields = ("number", "status", "effective_at", "published_at", "published_by", "based_on")


@admin.register(RuleSetPublication)
class RuleSetPublicationAdmin(admin.ModelAdmin):
    list_display = ("version", "effective_at", "published_at", "published_by", "is_rollback")


@admin.register(EvaluatedTransaction)
class EvaluatedTransactionAdmin(admin.ModelAdmin):
    list_display = ("evaluated_at", "transaction_code", "channel", "branch_code", "required", "mode", "level")
    list_filter = ("transaction_code", "channel", "required")
