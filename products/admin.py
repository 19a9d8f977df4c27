"""Django admin: read-only views for support staff. Everything here changes through the
factory's pages and API (services), which validate zones, principle levels, bounds and
template presets and keep four-eyes on products: one write path."""

from django.contrib import admin

from products.models import (
    Account,
    CodeCounter,
    ParameterDefinition,
    Product,
    ProductComponent,
    ProductEvent,
    ProductLine,
    ProductParameter,
    ProductProposal,
    ProductTemplate,
    ProductVersion,
    TemplateParameter,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProductLine)
class ProductLineAdmin(ReadOnlyAdmin):
    list_display = ("line_code", "code", "name", "business_nature")
    ordering = ("sort_order", "line_code")


@admin.register(ParameterDefinition)
class ParameterDefinitionAdmin(ReadOnlyAdmin):
    list_display = ("code", "label", "zone", "data_type", "principle_level", "is_active")
    list_filter = ("zone", "data_type", "principle_level", "is_active")
    search_fields = ("code", "label")
    ordering = ("zone", "sort_order", "code")


class TemplateParameterInline(admin.TabularInline):
    model = TemplateParameter
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProductTemplate)
class ProductTemplateAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "line", "customer_group", "is_active")
    inlines = [TemplateParameterInline]
    ordering = ("code",)


class ProductParameterInline(admin.TabularInline):
    model = ProductParameter
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = (
        "product_code",
        "name",
        "line",
        "status",
        "active_version",
        "published_by",
        "publication_approved_by",
    )
    list_filter = ("status", "line", "customer_group")
    search_fields = ("product_code", "name")
    list_select_related = ("line", "active_version")
    ordering = ("product_code",)


@admin.register(ProductVersion)
class ProductVersionAdmin(ReadOnlyAdmin):
    list_display = ("product", "number", "created_at", "created_by", "approved_by", "change_note")
    list_select_related = ("product",)
    inlines = [ProductParameterInline]
    ordering = ("product", "number")


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("account_no", "customer_no", "product", "status", "opened_at")
    list_filter = ("status",)
    search_fields = ("account_no", "customer_no")
    list_select_related = ("product",)
    ordering = ("-opened_at",)


@admin.register(ProductParameter)
class ProductParameterAdmin(ReadOnlyAdmin):
    list_display = ("version", "definition", "value", "principle_level")
    list_select_related = ("version__product", "definition")
    ordering = ("version", "definition__code")


@admin.register(TemplateParameter)
class TemplateParameterAdmin(ReadOnlyAdmin):
    list_display = ("template", "definition", "value", "principle_level", "is_locked")
    list_select_related = ("template", "definition")
    ordering = ("template", "definition__code")


@admin.register(ProductComponent)
class ProductComponentAdmin(ReadOnlyAdmin):
    list_display = ("product", "component", "binding_rule")
    list_select_related = ("product", "component")
    ordering = ("product", "sort_order")


@admin.register(CodeCounter)
class CodeCounterAdmin(ReadOnlyAdmin):
    list_display = ("key", "last_value")
    ordering = ("key",)


@admin.register(ProductProposal)
class ProductProposalAdmin(ReadOnlyAdmin):
    list_display = ("product", "kind", "status", "proposed_by", "proposed_at", "decided_by")
    list_filter = ("kind", "status")
    list_select_related = ("product", "proposed_by", "decided_by")
    ordering = ("-proposed_at",)


@admin.register(ProductEvent)
class ProductEventAdmin(ReadOnlyAdmin):
    list_display = ("product", "action", "from_status", "to_status", "acted_by", "approved_by")
    list_filter = ("action",)
    list_select_related = ("product", "acted_by", "approved_by")
    ordering = ("-occurred_at",)
