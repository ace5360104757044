"""The audit log's hash chain: two columns, filled for the rows already
there (in id order, as log_action chains new ones), and on PostgreSQL a
trigger that refuses UPDATE and DELETE on the table. (Not TRUNCATE: the
test database is emptied that way; the chain's count and head hash that
verify_audit prints are what shows a log emptied wholesale.)"""

from django.db import migrations, models

TRIGGER_SQL = """
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

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS workflows_auditentry_append_only ON workflows_auditentry;
DROP FUNCTION IF EXISTS workflows_auditentry_append_only();
"""


def fill_chain(apps, schema_editor):
    from workflows.audit_chain import GENESIS, chain_hash, entry_content

    AuditEntry = apps.get_model("workflows", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kinds = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}
    previous = GENESIS
    # The historical model's plain manager: the append-only one is not
    # used in migrations, and the trigger does not exist yet.
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        entry_hash = chain_hash(previous, entry_content(entry, kinds[entry.content_type_id]))
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=previous, entry_hash=entry_hash)
        previous = entry_hash


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("workflows", "0008_account_profile"),
    ]

    operations = [
        migrations.AlterModelManagers(name="auditentry", managers=[]),
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "base_manager_name": "objects",
                "ordering": ["created", "pk"],
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit log",
            },
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill_chain, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
