"""The migrated SQLite test database, kept between runs as a template.

Each pytest-xdist worker (and a serial run) creates its test database in memory; running every
migration into it took ~5.5 s of CPU per process, on every run. Here the first run migrates as
usual and saves the result (schema, the reference data the migrations seed, content types,
permissions, role groups) to `var/test-templates/<key>.sqlite3`; later processes copy that file
into their in-memory database with SQLite's backup API instead of migrating (as Django's own
parallel runner clones SQLite test databases).

The key is a digest of every installed app's migration files and the Django version: a new or
edited migration, or another version of a library with migrations, migrates anew (and the
stale templates are removed). PostgreSQL is untouched: there pytest-django creates and migrates
the test database as before.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

TEMPLATES = Path(settings.BASE_DIR) / "var" / "test-templates"


def _key() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{app.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def install(connection) -> None:
    """Creates `connection`'s test database from the template when there is one (SQLite only)."""
    if connection.vendor != "sqlite":
        return
    creation = connection.creation
    migrate_and_create = creation.create_test_db

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        template = TEMPLATES / f"{_key()}.sqlite3"
        if keepdb or not creation.is_in_memory_db(creation._get_test_db_name()):
            return migrate_and_create(verbosity, autoclobber, serialize, keepdb)
        if not template.exists():
            name = migrate_and_create(verbosity, autoclobber, serialize, keepdb)
            _save(connection, template)
            return name
        # What Django's create_test_db does, with the template copied in instead of migrating.
        name = creation._get_test_db_name()
        creation._create_test_db(verbosity, autoclobber, keepdb)
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()
        with sqlite3.connect(template) as source:
            source.backup(connection.connection)
        if serialize:
            connection._test_serialized_contents = creation.serialize_db_to_string()
        call_command("createcachetable", database=connection.alias)
        return name

    creation.create_test_db = create_test_db


def _save(connection, template: Path) -> None:
    """Writes the migrated database next to the template's name and renames it into place, so
    that two workers saving at once never leave a half-written template; older templates go."""
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    partial = template.with_suffix(f".{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        connection.ensure_connection()
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(partial, template)
    for stale in TEMPLATES.glob("*.sqlite3"):
        if stale != template:
            stale.unlink(missing_ok=True)
