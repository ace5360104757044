"""Every campaign's one version becomes its one offer (position 0); run
backwards, a campaign's first offer goes back into `version` (a campaign
that offered several kinds keeps only its first: the old model holds one)."""

from django.db import migrations


def forwards(apps, schema_editor):
    KindCampaign = apps.get_model("kinds", "KindCampaign")
    CampaignOffer = apps.get_model("kinds", "CampaignOffer")
    offered = set(CampaignOffer.objects.values_list("campaign_id", flat=True))
    CampaignOffer.objects.bulk_create(
        CampaignOffer(campaign_id=pk, version_id=version_id, position=0)
        for pk, version_id in KindCampaign.objects.filter(version__isnull=False).values_list("pk", "version_id")
        if pk not in offered)


def backwards(apps, schema_editor):
    KindCampaign = apps.get_model("kinds", "KindCampaign")
    CampaignOffer = apps.get_model("kinds", "CampaignOffer")
    first = {}
    for campaign_id, version_id in CampaignOffer.objects.order_by("campaign_id", "-position", "-pk") \
            .values_list("campaign_id", "version_id"):
        first[campaign_id] = version_id  # the lowest position comes last and wins
    for campaign_id, version_id in first.items():
        KindCampaign.objects.filter(pk=campaign_id).update(version_id=version_id)
    CampaignOffer.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("kinds", "0007_campaign_offers"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
