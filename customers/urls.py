"""Pages of the customers app, mounted under /customers/."""

from django.urls import path

from customers.views import classified, extension_attributes, pages, status_changes

app_name = "customers"
urlpatterns = [
    path("", pages.customer_search, name="search"),
    path("pick/", pages.customer_pick, name="pick"),
    # Before "<customer_no>/": a fixed path, not a customer number.
    path(
        "extension-attributes/",
        extension_attributes.extension_attributes,
        name="extension-attributes",
    ),
    path(
        "extension-attributes/<int:attribute_id>/active/",
        extension_attributes.extension_attribute_set_active,
        name="extension-attribute-active",
    ),
    path("new/<slug:customer_type>/", pages.customer_create, name="create"),
    path("<str:customer_no>/", pages.customer_detail, name="detail"),
    path("<str:customer_no>/edit/", pages.customer_edit, name="edit"),
    path("<str:customer_no>/documents/new/", pages.document_add, name="document-add"),
    path("<str:customer_no>/extensions/", pages.extensions_edit, name="extensions"),
    path("<str:customer_no>/contacts/new/", classified.contact_add, name="contact-add"),
    path(
        "<str:customer_no>/contacts/<int:row_id>/remove/",
        classified.contact_remove,
        name="contact-remove",
    ),
    path("<str:customer_no>/addresses/new/", classified.address_add, name="address-add"),
    path(
        "<str:customer_no>/addresses/<int:row_id>/remove/",
        classified.address_remove,
        name="address-remove",
    ),
    path(
        "<str:customer_no>/status-changes/new/",
        status_changes.status_change_request,
        name="status-change-request",
    ),
    path(
        "<str:customer_no>/status-changes/<int:change_id>/decide/",
        status_changes.status_change_decide,
        name="status-change-decide",
    ),
    path(
        "<str:customer_no>/relationships/new/", classified.relationship_add, name="relationship-add"
    ),
    path(
        "<str:customer_no>/relationships/<int:row_id>/remove/",
        classified.relationship_remove,
        name="relationship-remove",
    ),
]
