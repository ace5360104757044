"""The audit chain off the decisions' path: entries are inserted with a
hash of their own content only, and one sealer links them into the chain
afterwards (workflows.audit_seal). Three columns: `content_hash`,
`seal_seq` (the place in the chain; the rows already chained keep their id
order: seal_seq = id), and the trigger replaced by one that lets exactly one
UPDATE through: the sealing of an unsealed row, changing nothing but its
three chain columns."""

from django.db import migrations, models

OLD_TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION workflows_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % on workflows_auditentry refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workflows_auditentry_append_only
    BEFORE UPDATE OR DELETE ON workflows_auditentry
    FOR EACH ROW EXECUTE FUNCTION workflows_auditentry_append_only();
"""

# Sealing: a row without a place in the chain gets one, with its two
# hashes, and every other column stays as it was (compared as the whole
# row minus the three chain columns, so a column added later is covered).
TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION workflows_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seal_seq IS NULL AND NEW.seal_seq IS NOT NULL
            AND OLD.prev_hash = '' AND OLD.entry_hash = ''
            AND length(NEW.prev_hash) = 64 AND length(NEW.entry_hash) = 64
            AND (to_jsonb(NEW) - ARRAY['seal_seq', 'prev_hash', 'entry_hash'])
                = (to_jsonb(OLD) - ARRAY['seal_seq', 'prev_hash', 'entry_hash']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % on workflows_auditentry refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workflows_auditentry_append_only
    BEFORE UPDATE OR DELETE ON workflows_auditentry
    FOR EACH ROW EXECUTE FUNCTION workflows_auditentry_append_only();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS workflows_auditentry_append_only ON workflows_auditentry;
DROP FUNCTION IF EXISTS workflows_auditentry_append_only();
"""


def _on_postgresql(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


def drop_trigger(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.execute(DROP_TRIGGER_SQL, params=None)


def add_sealing_trigger(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.execute(TRIGGER_SQL, params=None)


def add_old_trigger(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.execute(OLD_TRIGGER_SQL, params=None)


def place_chained_rows(apps, schema_editor):
    """The rows chained so far were chained in id order: that is their place."""
    schema_editor.execute("UPDATE workflows_auditentry SET seal_seq = id", params=None)


def refuse_unsealed_rows(apps, schema_editor):
    """Going back: the old chain has no unsealed rows. Seal first."""
    AuditEntry = apps.get_model("workflows", "AuditEntry")
    if AuditEntry.objects.filter(seal_seq__isnull=True).exists():
        raise RuntimeError("Unsealed audit entries: run `manage.py seal_audit` before migrating back.")


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0013_bulk_runs"),
    ]

    operations = [
        migrations.RunPython(drop_trigger, add_old_trigger),
        migrations.AddField(
            model_name="auditentry",
            name="content_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seal_seq",
            field=models.PositiveBigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.RunPython(place_chained_rows, refuse_unsealed_rows),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(condition=models.Q(("seal_seq__isnull", True)), fields=["id"], name="auditentry_unsealed"),
        ),
        migrations.RunPython(add_sealing_trigger, drop_trigger),
    ]
