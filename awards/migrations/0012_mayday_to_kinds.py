"""The May Day award becomes three campaign kinds (docs/mayday-as-kinds.md
§2): every campaign, nomination and the engine rows naming them are
carried onto the kinds by awards/legacy/carry.py, on these historical
models. The audit log is not touched. 0013 then drops May Day's tables."""

from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError

from awards.legacy import carry


def forward(apps, schema_editor):
    if apps.get_model("awards", "Campaign").objects.exists():
        carry.forward(apps)


def backward(apps, schema_editor):
    """Nothing to undo on a database that had no May Day data; carried data
    has no way back yet (carry.backward, §2.5, is not written)."""
    KindCase = apps.get_model("kinds", "KindCase")
    KindCampaign = apps.get_model("kinds", "KindCampaign")
    Campaign = apps.get_model("awards", "Campaign")
    if KindCase.objects.filter(carried_from_id__isnull=False).exists() or (
            KindCampaign.objects.filter(code__in=Campaign.objects.values("code")).exists()):
        raise IrreversibleError(
            "May Day's data was carried onto campaign kinds; carrying it back is not supported.")


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0011_delete_own_quota"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("kinds", "0014_case_carried_from"),
        ("viewflow", "0015_task_scheduled"),
        ("workflows", "0023_certificate_wording"),
    ]

    operations = [migrations.RunPython(forward, backward)]
