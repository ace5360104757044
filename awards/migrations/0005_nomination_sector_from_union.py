from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_blank_sectors(apps, schema_editor):
    """Nominations saved with a blank sector count, from now on, as their
    nominating union's sector (as new ones are saved): the mix rules then
    count by the data."""
    Nomination = apps.get_model("awards", "Nomination")
    Organisation = apps.get_model("workflows", "Organisation")
    Nomination.objects.filter(sector="").update(
        sector=Subquery(Organisation.objects.filter(pk=OuterRef("organisation_id")).values("sector")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0004_flow_paths"), ("workflows", "0007_certificate_code")]

    operations = [migrations.RunPython(fill_blank_sectors, migrations.RunPython.noop)]
