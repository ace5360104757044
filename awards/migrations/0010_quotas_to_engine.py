"""May Day's quotas move into the engine's table (workflows.Quota): every
row copied, keyed by the campaign's content type and id, the award as the
category, each share pointing at its copied parent. The ids are new:
nothing refers to a quota by id (the audit entries name the organisation
and the award; the API has no quotas)."""

from django.db import migrations


def _campaign_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="awards", model="campaign")[0]


def forwards(apps, schema_editor):
    Old = apps.get_model("awards", "Quota")
    New = apps.get_model("workflows", "Quota")
    scope_type = _campaign_type(apps)
    copied = {}
    # Parents before their shares, so every share finds its parent's copy
    # (two passes: NULLs sort last on PostgreSQL, first on SQLite).
    parents_first = [Old.objects.filter(parent__isnull=True), Old.objects.filter(parent__isnull=False)]
    for old in (row for rows in parents_first for row in rows.order_by("pk").iterator()):
        if old.parent_id is not None and old.parent_id not in copied:
            raise RuntimeError(f"quota {old.pk}: its parent {old.parent_id} is itself a share")
        new = New.objects.create(
            scope_type=scope_type, scope_id=old.campaign_id, organisation_id=old.organisation_id,
            category=old.kind, count=old.count, parent_id=copied.get(old.parent_id),
        )
        copied[old.pk] = new.pk


def backwards(apps, schema_editor):
    Old = apps.get_model("awards", "Quota")
    New = apps.get_model("workflows", "Quota")
    scope_type = _campaign_type(apps)
    copied = {}
    rows = New.objects.filter(scope_type=scope_type)
    parents_first = [rows.filter(parent__isnull=True), rows.filter(parent__isnull=False)]
    for new in (row for part in parents_first for row in part.order_by("pk").iterator()):
        old = Old.objects.create(
            campaign_id=new.scope_id, organisation_id=new.organisation_id, kind=new.category, count=new.count,
            parent_id=copied.get(new.parent_id),
        )
        copied[new.pk] = old.pk
    rows.filter(parent__isnull=False).delete()
    rows.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0009_delete_own_attachment"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("workflows", "0021_quotas_for_every_process"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
