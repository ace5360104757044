from django.db import migrations


class Migration(migrations.Migration):
    """Its rows now live in workflows.Attachment (0003)."""

    dependencies = [("modelhome", "0003_attachments_to_engine")]

    operations = [migrations.DeleteModel(name="ApplicationAttachment")]
