"""Reference data the customers app ships (document types, industries, number counters)."""

from __future__ import annotations

from bankcore.catalogues import translations
from customers.models import CustomerNumberCounter, CustomerType, DocumentType, IndustryCode
from customers.reference_data import (
    DOCUMENT_TYPE_NAMES_ZH,
    DOCUMENT_TYPES,
    INDUSTRIES,
    INDUSTRY_NAMES_ZH,
)


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
