"""The scoring standards become the engine's (workflows 0021): every
standard, version, section and item is copied to the engine's tables with
its id, so what points at them (a campaign's version, an answer's or a
score's item, an evidence file's `kind` = the item's id, audit entries'
object ids and `data`) still names the same row once 0006 moves the
foreign keys. Reversible: the way back copies the engine's rows home."""

from django.core.management.color import no_style
from django.db import migrations

# (old model here, new model in the engine, the fields to copy)
PAIRS = [
    ("Standard", "Standard", ["id", "code", "name", "district_id", "created"]),
    ("StandardVersion", "StandardVersion",
     ["id", "standard_id", "number", "qualified_threshold", "model_threshold", "note", "created_by_id", "created"]),
    ("Section", "StandardSection", ["id", "version_id", "position", "title"]),
    ("Item", "StandardItem",
     ["id", "section_id", "position", "code", "text", "kind", "max_points", "mandatory", "guidance"]),
]
BATCH = 1000


def _copy(apps, schema_editor, source_app, target_app, forward):
    targets = []
    for old_name, new_name, fields in PAIRS:
        source = apps.get_model(source_app, old_name if forward else new_name)
        target = apps.get_model(target_app, new_name if forward else old_name)
        rows = source.objects.order_by("pk").values(*fields).iterator(chunk_size=BATCH)
        batch = []
        for row in rows:
            batch.append(target(**row))
            if len(batch) == BATCH:
                target.objects.bulk_create(batch)
                batch = []
        target.objects.bulk_create(batch)
        targets.append(target)
    # Rows inserted with their ids: the next new row's id follows them (PostgreSQL sequences).
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), targets):
            cursor.execute(sql)


def forwards(apps, schema_editor):
    _copy(apps, schema_editor, "modelhome", "workflows", forward=True)


def backwards(apps, schema_editor):
    _copy(apps, schema_editor, "workflows", "modelhome", forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("modelhome", "0004_delete_applicationattachment"),
        ("workflows", "0021_scoring_standards"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
