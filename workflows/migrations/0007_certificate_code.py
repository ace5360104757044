from django.db import migrations, models

import workflows.models.core


class Migration(migrations.Migration):
    """Short Crockford codes for new certificates. Existing certificates keep
    no code (added without a default, so each row stays NULL rather than all
    sharing one value): their printed code is the token prefix, still looked
    up."""

    dependencies = [("workflows", "0006_notification_events_and_roles")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="code",
            field=models.CharField(
                blank=True, editable=False, max_length=8, null=True, unique=True, verbose_name="verification code"
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="code",
            field=models.CharField(
                blank=True, default=workflows.models.core.new_verification_code, editable=False, max_length=8,
                null=True, unique=True, verbose_name="verification code",
            ),
        ),
    ]
