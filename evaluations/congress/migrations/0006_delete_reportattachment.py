from django.db import migrations


class Migration(migrations.Migration):
    """Its rows now live in workflows.Attachment (0005)."""

    dependencies = [("congress", "0005_attachments_to_engine")]

    operations = [migrations.DeleteModel(name="ReportAttachment")]
