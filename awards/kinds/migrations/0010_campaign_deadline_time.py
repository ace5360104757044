"""A campaign's deadline gets a time of day (docs/mayday-as-kinds.md N9).

A deadline stored as a date meant "handed in on that day at the latest":
it becomes that day at 23:59 local time, which (with the minute included,
KindCampaign.submissions_close_at) closes at the same instant as before.
Back: the local day of the deadline."""

import datetime

from django.db import migrations, models
from django.utils import timezone


def to_end_of_day(apps, schema_editor):
    # After the column's type change a date reads back as its midnight in
    # UTC on both databases (PostgreSQL casts in the connection's UTC,
    # SQLite keeps the text): that UTC day is the stored date.
    KindCampaign = apps.get_model("kinds", "KindCampaign")
    for pk, deadline in KindCampaign.objects.values_list("pk", "deadline"):
        day = deadline.astimezone(datetime.timezone.utc).date()
        KindCampaign.objects.filter(pk=pk).update(
            deadline=timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59))))


def to_local_day(apps, schema_editor):
    # Written as the day's ISO text, which both databases turn into that
    # day when the column becomes a date again.
    KindCampaign = apps.get_model("kinds", "KindCampaign")
    table = KindCampaign._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        for pk, deadline in KindCampaign.objects.values_list("pk", "deadline"):
            cursor.execute(f"UPDATE {schema_editor.quote_name(table)} SET deadline = %s WHERE id = %s",
                           [timezone.localtime(deadline).date().isoformat(), pk])


class Migration(migrations.Migration):

    dependencies = [
        ('kinds', '0009_remove_campaign_version'),
    ]

    operations = [
        migrations.AlterField(
            model_name='kindcampaign',
            name='deadline',
            field=models.DateTimeField(verbose_name='submission deadline'),
        ),
        migrations.RunPython(to_end_of_day, to_local_day),
    ]
