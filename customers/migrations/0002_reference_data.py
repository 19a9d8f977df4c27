"""Seed the parameter tables: national-standard document types, GB/T 4754 industries and the
customer-number counters."""

from django.db import migrations

from customers.reference_data import DOCUMENT_TYPES, INDUSTRIES

CUSTOMER_TYPES = ("personal", "corporate", "internal")


def seed(apps, schema_editor):
    DocumentType = apps.get_model("customers", "DocumentType")
    IndustryCode = apps.get_model("customers", "IndustryCode")
    Counter = apps.get_model("customers", "CustomerNumberCounter")
    for code, name, holder_kind, validator in DOCUMENT_TYPES:
        DocumentType.objects.update_or_create(
            code=code, defaults={"name": name, "holder_kind": holder_kind, "validator": validator}
        )
    for code, name in INDUSTRIES:
        IndustryCode.objects.update_or_create(code=code, defaults={"name": name})
    for customer_type in CUSTOMER_TYPES:
        Counter.objects.get_or_create(customer_type=customer_type)


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
