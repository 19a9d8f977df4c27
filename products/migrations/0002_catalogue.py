"""The reference catalogue: product lines, their parameters and one template per line."""

from django.db import migrations


def install(apps, schema_editor):
    from products.catalogue import catalogue_install

    catalogue_install(apps)


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
