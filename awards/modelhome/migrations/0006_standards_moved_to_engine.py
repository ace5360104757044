"""The campaigns, self-assessment answers and inspectors' scores point at
the engine's standard versions and items (copied with their ids by 0005),
and model home's own standard tables go. The tables are dropped whole (no
field removed first: SQLite would rebuild a table whose constraint names
the removed field)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('modelhome', '0005_standards_copied_to_engine'),
        ('workflows', '0021_scoring_standards'),
    ]

    operations = [
        migrations.AlterField(
            model_name='itemanswer',
            name='item',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workflows.standarditem'),
        ),
        migrations.AlterField(
            model_name='inspectionscore',
            name='item',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workflows.standarditem'),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='standard_version',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='modelhome_campaigns', to='workflows.standardversion', verbose_name='scoring standard'),
        ),
        migrations.DeleteModel(
            name='Item',
        ),
        migrations.DeleteModel(
            name='Section',
        ),
        migrations.DeleteModel(
            name='StandardVersion',
        ),
        migrations.DeleteModel(
            name='Standard',
        ),
    ]
