"""The model-home applications' attachments move into the engine's table
(workflows.Attachment): rows copied, files left where they are; the item a
file backed becomes its `kind` (the item's id)."""

from django.db import migrations

from workflows.attachments.migration_copy import copy_back, copy_to_engine

ARGS = {"old_model": "modelhome.ApplicationAttachment", "case_field": "application",
        "case_model": "modelhome.application"}


def forwards(apps, schema_editor):
    copy_to_engine(apps, **ARGS, kind_of=lambda row: str(row.item_id) if row.item_id else "")


def backwards(apps, schema_editor):
    copy_back(apps, **ARGS, fill=lambda row: {"item_id": int(row.kind) if row.kind.isdigit() else None})


class Migration(migrations.Migration):

    dependencies = [
        ("modelhome", "0002_application_notice_hold"),
        ("workflows", "0019_attachments_for_every_process"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
