"""Customers API for integrators (and staff sessions). Each view makes one selector or service
call; errors are DomainErrors turned into the standard error body by the kernel handler.

One module per resource: `customers` (list, create, detail, history), `classified` (ID
documents, contact channels, addresses, relationships), `extensions`, `status_changes`;
`base` holds the per-method permission and the shared schema pieces."""

from customers.api.views.base import CustomersAPIView, HasMethodPermission
from customers.api.views.classified import (
    CustomerAddressesView,
    CustomerAddressView,
    CustomerContactChannelsView,
    CustomerContactChannelView,
    CustomerDocumentsView,
    CustomerRelationshipsView,
    CustomerRelationshipView,
    DocumentTypesView,
)
from customers.api.views.customers import (
    CorporateCustomerCreateView,
    CustomerDetailView,
    CustomerHistoryView,
    CustomerListView,
    PersonalCustomerCreateView,
)
from customers.api.views.extensions import CustomerExtensionsView, ExtensionAttributesView
from customers.api.views.status_changes import (
    CustomerStatusChangeApproveView,
    CustomerStatusChangeRejectView,
    CustomerStatusChangesView,
)

__all__ = [
    "CorporateCustomerCreateView",
    "CustomerAddressView",
    "CustomerAddressesView",
    "CustomerContactChannelView",
    "CustomerContactChannelsView",
    "CustomerDetailView",
    "CustomerDocumentsView",
    "CustomerExtensionsView",
    "CustomerHistoryView",
    "CustomerListView",
    "CustomerRelationshipView",
    "CustomerRelationshipsView",
    "CustomerStatusChangeApproveView",
    "CustomerStatusChangeRejectView",
    "CustomerStatusChangesView",
    "CustomersAPIView",
    "DocumentTypesView",
    "ExtensionAttributesView",
    "HasMethodPermission",
    "PersonalCustomerCreateView",
]
