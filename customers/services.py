"""Writes of the customers app. Every change to a customer goes through here and leaves a
`CustomerChange` row (who, when, what)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.catalogues import translations
from bankcore.errors import Conflict, DomainError, NotFound
from bankcore.models import OrgUnit
from bankcore.scoping import user_can_see_unit
from customers.models import (
    Address,
    AddressKind,
    ContactChannel,
    ContactChannelKind,
    CorporateCustomer,
    Customer,
    CustomerChange,
    CustomerChangeAction,
    CustomerDocument,
    CustomerNumberCounter,
    CustomerRelationship,
    CustomerStatus,
    CustomerStatusChange,
    CustomerType,
    DocumentHolderKind,
    DocumentIdentity,
    DocumentType,
    ExtensionAttribute,
    ExtensionScope,
    ExtensionValue,
    Gender,
    IndustryCode,
    InternalCustomer,
    PersonalCustomer,
    RelationshipKind,
    StatusChangeState,
    customer_no_compose,
)
from customers.reference_data import (
    DOCUMENT_TYPE_NAMES_ZH,
    DOCUMENT_TYPES,
    INDUSTRIES,
    INDUSTRY_NAMES_ZH,
)
from customers.validation import (
    ContactValueInvalid,
    CustomerNoInvalid,
    DocumentNumberInvalid,
    ExtensionValueInvalid,
    NameInvalid,
    contact_value_normalise,
    customer_no_check,
    document_identity_key,
    document_number_normalise,
    extension_value_clean,
    name_check,
    resident_id_birth_date,
    resident_id_gender,
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


@dataclass(frozen=True, slots=True)
class DocumentInput:
    document_type_code: str
    number: str
    expiry_date: dt.date | None = None  # None = long-term
    issue_date: dt.date | None = None
    issuing_authority: str = ""


@dataclass(frozen=True, slots=True)
class ContactInput:
    kind: str
    value: str
    is_primary: bool = False


@dataclass(frozen=True, slots=True)
class AddressInput:
    kind: str
    line: str
    region_code: str = ""
    postal_code: str = ""
    country: str = "CHN"


# --- Reference data -----------------------------------------------------------------------------


def reference_data_ensure() -> None:
    """Put the shipped document types, industries and number counters in place (idempotent).

    The data migration seeds them; this puts them back after a test flush and in seed_demo."""
    for code, name, holder_kind, validator in DOCUMENT_TYPES:
        DocumentType.objects.get_or_create(
            code=code,
            defaults={
                **translations(DocumentType, "name", name, DOCUMENT_TYPE_NAMES_ZH[code]),
                "holder_kind": holder_kind,
                "validator": validator,
            },
        )
    for code, name in INDUSTRIES:
        IndustryCode.objects.get_or_create(
            code=code, defaults=translations(IndustryCode, "name", name, INDUSTRY_NAMES_ZH[code])
        )
    for customer_type in CustomerType.values:
        CustomerNumberCounter.objects.get_or_create(customer_type=customer_type)


# --- Customer numbers ---------------------------------------------------------------------------


def _customer_no_next(*, customer_type: str) -> str:
    """The next customer number of this type. Must run inside the creating transaction: the
    UPDATE locks the counter row until commit, so concurrent creations queue on it."""
    counter = CustomerNumberCounter.objects.filter(customer_type=customer_type)
    if not counter.update(last_serial=F("last_serial") + 1):
        try:
            with transaction.atomic():
                CustomerNumberCounter.objects.create(customer_type=customer_type)
        except IntegrityError:
            pass  # another transaction created it first
        counter.update(last_serial=F("last_serial") + 1)
    serial = counter.values_list("last_serial", flat=True).get()
    return customer_no_compose(customer_type=customer_type, serial=serial)


# --- Helpers ------------------------------------------------------------------------------------


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _change_record(
    *, customer: Customer, action: str, changed_by, now: dt.datetime, changes: Mapping[str, Any]
) -> CustomerChange:
    return CustomerChange.objects.create(
        customer=customer,
        action=action,
        changed_by=changed_by if getattr(changed_by, "pk", None) else None,
        changed_at=now,
        changes={key: [_jsonable(old), _jsonable(new)] for key, (old, new) in changes.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, OrgUnit):
        return value.code
    if isinstance(value, IndustryCode):
        return value.code
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def _full_clean(instance, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except DjangoValidationError as exc:
        fields = {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
        raise CustomerFieldsInvalid(fields=fields) from None


def _document_type(code: str, *, field: str = "document_type") -> DocumentType:
    document_type = DocumentType.objects.filter(code=code, is_active=True).first()
    if document_type is None:
        message = _("Unknown document type.")
        raise DocumentTypeNotAllowed(message, fields={field: [message]})
    return document_type


def _document_build(
    *, customer: Customer, document: DocumentInput, is_opening: bool, now: dt.datetime
) -> CustomerDocument:
    document_type = _document_type(document.document_type_code)
    if document_type.holder_kind not in (DocumentHolderKind.ANY, customer.customer_type):
        message = _("A %(type)s customer cannot hold this document type.") % {
            "type": customer.get_customer_type_display()
        }
        raise DocumentTypeNotAllowed(message, fields={"document_type": [message]})
    number = document_number_normalise(
        validator=document_type.validator, number=document.number, today=timezone.localdate(now)
    )
    row = CustomerDocument(
        customer=customer,
        document_type=document_type,
        number=number,
        issuing_authority=document.issuing_authority,
        issue_date=document.issue_date,
        expiry_date=document.expiry_date,
        is_opening_document=is_opening,
        created_at=now,
    )
    _full_clean(row, exclude=["customer"])
    if row.issue_date and row.expiry_date and row.expiry_date < row.issue_date:
        message = _("The expiry date is before the issue date.")
        raise CustomerFieldsInvalid(message, fields={"expiry_date": [message]})
    return row


def _document_save(row: CustomerDocument) -> CustomerDocument:
    """Insert, turning a number already registered into a 409 even under a race: the unique
    (type, number) constraint, and the identity key (a resident ID number is one identity
    whatever document type carries it, so it cannot open a second customer under another
    type; the same customer may register it on several documents)."""
    key = document_identity_key(
        validator=row.document_type.validator,
        document_type_code=row.document_type.code,
        number=row.number,
    )
    holder = (
        DocumentIdentity.objects.filter(identity_key=key)
        .values_list("customer_id", flat=True)
        .first()
    )
    taken = CustomerDocument.objects.filter(
        document_type=row.document_type, number=row.number
    ).exists()
    if not taken and holder in (None, row.customer_id):
        try:
            with transaction.atomic():
                if holder is None:
                    DocumentIdentity.objects.create(identity_key=key, customer=row.customer)
                row.save()
                return row
        except IntegrityError:
            pass
    if not taken and key.startswith("RID:"):
        message = _(
            "This resident ID number (%(number)s) is already registered to another customer."
        ) % {"number": row.number}
    else:
        message = _("This %(type)s (%(number)s) is already registered to another customer.") % {
            "type": row.document_type.name,
            "number": row.number,
        }
    raise DocumentAlreadyRegistered(message, fields={"number": [message]})


_UNKNOWN_GENDERS = ("", "0", "9")


def _resident_id_agreement(
    *, number: str, birth_date: dt.date | None, gender: str | None, field_prefix: str = ""
) -> dict[str, Any]:
    """The birth date and gender a resident ID number carries, where the person's entered
    ones are missing (None, unknown, not stated). Entered values that disagree with the
    number are refused, each on its field."""
    embedded_birth, embedded_gender = resident_id_birth_date(number), resident_id_gender(number)
    errors: dict[str, list[str]] = {}
    if birth_date is not None and birth_date != embedded_birth:
        errors[f"{field_prefix}birth_date"] = [
            _("The resident ID number gives the birth date %(date)s.")
            % {"date": embedded_birth.isoformat()}
        ]
    if (gender or "") not in _UNKNOWN_GENDERS and gender != embedded_gender:
        errors[f"{field_prefix}gender"] = [
            _("The resident ID number gives the gender %(gender)s.")
            % {"gender": Gender(embedded_gender).label}
        ]
    if errors:
        raise CustomerFieldsInvalid(
            _("The birth date or gender does not agree with the resident ID number."),
            fields=errors,
        )
    return {"birth_date": embedded_birth, "gender": embedded_gender}


def _customer_index_create(
    *, customer_type: str, home_branch: OrgUnit, status: str, now: dt.datetime
) -> Customer:
    if status not in CustomerStatus.values:
        raise CustomerFieldsInvalid(fields={"status": [_("Unknown status.")]})
    return Customer.objects.create(
        customer_no=_customer_no_next(customer_type=customer_type),
        customer_type=customer_type,
        status=status,
        home_branch=home_branch,
        created_at=now,
        updated_at=now,
    )


def _classified_add(
    *,
    customer: Customer,
    contact_channels: Iterable[ContactInput],
    addresses: Iterable[AddressInput],
) -> None:
    for contact in contact_channels:
        _contact_save(customer=customer, contact=contact)
    for address in addresses:
        _address_save(customer=customer, address=address)


def _address_save(*, customer: Customer, address: AddressInput) -> Address:
    row = Address(
        customer=customer,
        kind=address.kind,
        line=address.line.strip(),
        region_code=address.region_code.strip(),
        postal_code=address.postal_code.strip(),
        country=address.country.strip().upper(),
    )
    _full_clean(row, exclude=["customer"])
    if row.country == "CHN" and row.postal_code and not re.fullmatch(r"[0-9]{6}", row.postal_code):
        message = _("A mainland postal code has 6 digits.")
        raise CustomerFieldsInvalid(message, fields={"postal_code": [message]})
    row.save()
    return row


def _contact_save(*, customer: Customer, contact: ContactInput) -> ContactChannel:
    """Validate and insert one contact channel; a new primary one demotes the old primary of
    its kind. A duplicate (same kind and value) is a 409, also under a race."""
    if contact.kind not in ContactChannelKind.values:
        message = _("Unknown contact channel kind.")
        raise CustomerFieldsInvalid(message, fields={"kind": [message]})
    row = ContactChannel(
        customer=customer,
        kind=contact.kind,
        value=contact_value_normalise(kind=contact.kind, value=contact.value),
        is_primary=contact.is_primary,
    )
    _full_clean(row, exclude=["customer"])
    if row.is_primary:
        customer.contact_channels.filter(kind=row.kind, is_primary=True).update(is_primary=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        message = _("The customer already has this %(kind)s.") % {
            "kind": row.get_kind_display().lower()
        }
        raise ContactAlreadyRecorded(message, fields={"value": [message]}) from None
    return row


def _creation_changes(customer: Customer, basic, opening: CustomerDocument) -> dict:
    changes: dict[str, tuple[Any, Any]] = {
        "customer_no": (None, customer.customer_no),
        "customer_type": (None, customer.customer_type),
        "status": (None, customer.status),
        "home_branch": (None, customer.home_branch.code),
    }
    for field in basic._meta.concrete_fields:
        if field.name != "customer":
            changes[field.name] = (None, getattr(basic, field.attname))
    if opening is not None:
        changes["opening_document"] = (None, f"{opening.document_type.code}:{opening.number}")
    return changes


def _customer_create(
    *,
    customer_type: str,
    basic_model,
    basic_fields: dict[str, Any],
    home_branch: OrgUnit,
    opening_document: DocumentInput | None,
    created_by,
    now: dt.datetime | None,
    status: str,
    contact_channels: Iterable[ContactInput],
    addresses: Iterable[AddressInput],
    extensions: Mapping[str, Any] | None,
) -> Customer:
    now = _now(now)
    name_check(basic_fields["name"])
    with transaction.atomic():
        customer = _customer_index_create(
            customer_type=customer_type, home_branch=home_branch, status=status, now=now
        )
        opening = None
        if opening_document is not None:
            opening = _document_build(
                customer=customer, document=opening_document, is_opening=True, now=now
            )
            if (
                customer_type == CustomerType.PERSONAL
                and opening.document_type.validator == "resident_id"
            ):
                basic_fields.update(
                    _resident_id_agreement(
                        number=opening.number,
                        birth_date=basic_fields.get("birth_date"),
                        gender=basic_fields.get("gender"),
                    )
                )
        basic = basic_model(customer=customer, **basic_fields)
        _full_clean(basic, exclude=["customer"])
        basic.save()
        setattr(customer, customer_type, basic)
        if opening is not None:
            _document_save(opening)
        _classified_add(customer=customer, contact_channels=contact_channels, addresses=addresses)
        _extensions_write(customer=customer, values=extensions or {}, now=now, creating=True)
        _change_record(
            customer=customer,
            action=CustomerChangeAction.CREATED,
            changed_by=created_by,
            now=now,
            changes=_creation_changes(customer, basic, opening),
        )
    return customer


# --- Creation -----------------------------------------------------------------------------------


def personal_customer_create(
    *,
    name: str,
    home_branch: OrgUnit,
    opening_document: DocumentInput,
    created_by,
    now: dt.datetime | None = None,
    vip_level: int = 0,
    is_domestic: bool = True,
    is_employee: bool = False,
    gender: str = "9",
    birth_date: dt.date | None = None,
    nationality: str = "CHN",
    status: str = CustomerStatus.ACTIVE,
    contact_channels: Iterable[ContactInput] = (),
    addresses: Iterable[AddressInput] = (),
    extensions: Mapping[str, Any] | None = None,
) -> Customer:
    """Create a personal customer with its account-opening document, in one transaction.

    Raises DocumentNumberInvalid (400, field `number`), DocumentTypeNotAllowed (400),
    DocumentAlreadyRegistered (409), CustomerFieldsInvalid (400), ExtensionValueInvalid (400).
    With a resident ID number the birth date and gender are the ones it carries: taken from
    it when not given (gender unknown or not stated), refused on their field when they
    disagree. Names refuse control and format characters (NameInvalid, 400 on `name`)."""
    return _customer_create(
        customer_type=CustomerType.PERSONAL,
        basic_model=PersonalCustomer,
        basic_fields={
            "name": name.strip(),
            "vip_level": vip_level,
            "is_domestic": is_domestic,
            "is_employee": is_employee,
            "gender": gender,
            "birth_date": birth_date,
            "nationality": nationality,
        },
        home_branch=home_branch,
        opening_document=opening_document,
        created_by=created_by,
        now=now,
        status=status,
        contact_channels=contact_channels,
        addresses=addresses,
        extensions=extensions,
    )


def corporate_customer_create(
    *,
    name: str,
    home_branch: OrgUnit,
    opening_document: DocumentInput,
    industry_code: str,
    economic_type: str,
    registration_region_code: str,
    created_by,
    now: dt.datetime | None = None,
    is_interbank: bool = False,
    is_domestic: bool = True,
    status: str = CustomerStatus.ACTIVE,
    contact_channels: Iterable[ContactInput] = (),
    addresses: Iterable[AddressInput] = (),
    extensions: Mapping[str, Any] | None = None,
) -> Customer:
    """Create a corporate customer with its account-opening document (e.g. its USCC
    certificate), in one transaction. Raises as `personal_customer_create`."""
    return _customer_create(
        customer_type=CustomerType.CORPORATE,
        basic_model=CorporateCustomer,
        basic_fields={
            "name": name.strip(),
            "industry": _industry(industry_code),
            "economic_type": economic_type,
            "registration_region_code": registration_region_code,
            "is_interbank": is_interbank,
            "is_domestic": is_domestic,
        },
        home_branch=home_branch,
        opening_document=opening_document,
        created_by=created_by,
        now=now,
        status=status,
        contact_channels=contact_channels,
        addresses=addresses,
        extensions=extensions,
    )


def internal_customer_create(
    *,
    name: str,
    home_branch: OrgUnit,
    created_by,
    now: dt.datetime | None = None,
    purpose: str = "",
    status: str = CustomerStatus.ACTIVE,
) -> Customer:
    """Create an internal customer (the bank's own books; no ID document)."""
    return _customer_create(
        customer_type=CustomerType.INTERNAL,
        basic_model=InternalCustomer,
        basic_fields={"name": name.strip(), "purpose": purpose},
        home_branch=home_branch,
        opening_document=None,
        created_by=created_by,
        now=now,
        status=status,
        contact_channels=(),
        addresses=(),
        extensions=None,
    )


def _industry(code: str) -> IndustryCode:
    industry = IndustryCode.objects.filter(code=code, is_active=True).first()
    if industry is None:
        message = _("Unknown industry code (GB/T 4754).")
        raise CustomerFieldsInvalid(message, fields={"industry_code": [message]})
    return industry


# --- Update -------------------------------------------------------------------------------------

INDEX_FIELDS = ("status", "home_branch")
BASIC_FIELDS = {
    CustomerType.PERSONAL: (
        "name",
        "vip_level",
        "is_domestic",
        "is_employee",
        "gender",
        "birth_date",
        "nationality",
    ),
    CustomerType.CORPORATE: (
        "name",
        "industry_code",
        "economic_type",
        "registration_region_code",
        "is_interbank",
        "is_domestic",
    ),
    CustomerType.INTERNAL: ("name", "purpose"),
}


def customer_update(
    *, customer: Customer, changes: Mapping[str, Any], changed_by, now: dt.datetime | None = None
) -> Customer:
    """Change index and basic-info fields of a customer. `changes` holds only the fields to
    change (`home_branch` an OrgUnit, `industry_code` a code). Fields that the customer's
    type does not have are refused (400 naming them). A different status is refused
    (StatusChangeNeedsApproval, 400 on `status`): it goes through `status_change_request`
    and a supervisor's approval. Records what changed."""
    now = _now(now)
    allowed = set(INDEX_FIELDS) | set(BASIC_FIELDS[customer.customer_type])
    unknown = sorted(set(changes) - allowed)
    if unknown:
        message = _("Not a field of a %(type)s customer.") % {
            "type": customer.get_customer_type_display()
        }
        raise CustomerFieldsInvalid(message, fields={name: [message] for name in unknown})
    with transaction.atomic():
        locked = (
            Customer.objects.with_basic_info().select_for_update(of=("self",)).get(pk=customer.pk)
        )
        basic = locked.basic
        diff: dict[str, tuple[Any, Any]] = {}
        for name, value in changes.items():
            if name == "status":
                if value == locked.status:
                    continue
                message = str(StatusChangeNeedsApproval.default_message)
                raise StatusChangeNeedsApproval(message, fields={"status": [message]})
            if name == "home_branch":
                target, attr = locked, "home_branch"
            elif name == "industry_code":
                target, attr, value = basic, "industry", _industry(value)
            else:
                target, attr = basic, name
                if isinstance(value, str):
                    value = value.strip()
                if name == "name":
                    name_check(value)
            old = getattr(target, attr)
            if old != value:
                setattr(target, attr, value)
                diff[name] = (old, value)
        if diff and {"birth_date", "gender"} & set(diff):
            _resident_id_fields_check(customer=locked, basic=basic, changed=set(diff))
        if diff:
            _full_clean(basic, exclude=["customer"])
            basic.save()
            locked.updated_at = now
            locked.save(update_fields=["status", "home_branch", "updated_at"])
            _change_record(
                customer=locked,
                action=CustomerChangeAction.UPDATED,
                changed_by=changed_by,
                now=now,
                changes=diff,
            )
    return locked


def _resident_id_fields_check(*, customer: Customer, basic, changed: set[str]) -> None:
    """A person holding a resident ID document has the birth date and gender its number
    carries: an update to others is refused on the field."""
    numbers = customer.documents.filter(document_type__validator="resident_id").values_list(
        "number", flat=True
    )
    for number in numbers:
        errors: dict[str, list[str]] = {}
        embedded_birth, embedded_gender = resident_id_birth_date(number), resident_id_gender(number)
        if "birth_date" in changed and basic.birth_date != embedded_birth:
            errors["birth_date"] = [
                _("The resident ID number gives the birth date %(date)s.")
                % {"date": embedded_birth.isoformat()}
            ]
        if "gender" in changed and basic.gender != embedded_gender:
            errors["gender"] = [
                _("The resident ID number gives the gender %(gender)s.")
                % {"gender": Gender(embedded_gender).label}
            ]
        if errors:
            raise CustomerFieldsInvalid(
                _("The birth date or gender does not agree with the resident ID number."),
                fields=errors,
            )


# --- Classified modules -------------------------------------------------------------------------


def document_add(
    *,
    customer: Customer,
    document: DocumentInput,
    added_by,
    now: dt.datetime | None = None,
    make_opening_document: bool = False,
) -> CustomerDocument:
    """Register another ID document for the customer (optionally as the new account-opening
    document, which clears the flag on the old one). Raises as `personal_customer_create`."""
    now = _now(now)
    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        row = _document_build(
            customer=customer, document=document, is_opening=make_opening_document, now=now
        )
        if (
            customer.customer_type == CustomerType.PERSONAL
            and row.document_type.validator == "resident_id"
        ):
            _document_agrees_with_person(customer=customer, number=row.number)
        if make_opening_document:
            customer.documents.filter(is_opening_document=True).update(is_opening_document=False)
        _document_save(row)
        _change_record(
            customer=customer,
            action=CustomerChangeAction.DOCUMENT_ADDED,
            changed_by=added_by,
            now=now,
            changes={
                "document": (None, f"{row.document_type.code}:{row.number}"),
                "expiry_date": (None, row.expiry_date),
                "is_opening_document": (None, row.is_opening_document),
            },
        )
    return row


def _document_agrees_with_person(*, customer: Customer, number: str) -> None:
    person = PersonalCustomer.objects.filter(customer=customer).first()
    try:
        _resident_id_agreement(
            number=number,
            birth_date=person.birth_date if person else None,
            gender=person.gender if person else None,
        )
    except CustomerFieldsInvalid as exc:
        message = _(
            "This resident ID number does not agree with the customer's recorded birth date "
            "or gender: %(details)s"
        ) % {"details": " ".join(m for messages in exc.fields.values() for m in messages)}
        raise CustomerFieldsInvalid(message, fields={"number": [message]}) from None


def _customer_lock(customer: Customer) -> None:
    """Serialise writes to one customer's classified modules (row lock until commit)."""
    Customer.objects.select_for_update().filter(pk=customer.pk).first()


def contact_channel_add(
    *, customer: Customer, contact: ContactInput, added_by, now: dt.datetime | None = None
) -> ContactChannel:
    """Add a phone number or email address. The value is checked and normalised for its
    kind (ContactValueInvalid, 400 on `value`); a duplicate is ContactAlreadyRecorded (409);
    a primary one replaces the customer's previous primary of that kind."""
    now = _now(now)
    with transaction.atomic():
        _customer_lock(customer)
        row = _contact_save(customer=customer, contact=contact)
        _change_record(
            customer=customer,
            action=CustomerChangeAction.CONTACT_ADDED,
            changed_by=added_by,
            now=now,
            changes={row.kind: (None, row.value)},
        )
    return row


def contact_channel_remove(
    *, customer: Customer, contact_channel_id: int, removed_by, now: dt.datetime | None = None
) -> None:
    """Remove one of the customer's contact channels (ClassifiedRowNotFound, 404, if it is
    not one of this customer's)."""
    now = _now(now)
    with transaction.atomic():
        _customer_lock(customer)
        row = _classified_row(customer.contact_channels, contact_channel_id)
        row.delete()
        _change_record(
            customer=customer,
            action=CustomerChangeAction.CONTACT_REMOVED,
            changed_by=removed_by,
            now=now,
            changes={row.kind: (row.value, None)},
        )


def _classified_row(rows, row_id: int):
    row = rows.select_for_update().filter(pk=row_id).first() if row_id else None
    if row is None:
        raise ClassifiedRowNotFound()
    return row


def address_add(
    *, customer: Customer, address: AddressInput, added_by, now: dt.datetime | None = None
) -> Address:
    """Add a postal address (kind, country ISO 3166 alpha-3, GB/T 2260 region code)."""
    now = _now(now)
    if address.kind not in AddressKind.values:
        message = _("Unknown address kind.")
        raise CustomerFieldsInvalid(message, fields={"kind": [message]})
    with transaction.atomic():
        _customer_lock(customer)
        row = _address_save(customer=customer, address=address)
        _change_record(
            customer=customer,
            action=CustomerChangeAction.ADDRESS_ADDED,
            changed_by=added_by,
            now=now,
            changes={row.kind: (None, row.line)},
        )
    return row


def address_remove(
    *, customer: Customer, address_id: int, removed_by, now: dt.datetime | None = None
) -> None:
    """Remove one of the customer's addresses (ClassifiedRowNotFound, 404, if not theirs)."""
    now = _now(now)
    with transaction.atomic():
        _customer_lock(customer)
        row = _classified_row(customer.addresses, address_id)
        row.delete()
        _change_record(
            customer=customer,
            action=CustomerChangeAction.ADDRESS_REMOVED,
            changed_by=removed_by,
            now=now,
            changes={row.kind: (row.line, None)},
        )


def relationship_add(
    *,
    customer: Customer,
    related_customer: Customer,
    kind: str,
    added_by,
    now: dt.datetime | None = None,
    start_date: dt.date | None = None,
) -> CustomerRelationship:
    """Record that `related_customer` is the `kind` (legal representative, guarantor, …) of
    `customer`. The two must differ (400 on `related_customer_no`); the same relationship
    twice is RelationshipAlreadyRecorded (409), also under a race."""
    now = _now(now)
    if customer.pk == related_customer.pk:
        message = _("A customer cannot be related to itself.")
        raise CustomerFieldsInvalid(message, fields={"related_customer_no": [message]})
    if kind not in RelationshipKind.values:
        message = _("Unknown relationship kind.")
        raise CustomerFieldsInvalid(message, fields={"kind": [message]})
    row = CustomerRelationship(
        customer=customer, related_customer=related_customer, kind=kind, start_date=start_date
    )
    _full_clean(row, exclude=["customer", "related_customer"])
    with transaction.atomic():
        _customer_lock(customer)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            message = _("%(name)s is already recorded as %(kind)s of this customer.") % {
                "name": related_customer.name or related_customer.customer_no,
                "kind": row.get_kind_display().lower(),
            }
            raise RelationshipAlreadyRecorded(
                message, fields={"related_customer_no": [message]}
            ) from None
        _change_record(
            customer=customer,
            action=CustomerChangeAction.RELATIONSHIP_ADDED,
            changed_by=added_by,
            now=now,
            changes={kind: (None, related_customer.customer_no)},
        )
    return row


def relationship_add_by_customer_no(
    *,
    customer: Customer,
    related_customer_no: str,
    kind: str,
    added_by,
    now: dt.datetime | None = None,
    start_date: dt.date | None = None,
) -> CustomerRelationship:
    """`relationship_add` with the other customer given by number, as staff and integrators
    type it. The number's check digit is verified first (CustomerNoInvalid); a customer that
    does not exist, or that `added_by` may not see (outside their branch subtree), is
    RelatedCustomerNotFound (400 on `related_customer_no`): no existence leak."""
    field = "related_customer_no"
    number = customer_no_check(related_customer_no, field=field)
    related = Customer.objects.with_basic_info().filter(customer_no=number).first()
    if related is None or (
        getattr(added_by, "pk", None) and not user_can_see_unit(added_by, related.home_branch)
    ):
        message = _("No customer with this number in your branch.")
        raise RelatedCustomerNotFound(message, fields={field: [message]})
    return relationship_add(
        customer=customer,
        related_customer=related,
        kind=kind,
        added_by=added_by,
        now=now,
        start_date=start_date,
    )


def relationship_remove(
    *, customer: Customer, relationship_id: int, removed_by, now: dt.datetime | None = None
) -> None:
    """End a relationship of the customer (ClassifiedRowNotFound, 404, if not theirs)."""
    now = _now(now)
    with transaction.atomic():
        _customer_lock(customer)
        row = _classified_row(
            customer.relationships.select_related("related_customer"), relationship_id
        )
        row.delete()
        _change_record(
            customer=customer,
            action=CustomerChangeAction.RELATIONSHIP_REMOVED,
            changed_by=removed_by,
            now=now,
            changes={row.kind: (row.related_customer.customer_no, None)},
        )


# --- Extended layer -----------------------------------------------------------------------------


def extension_attributes_for(customer_type: str) -> list[ExtensionAttribute]:
    """Active attributes that apply to customers of this type (type-scoped and module-scoped)."""
    module_scopes = [s for s in ExtensionScope.values if s not in CustomerType.values]
    return list(
        ExtensionAttribute.objects.filter(
            is_active=True, scope__in=[customer_type, *module_scopes]
        ).order_by("display_order", "code")
    )


def _extensions_write(
    *, customer: Customer, values: Mapping[str, Any], now: dt.datetime, creating: bool
) -> dict[str, tuple[Any, Any]]:
    attributes = {a.code: a for a in extension_attributes_for(customer.customer_type)}
    unknown = sorted(set(values) - set(attributes))
    if unknown:
        message = _("No such extension attribute for this customer.")
        raise ExtensionValueInvalid(message, fields={code: [message] for code in unknown})
    existing = {v.attribute.code: v for v in customer.extension_values.select_related("attribute")}
    diff: dict[str, tuple[Any, Any]] = {}
    for code, raw in values.items():
        attribute = attributes[code]
        current = existing.get(code)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if attribute.is_required:
                message = _("This attribute is required.")
                raise ExtensionValueInvalid(
                    f"{attribute.label}: {message}", fields={code: [message]}
                )
            if current is not None:
                current.delete()
                diff[code] = (current.value, None)
            continue
        clean = extension_value_clean(attribute, raw)
        if current is None:
            ExtensionValue.objects.create(
                customer=customer, attribute=attribute, value=clean, updated_at=now
            )
            diff[code] = (None, clean)
        elif current.value != clean:
            diff[code] = (current.value, clean)
            current.value = clean
            current.updated_at = now
            current.save(update_fields=["value", "updated_at"])
    if creating:
        missing = [
            code
            for code, a in attributes.items()
            if a.is_required and code not in values and code not in existing
        ]
        if missing:
            message = _("This attribute is required.")
            raise ExtensionValueInvalid(
                _("Required extension attributes are missing."),
                fields={code: [message] for code in missing},
            )
    return diff


def customer_extensions_set(
    *, customer: Customer, values: Mapping[str, Any], changed_by, now: dt.datetime | None = None
) -> dict[str, tuple[Any, Any]]:
    """Set (or, with None / "", clear) extension values by attribute code; each value is
    validated against its attribute's definition (ExtensionValueInvalid names the code).
    Returns what changed."""
    now = _now(now)
    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        diff = _extensions_write(customer=customer, values=values, now=now, creating=False)
        if diff:
            _change_record(
                customer=customer,
                action=CustomerChangeAction.EXTENSIONS_UPDATED,
                changed_by=changed_by,
                now=now,
                changes=diff,
            )
    return diff


def _bound_is_valid(data_type: str, value: str) -> bool:
    try:
        if data_type == "date":
            dt.date.fromisoformat(value)
        elif data_type in ("text", "integer"):
            int(value)
        elif data_type == "decimal":
            Decimal(value)
        else:
            return False  # booleans and choices have no bounds
    except (ValueError, InvalidOperation):
        return False
    return True


def extension_attribute_create(
    *,
    scope: str,
    code: str,
    label: str,
    data_type: str,
    is_required: bool = False,
    min_value: str = "",
    max_value: str = "",
    choices: list[str] | None = None,
    display_order: int = 100,
    label_zh_hans: str = "",
) -> ExtensionAttribute:
    """Define a new extension attribute (administrators; no migration needed). `label` is in
    English, `label_zh_hans` in Chinese."""
    attribute = ExtensionAttribute(
        scope=scope,
        code=code,
        **translations(ExtensionAttribute, "label", label, label_zh_hans),
        data_type=data_type,
        is_required=is_required,
        min_value=min_value,
        max_value=max_value,
        choices=list(choices or []),
        display_order=display_order,
    )
    _full_clean(attribute)
    if data_type == "choice" and not attribute.choices:
        raise CustomerFieldsInvalid(fields={"choices": [_("A choice attribute needs choices.")]})
    for bound in ("min_value", "max_value"):
        value = getattr(attribute, bound)
        if value and not _bound_is_valid(data_type, value):
            raise CustomerFieldsInvalid(
                fields={bound: [_("Not a valid bound for this data type.")]}
            )
    if ExtensionAttribute.objects.filter(code=code).exists():
        raise Conflict(
            _("An extension attribute with this code exists."),
            fields={"code": [_("An extension attribute with this code exists.")]},
        )
    attribute.save()
    return attribute


def extension_attribute_set_active(*, attribute_id: int, is_active: bool) -> ExtensionAttribute:
    """Deactivate (or reactivate) an extension attribute. A deactivated attribute is no longer
    offered, required or accepted on writes; the values already stored are kept, so
    reactivating brings them back."""
    with transaction.atomic():
        attribute = ExtensionAttribute.objects.select_for_update().filter(pk=attribute_id).first()
        if attribute is None:
            raise NotFound(_("No such extension attribute."))
        if attribute.is_active != is_active:
            attribute.is_active = is_active
            attribute.save(update_fields=["is_active"])
    return attribute


# --- Status changes (four eyes) -----------------------------------------------------------------


def status_change_request(
    *,
    customer: Customer,
    to_status: str,
    reason: str,
    requested_by,
    now: dt.datetime | None = None,
) -> CustomerStatusChange:
    """Ask for the customer's status to change (close, reopen, make dormant). Nothing changes
    until a branch supervisor other than `requested_by` approves (`status_change_approve`).
    Raises CustomerFieldsInvalid (400 on `to_status` / `reason`), StatusChangePending (409)
    when one is already waiting."""
    now = _now(now)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if to_status not in CustomerStatus.values:
        errors["to_status"] = [_("Unknown status.")]
    elif to_status == customer.status:
        errors["to_status"] = [_("The customer already has this status.")]
    if not reason:
        errors["reason"] = [_("Say why the status changes.")]
    if errors:
        raise CustomerFieldsInvalid(fields=errors)
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        if locked.status_changes.filter(state=StatusChangeState.PENDING).exists():
            raise StatusChangePending()
        if to_status == locked.status:
            message = _("The customer already has this status.")
            raise CustomerFieldsInvalid(message, fields={"to_status": [message]})
        try:
            with transaction.atomic():
                return CustomerStatusChange.objects.create(
                    customer=locked,
                    from_status=locked.status,
                    to_status=to_status,
                    reason=reason,
                    requested_by=requested_by,
                    requested_at=now,
                )
        except IntegrityError:  # a concurrent request won the one-pending constraint
            raise StatusChangePending() from None


def _status_change_for_decision(*, customer: Customer, status_change_id: int, decided_by):
    """The pending change, row-locked, once `decided_by` is known to be a second person
    allowed to decide it."""
    change = (
        CustomerStatusChange.objects.select_for_update()
        .select_related("customer__home_branch")
        .filter(pk=status_change_id, customer=customer)
        .first()
    )
    if change is None:
        raise StatusChangeNotFound()
    if not decided_by.has_perm("customers.approve_customerstatuschange") or not (
        user_can_see_unit(decided_by, change.customer.home_branch)
    ):
        raise StatusChangeNotAllowed()
    if change.requested_by_id == decided_by.pk:
        raise SecondPersonRequired()
    if change.state != StatusChangeState.PENDING:
        raise StatusChangeStateConflict()
    return change


def status_change_approve(
    *,
    customer: Customer,
    status_change_id: int,
    approved_by,
    comment: str = "",
    now: dt.datetime | None = None,
) -> CustomerStatusChange:
    """A branch supervisor of the customer's branch (not the requester) approves: the status
    changes and the change history names both. Raises StatusChangeNotFound (404),
    StatusChangeNotAllowed / SecondPersonRequired (403), StatusChangeStateConflict (409, also
    when the customer's status moved since the request)."""
    now = _now(now)
    with transaction.atomic():
        change = _status_change_for_decision(
            customer=customer, status_change_id=status_change_id, decided_by=approved_by
        )
        locked = Customer.objects.select_for_update().get(pk=change.customer_id)
        if locked.status != change.from_status:
            raise StatusChangeStateConflict(
                _("The customer's status changed since the request; request again.")
            )
        CustomerStatusChange.objects.filter(pk=change.pk).update(
            state=StatusChangeState.APPROVED,
            decided_by=approved_by,
            decided_at=now,
            decision_comment=(comment or "").strip(),
        )
        locked.status = change.to_status
        locked.updated_at = now
        locked.save(update_fields=["status", "updated_at"])
        _change_record(
            customer=locked,
            action=CustomerChangeAction.UPDATED,
            changed_by=approved_by,
            now=now,
            changes={
                "status": (change.from_status, change.to_status),
                "requested_by": (None, change.requested_by.get_username()),
            },
        )
    change.refresh_from_db()
    return change


def status_change_reject(
    *,
    customer: Customer,
    status_change_id: int,
    rejected_by,
    comment: str,
    now: dt.datetime | None = None,
) -> CustomerStatusChange:
    """A branch supervisor of the customer's branch (not the requester) rejects, saying why
    (400 on `comment` without one). Raises as `status_change_approve`."""
    now = _now(now)
    comment = (comment or "").strip()
    if not comment:
        message = _("Say why the change is rejected.")
        raise CustomerFieldsInvalid(message, fields={"comment": [message]})
    with transaction.atomic():
        change = _status_change_for_decision(
            customer=customer, status_change_id=status_change_id, decided_by=rejected_by
        )
        CustomerStatusChange.objects.filter(pk=change.pk).update(
            state=StatusChangeState.REJECTED,
            decided_by=rejected_by,
            decided_at=now,
            decision_comment=comment,
        )
    change.refresh_from_db()
    return change
