"""The customers services' exceptions: each names one refusal, with its API code and HTTP
status (the kernel turns them into the error body, pages into form errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from bankcore.errors import Conflict, DomainError, NotFound


class DocumentAlreadyRegistered(Conflict):
    code = "document_already_registered"
    default_message = gettext_lazy("This ID document already belongs to a customer.")


class DocumentTypeNotAllowed(DomainError):
    code = "document_type_not_allowed"
    default_message = gettext_lazy("This document type cannot be used here.")


class CustomerFieldsInvalid(DomainError):
    code = "customer_invalid"
    default_message = gettext_lazy("Some customer fields are invalid.")


class ContactAlreadyRecorded(Conflict):
    code = "contact_already_recorded"
    default_message = gettext_lazy("The customer already has this contact channel.")


class RelationshipAlreadyRecorded(Conflict):
    code = "relationship_already_recorded"
    default_message = gettext_lazy("This relationship is already recorded.")


class RelatedCustomerNotFound(DomainError):
    """The other side of a relationship does not exist (or lies outside the user's branch):
    a 400 on the input field, not a 404 of the URL's customer."""

    code = "related_customer_not_found"
    default_message = gettext_lazy("No customer has this customer number.")


class StatusChangeNeedsApproval(DomainError):
    code = "status_change_needs_approval"
    default_message = gettext_lazy(
        "A status change needs a second person: request it, and a branch supervisor approves it."
    )


class StatusChangePending(Conflict):
    code = "status_change_pending"
    default_message = gettext_lazy("A status change of this customer is already waiting.")


class StatusChangeStateConflict(Conflict):
    code = "status_change_not_pending"
    default_message = gettext_lazy("This status change has already been decided.")


class StatusChangeNotFound(NotFound):
    code = "not_found"
    default_message = gettext_lazy("The customer has no such status change.")


class SecondPersonRequired(DomainError):
    code = "second_person_required"
    http_status = 403
    default_message = gettext_lazy(
        "You requested this status change; a different supervisor decides it."
    )


class StatusChangeNotAllowed(DomainError):
    code = "permission_denied"
    http_status = 403
    default_message = gettext_lazy(
        "Only a branch supervisor of the customer's branch decides status changes."
    )


class ClassifiedRowNotFound(NotFound):
    code = "not_found"
    default_message = gettext_lazy("The customer has no such entry.")


class ExtensionAttributeAlreadyDefined(Conflict):
    code = "extension_attribute_already_defined"
    default_message = gettext_lazy("An extension attribute with this code exists.")


class ExtensionAttributeNotFound(NotFound):
    code = "not_found"
    default_message = gettext_lazy("No such extension attribute.")
