"""The congress reports' attachments move into the engine's table
(workflows.Attachment): rows copied, files left where they are; a file's
slot becomes its `kind`."""

from django.db import migrations

from workflows.attachments.migration_copy import copy_back, copy_to_engine

ARGS = {"old_model": "congress.ReportAttachment", "case_field": "report", "case_model": "congress.report"}


def forwards(apps, schema_editor):
    copy_to_engine(apps, **ARGS, kind_of=lambda row: row.slot)


def backwards(apps, schema_editor):
    copy_back(apps, **ARGS, fill=lambda row: {"slot": row.kind})


class Migration(migrations.Migration):

    dependencies = [
        ("congress", "0004_closed_coverage_years"),
        ("workflows", "0019_attachments_for_every_process"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
