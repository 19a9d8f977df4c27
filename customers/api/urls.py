"""API of the customers app, mounted under /api/v1/customers/."""

from django.urls import path

from customers.api import views

urlpatterns = [
    path("", views.CustomerListView.as_view(), name="customers-api-list"),
    path(
        "personal/",
        views.PersonalCustomerCreateView.as_view(),
        name="customers-api-create-personal",
    ),
    path(
        "corporate/",
        views.CorporateCustomerCreateView.as_view(),
        name="customers-api-create-corporate",
    ),
    path("document-types/", views.DocumentTypesView.as_view(), name="customers-api-document-types"),
    path(
        "extension-attributes/",
        views.ExtensionAttributesView.as_view(),
        name="customers-api-extension-attributes",
    ),
    path("<str:customer_no>/", views.CustomerDetailView.as_view(), name="customers-api-detail"),
    path(
        "<str:customer_no>/documents/",
        views.CustomerDocumentsView.as_view(),
        name="customers-api-documents",
    ),
    path(
        "<str:customer_no>/extensions/",
        views.CustomerExtensionsView.as_view(),
        name="customers-api-extensions",
    ),
    path(
        "<str:customer_no>/contact-channels/",
        views.CustomerContactChannelsView.as_view(),
        name="customers-api-contact-channels",
    ),
    path(
        "<str:customer_no>/contact-channels/<int:row_id>/",
        views.CustomerContactChannelView.as_view(),
        name="customers-api-contact-channel",
    ),
    path(
        "<str:customer_no>/addresses/",
        views.CustomerAddressesView.as_view(),
        name="customers-api-addresses",
    ),
    path(
        "<str:customer_no>/addresses/<int:row_id>/",
        views.CustomerAddressView.as_view(),
        name="customers-api-address",
    ),
    path(
        "<str:customer_no>/status-changes/",
        views.CustomerStatusChangesView.as_view(),
        name="customers-api-status-changes",
    ),
    path(
        "<str:customer_no>/status-changes/<int:change_id>/approve/",
        views.CustomerStatusChangeApproveView.as_view(),
        name="customers-api-status-change-approve",
    ),
    path(
        "<str:customer_no>/status-changes/<int:change_id>/reject/",
        views.CustomerStatusChangeRejectView.as_view(),
        name="customers-api-status-change-reject",
    ),
    path(
        "<str:customer_no>/relationships/",
        views.CustomerRelationshipsView.as_view(),
        name="customers-api-relationships",
    ),
    path(
        "<str:customer_no>/relationships/<int:row_id>/",
        views.CustomerRelationshipView.as_view(),
        name="customers-api-relationship",
    ),
    path(
        "<str:customer_no>/history/",
        views.CustomerHistoryView.as_view(),
        name="customers-api-history",
    ),
]
