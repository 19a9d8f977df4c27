"""Django admin: reference tables (document types, industry codes) are editable; customers
and extension attributes are read-only here (every change goes through customers.services so
that it is validated and recorded)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from customers.models import (
    Address,
    ContactChannel,
    CorporateCustomer,
    Customer,
    CustomerChange,
    CustomerDocument,
    CustomerNumberCounter,
    CustomerRelationship,
    CustomerStatusChange,
    DocumentIdentity,
    DocumentType,
    ExtensionAttribute,
    ExtensionValue,
    IndustryCode,
    InternalCustomer,
    PersonalCustomer,
)


@admin.register(DocumentType)
class DocumentTypeAdmin(TranslationAdmin):
    list_display = ("code", "name", "holder_kind", "validator", "is_active")
    list_filter = ("holder_kind", "validator", "is_active")
    search_fields = ("code", "name")
    ordering = ("code",)


@admin.register(IndustryCode)
class IndustryCodeAdmin(TranslationAdmin):
    list_display = ("code", "name", "is_active")
    search_fields = ("code", "name")
    ordering = ("code",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Extension attributes change only through customers.services (extension_attribute_create,
# extension_attribute_set_active), which check codes, types and the values already stored.
@admin.register(ExtensionAttribute)
class ExtensionAttributeAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "label",
        "scope",
        "data_type",
        "is_required",
        "is_active",
        "display_order",
    )
    list_filter = ("scope", "data_type", "is_active")
    search_fields = ("code", "label")
    ordering = ("scope", "display_order", "code")


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("customer_no", "customer_type", "status", "home_branch", "created_at")
    list_filter = ("customer_type", "status")
    list_select_related = ("home_branch",)
    search_fields = ("customer_no",)
    ordering = ("-created_at",)


@admin.register(CustomerChange)
class CustomerChangeAdmin(ReadOnlyAdmin):
    list_display = ("customer", "action", "changed_by", "changed_at")
    list_filter = ("action",)
    list_select_related = ("customer", "changed_by")
    search_fields = ("customer__customer_no",)
    ordering = ("-changed_at",)


@admin.register(CustomerNumberCounter)
class CustomerNumberCounterAdmin(ReadOnlyAdmin):
    list_display = ("customer_type", "last_serial")
    ordering = ("customer_type",)


@admin.register(CustomerStatusChange)
class CustomerStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("customer", "from_status", "to_status", "state", "requested_by", "decided_by")
    list_filter = ("state",)
    ordering = ("-requested_at",)


@admin.register(DocumentIdentity)
class DocumentIdentityAdmin(ReadOnlyAdmin):
    list_display = ("identity_key", "customer")
    search_fields = ("identity_key",)
    ordering = ("identity_key",)


@admin.register(PersonalCustomer)
class PersonalCustomerAdmin(ReadOnlyAdmin):
    list_display = ("customer", "name", "vip_level", "is_employee", "is_domestic")
    list_filter = ("vip_level", "is_employee", "is_domestic")
    list_select_related = ("customer",)
    search_fields = ("name", "customer__customer_no")
    ordering = ("customer__customer_no",)


@admin.register(CorporateCustomer)
class CorporateCustomerAdmin(ReadOnlyAdmin):
    list_display = ("customer", "name", "industry", "economic_type", "is_interbank", "is_domestic")
    list_filter = ("is_interbank", "is_domestic", "economic_type")
    list_select_related = ("customer", "industry")
    search_fields = ("name", "customer__customer_no")
    ordering = ("customer__customer_no",)


@admin.register(InternalCustomer)
class InternalCustomerAdmin(ReadOnlyAdmin):
    list_display = ("customer", "name", "purpose")
    list_select_related = ("customer",)
    search_fields = ("name", "customer__customer_no")
    ordering = ("customer__customer_no",)


@admin.register(CustomerDocument)
class CustomerDocumentAdmin(ReadOnlyAdmin):
    list_display = ("customer", "document_type", "number", "expiry_date", "is_opening_document")
    list_filter = ("document_type", "is_opening_document")
    list_select_related = ("customer", "document_type")
    search_fields = ("number", "customer__customer_no")
    ordering = ("customer__customer_no", "pk")


@admin.register(ContactChannel)
class ContactChannelAdmin(ReadOnlyAdmin):
    list_display = ("customer", "kind", "value", "is_primary")
    list_select_related = ("customer",)
    search_fields = ("value", "customer__customer_no")
    ordering = ("customer__customer_no", "pk")


@admin.register(Address)
class AddressAdmin(ReadOnlyAdmin):
    list_display = ("customer", "kind", "line", "region_code")
    list_select_related = ("customer",)
    search_fields = ("line", "customer__customer_no")
    ordering = ("customer__customer_no", "pk")


@admin.register(CustomerRelationship)
class CustomerRelationshipAdmin(ReadOnlyAdmin):
    list_display = ("customer", "kind", "related_customer", "start_date")
    list_select_related = ("customer", "related_customer")
    search_fields = ("customer__customer_no", "related_customer__customer_no")
    ordering = ("customer__customer_no", "pk")


@admin.register(ExtensionValue)
class ExtensionValueAdmin(ReadOnlyAdmin):
    list_display = ("customer", "attribute", "value", "updated_at")
    list_select_related = ("customer", "attribute")
    search_fields = ("customer__customer_no", "attribute__code")
    ordering = ("customer__customer_no", "attribute__code")
