"""The May Day nominations' attachments move into the engine's table
(workflows.Attachment): rows copied, files left where they are; the ids in
revision snapshots are rewritten to the new ids so that "attachments added
/ removed" between rounds stays right."""

from django.db import migrations

from workflows.attachments.migration_copy import copy_back, copy_to_engine

ARGS = {"old_model": "awards.Attachment", "case_field": "nomination", "case_model": "awards.nomination"}


def _rewrite_snapshots(apps, mapping):
    Revision = apps.get_model("awards", "NominationRevision")
    for revision in Revision.objects.exclude(snapshot__attachments=None).iterator():
        listed = revision.snapshot.get("attachments")
        if not isinstance(listed, list):
            continue
        revision.snapshot["attachments"] = [[mapping.get(pk, pk), name] for pk, name in listed]
        revision.save(update_fields=["snapshot"])


def forwards(apps, schema_editor):
    _rewrite_snapshots(apps, copy_to_engine(apps, **ARGS))


def backwards(apps, schema_editor):
    _rewrite_snapshots(apps, copy_back(apps, **ARGS))


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0007_hot_filter_indexes"),
        ("workflows", "0019_attachments_for_every_process"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
