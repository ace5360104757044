from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('kinds', '0004_case_rounds_return_withdraw'),
    ]

    operations = [
        migrations.AddField(
            model_name='kindcaseround',
            name='attachments',
            field=models.JSONField(blank=True, null=True, verbose_name='attachments'),
        ),
    ]
