"""The extended layer: attributes administrators define, and customers' values of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from bankcore.catalogues import translations
from customers.models import (
    Customer,
    CustomerChangeAction,
    CustomerType,
    ExtensionAttribute,
    ExtensionScope,
    ExtensionValue,
)
from customers.services._common import change_record, customer_lock, full_clean, now_or_clock
from customers.services.errors import (
    CustomerFieldsInvalid,
    ExtensionAttributeAlreadyDefined,
    ExtensionAttributeNotFound,
)
from customers.validation import ExtensionValueInvalid, extension_value_clean


def extension_attributes_for(customer_type: str) -> list[ExtensionAttribute]:
    """Active attributes that apply to customers of this type (type-scoped and module-scoped)."""
    module_scopes = [s for s in ExtensionScope.values if s not in CustomerType.values]
    return list(
        ExtensionAttribute.objects.filter(
            is_active=True, scope__in=[customer_type, *module_scopes]
        ).order_by("display_order", "code")
    )


def extensions_write(
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
    now = now_or_clock(now)
    with transaction.atomic():
        customer_lock(customer)
        diff = extensions_write(customer=customer, values=values, now=now, creating=False)
        if diff:
            change_record(
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
    full_clean(attribute)
    if data_type == "choice" and not attribute.choices:
        raise CustomerFieldsInvalid(fields={"choices": [_("A choice attribute needs choices.")]})
    for bound in ("min_value", "max_value"):
        value = getattr(attribute, bound)
        if value and not _bound_is_valid(data_type, value):
            raise CustomerFieldsInvalid(
                fields={bound: [_("Not a valid bound for this data type.")]}
            )
    if ExtensionAttribute.objects.filter(code=code).exists():
        message = str(ExtensionAttributeAlreadyDefined.default_message)
        raise ExtensionAttributeAlreadyDefined(message, fields={"code": [message]})
    attribute.save()
    return attribute


def extension_attribute_set_active(*, attribute_id: int, is_active: bool) -> ExtensionAttribute:
    """Deactivate (or reactivate) an extension attribute. A deactivated attribute is no longer
    offered, required or accepted on writes; the values already stored are kept, so
    reactivating brings them back."""
    with transaction.atomic():
        attribute = ExtensionAttribute.objects.select_for_update().filter(pk=attribute_id).first()
        if attribute is None:
            raise ExtensionAttributeNotFound()
        if attribute.is_active != is_active:
            attribute.is_active = is_active
            attribute.save(update_fields=["is_active"])
    return attribute
