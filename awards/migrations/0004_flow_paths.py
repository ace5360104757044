"""The May Day flow moved to awards/mayday/flows.py: stored references to
its process and tasks follow it, and its public notices name their handler
by the key the process registers."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace

OLD, NEW = "awards/flows.MayDayFlow", "awards/mayday.flows.MayDayFlow"


def forward(apps, schema_editor):
    Process = apps.get_model("viewflow", "Process")
    Task = apps.get_model("viewflow", "Task")
    PublicNotice = apps.get_model("workflows", "PublicNotice")
    PublicNotice.objects.filter(handler="awards.notices").update(handler="mayday")
    Process.objects.filter(flow_class=OLD).update(flow_class=NEW)
    Task.objects.filter(flow_task__startswith=OLD + ".").update(flow_task=Replace("flow_task", Value(OLD), Value(NEW)))


def backward(apps, schema_editor):
    Process = apps.get_model("viewflow", "Process")
    Task = apps.get_model("viewflow", "Task")
    PublicNotice = apps.get_model("workflows", "PublicNotice")
    PublicNotice.objects.filter(handler="mayday").update(handler="awards.notices")
    Process.objects.filter(flow_class=NEW).update(flow_class=OLD)
    Task.objects.filter(flow_task__startswith=NEW + ".").update(flow_task=Replace("flow_task", Value(NEW), Value(OLD)))


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0003_engine_depth"),
        ("viewflow", "0015_task_scheduled"),
        ("workflows", "0006_notification_events_and_roles"),
    ]
    operations = [migrations.RunPython(forward, backward)]
