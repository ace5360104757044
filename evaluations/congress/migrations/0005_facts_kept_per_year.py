# Facts kept per (union, year). The facts kept so far, stated without a
# year, become each union's facts from FACTS_SINCE_EVER (2000) on: every
# year not closed was computed from them until now, and keeps those figures
# until someone states a year's facts (a closed year reads its snapshot).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('congress', '0004_closed_coverage_years'),
        ('workflows', '0018_merge_channel_in_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='organisationfacts',
            options={'ordering': ['organisation__path', '-year'], 'verbose_name': 'organisation facts', 'verbose_name_plural': 'organisation facts'},
        ),
        migrations.AddField(
            model_name='organisationfacts',
            name='year',
            field=models.PositiveSmallIntegerField(default=2000, verbose_name='year'),
        ),
        migrations.AlterField(
            model_name='organisationfacts',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='congress_facts', to='workflows.organisation', verbose_name='organisation'),
        ),
        migrations.AddConstraint(
            model_name='organisationfacts',
            constraint=models.UniqueConstraint(fields=('organisation', 'year'), name='one_facts_row_per_union_year'),
        ),
    ]
