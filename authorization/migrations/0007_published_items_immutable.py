"""On PostgreSQL, the database itself refuses any change to the items of a published rule-set
version (INSERT, UPDATE, DELETE), and turning a published version back into a draft. The
services lock the version and refuse such writes already; this holds for every other path
(raw SQL, a shell, a future bug). Other databases rely on the services."""

from django.db import migrations

VERSION = "authorization_rulesetversion"

# Table → how a row of it finds its version's status ($1 is the row). The same paths as
# authorization.services.lifecycle.ITEM_VERSION_PATHS (this migration keeps its own copy,
# as migrations do).
_DIRECT = "SELECT v.status FROM {v} v WHERE v.id = ($1).version_id"
_VIA = (
    "SELECT v.status FROM {parent} p JOIN {v} v ON v.id = p.version_id WHERE p.id = ($1).{column}"
)
ITEM_TABLES = {
    "authorization_transactiontype": _DIRECT,
    "authorization_imagetype": _DIRECT,
    "authorization_imagecombination": _DIRECT,
    "authorization_scene": _DIRECT,
    "authorization_triggersystem": _DIRECT,
    "authorization_triggerreason": _DIRECT,
    "authorization_triggerrule": _DIRECT,
    "authorization_processingrule": _DIRECT,
    "authorization_transactionelement": _VIA.replace(
        "{parent}", "authorization_transactiontype"
    ).replace("{column}", "transaction_type_id"),
    "authorization_sceneimagerule": _VIA.replace("{parent}", "authorization_scene").replace(
        "{column}", "scene_id"
    ),
    "authorization_scenereviewrule": _VIA.replace("{parent}", "authorization_scene").replace(
        "{column}", "scene_id"
    ),
    "authorization_reviewpoint": (
        "SELECT v.status FROM authorization_scenereviewrule r"
        " JOIN authorization_scene s ON s.id = r.scene_id"
        " JOIN {v} v ON v.id = s.version_id WHERE r.id = ($1).review_rule_id"
    ),
    "authorization_imagecombination_image_types": _VIA.replace(
        "{parent}", "authorization_imagecombination"
    ).replace("{column}", "imagecombination_id"),
    "authorization_triggerrule_trigger_systems": _VIA.replace(
        "{parent}", "authorization_triggerrule"
    ).replace("{column}", "triggerrule_id"),
}

ITEM_FUNCTION = """
CREATE OR REPLACE FUNCTION authz_refuse_published_item() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    version_status text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE TG_ARGV[0] INTO version_status USING OLD;
        IF version_status IS NOT NULL AND version_status <> 'draft' THEN
            RAISE EXCEPTION '% of % refused: the item belongs to a published rule-set version',
                TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE TG_ARGV[0] INTO version_status USING NEW;
        IF version_status IS NOT NULL AND version_status <> 'draft' THEN
            RAISE EXCEPTION '% of % refused: the item belongs to a published rule-set version',
                TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
"""

VERSION_FUNCTION = """
CREATE OR REPLACE FUNCTION authz_refuse_unpublishing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'draft' AND (TG_OP = 'DELETE' OR NEW.status = 'draft') THEN
        RAISE EXCEPTION '% of published rule-set version % refused', TG_OP, OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
"""


def _trigger_name(table: str) -> str:
    return f"authz_immutable_{table.removeprefix('authorization_')}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ITEM_FUNCTION, params=None)
    for table, lookup in ITEM_TABLES.items():
        query = lookup.replace("{v}", VERSION)
        schema_editor.execute(
            f"CREATE TRIGGER {_trigger_name(table)} BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION authz_refuse_published_item('{query}')"
        )
    schema_editor.execute(VERSION_FUNCTION, params=None)
    schema_editor.execute(
        f"CREATE TRIGGER authz_immutable_version BEFORE UPDATE OR DELETE ON {VERSION} "
        "FOR EACH ROW EXECUTE FUNCTION authz_refuse_unpublishing()"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ITEM_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table)} ON {table}")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS authz_immutable_version ON {VERSION}")
    schema_editor.execute("DROP FUNCTION IF EXISTS authz_refuse_published_item()")
    schema_editor.execute("DROP FUNCTION IF EXISTS authz_refuse_unpublishing()")


class Migration(migrations.Migration):
    dependencies = [("authorization", "0006_rule_set_proposals")]

    operations = [migrations.RunPython(create, drop)]
