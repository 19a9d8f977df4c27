"""What the customers tables hold, to assert that a refused write left nothing behind."""

from __future__ import annotations

from typing import Any

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
    ExtensionAttribute,
    ExtensionValue,
    InternalCustomer,
    PersonalCustomer,
)

_MODELS = (
    Customer,
    CustomerNumberCounter,
    PersonalCustomer,
    CorporateCustomer,
    InternalCustomer,
    CustomerDocument,
    DocumentIdentity,
    ContactChannel,
    Address,
    CustomerRelationship,
    ExtensionAttribute,
    ExtensionValue,
    CustomerChange,
    CustomerStatusChange,
)


def customers_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every customers table, in primary-key order: equal before and after a
    refused service call means the call wrote nothing."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in _MODELS}
