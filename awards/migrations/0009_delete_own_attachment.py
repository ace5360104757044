from django.db import migrations


class Migration(migrations.Migration):
    """Its rows now live in workflows.Attachment (0008)."""

    dependencies = [("awards", "0008_attachments_to_engine")]

    operations = [migrations.DeleteModel(name="Attachment")]
