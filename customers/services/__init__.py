"""Writes of the customers app (its public write API). Every change to a customer goes through
here and leaves a `CustomerChange` row (who, when, what).

One module per concern: `creation` (personal, corporate, internal customers), `update`
(index and basic-info fields), `documents`, `contacts`, `addresses`, `relationships`,
`extensions` (the extended layer and its attribute definitions), `status_changes` (four eyes),
`numbers` (customer numbers), `reference` (shipped reference data) and `errors` (every
refusal, named). `_common` and `_resident_id` are private helpers. Import from this package,
not from its modules: the names below are the surface other code may use.

Time: every service that writes takes `now` (keyword) from its caller. When the caller leaves
it out, the service reads the clock once on entry (`_common.now_or_clock`) and that one instant
is what it records everywhere (`created_at`, `changed_at`, the dates derived from it); no other
clock call happens inside the package.
"""

from customers.services.addresses import AddressInput, address_add, address_remove
from customers.services.contacts import ContactInput, contact_channel_add, contact_channel_remove
from customers.services.creation import (
    corporate_customer_create,
    internal_customer_create,
    personal_customer_create,
)
from customers.services.documents import DocumentInput, document_add
from customers.services.errors import (
    ClassifiedRowNotFound,
    ContactAlreadyRecorded,
    CustomerFieldsInvalid,
    DocumentAlreadyRegistered,
    DocumentTypeNotAllowed,
    ExtensionAttributeAlreadyDefined,
    ExtensionAttributeNotFound,
    RelatedCustomerNotFound,
    RelationshipAlreadyRecorded,
    SecondPersonRequired,
    StatusChangeNeedsApproval,
    StatusChangeNotAllowed,
    StatusChangeNotFound,
    StatusChangePending,
    StatusChangeStateConflict,
)
from customers.services.extensions import (
    customer_extensions_set,
    extension_attribute_create,
    extension_attribute_set_active,
    extension_attributes_for,
)
from customers.services.reference import reference_data_ensure
from customers.services.relationships import (
    relationship_add,
    relationship_add_by_customer_no,
    relationship_remove,
)
from customers.services.status_changes import (
    status_change_approve,
    status_change_reject,
    status_change_request,
)
from customers.services.update import customer_update
from customers.validation import (
    ContactValueInvalid,
    CustomerNoInvalid,
    DocumentNumberInvalid,
    ExtensionValueInvalid,
    NameInvalid,
)

__all__ = [
    "AddressInput",
    "ClassifiedRowNotFound",
    "ContactAlreadyRecorded",
    "ContactInput",
    "ContactValueInvalid",
    "CustomerFieldsInvalid",
    "CustomerNoInvalid",
    "DocumentAlreadyRegistered",
    "DocumentInput",
    "DocumentNumberInvalid",
    "DocumentTypeNotAllowed",
    "ExtensionAttributeAlreadyDefined",
    "ExtensionAttributeNotFound",
    "ExtensionValueInvalid",
    "NameInvalid",
    "RelatedCustomerNotFound",
    "RelationshipAlreadyRecorded",
    "SecondPersonRequired",
    "StatusChangeNeedsApproval",
    "StatusChangeNotAllowed",
    "StatusChangeNotFound",
    "StatusChangePending",
    "StatusChangeStateConflict",
    "address_add",
    "address_remove",
    "contact_channel_add",
    "contact_channel_remove",
    "corporate_customer_create",
    "customer_extensions_set",
    "customer_update",
    "document_add",
    "extension_attribute_create",
    "extension_attribute_set_active",
    "extension_attributes_for",
    "internal_customer_create",
    "personal_customer_create",
    "reference_data_ensure",
    "relationship_add",
    "relationship_add_by_customer_no",
    "relationship_remove",
    "status_change_approve",
    "status_change_reject",
    "status_change_request",
]
