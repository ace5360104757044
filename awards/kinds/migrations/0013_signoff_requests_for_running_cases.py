"""Cases already at the departments' sign-offs when kinds moved onto the
engine's sign-off requests (workflows.signoffs) have their fan-out tasks
but no requests: a department's answer would find no pending request to
write on (record_opinion: "already handled") and the case could never
finish. Each such case gets the round it is in: a pending request per
department with an open sign-off task, an agreed one (opinion, who, for
whom, when) per department that agreed since the case last entered the
sign-offs, as its audit entries say. The audit is read, never rewritten."""

from django.db import migrations

OPEN = ("NEW", "ASSIGNED", "STARTED")


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    KindCase = apps.get_model("kinds", "KindCase")
    SignoffRequest = apps.get_model("workflows", "SignoffRequest")
    AuditEntry = apps.get_model("workflows", "AuditEntry")
    Task = apps.get_model("viewflow", "Task")
    ct = ContentType.objects.filter(app_label="kinds", model="kindcase").first()
    if ct is None:
        return
    for case_id in KindCase.objects.filter(state="signoffs").values_list("pk", flat=True):
        if SignoffRequest.objects.filter(content_type=ct, object_id=case_id).exists():
            continue  # asked by the requests already
        entries = AuditEntry.objects.filter(content_type=ct, object_id=case_id)
        entered = (entries.filter(to_state="signoffs").exclude(from_state="signoffs")
                   .order_by("-created", "-pk").first())
        agreed = {}
        if entered is not None:
            for e in (entries.filter(action="kinds.case.signoff_agreed", created__gte=entered.created)
                      .exclude(organisation=None).order_by("created", "pk")):
                agreed[e.organisation_id] = e
        pending = {int(pk) for pk in Task.objects.filter(
            process__artifact_content_type=ct, process__artifact_object_id=case_id,
            flow_task__endswith="Flow.signoffs", status__in=OPEN,
        ).values_list("owner_permission_obj_pk", flat=True) if pk}
        for department_id in sorted(pending - set(agreed)):
            SignoffRequest.objects.create(content_type=ct, object_id=case_id, department_id=department_id, round=1)
        for department_id, e in agreed.items():
            SignoffRequest.objects.create(
                content_type=ct, object_id=case_id, department_id=department_id, round=1, status="agreed",
                opinion=e.comment, answered_by_id=e.actor_id, on_behalf_of_id=e.on_behalf_of_id,
                answered_at=e.created, created=entered.created)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("viewflow", "0015_task_scheduled"),
        ("workflows", "0023_certificate_wording"),
        ("kinds", "0012_case_submitted_decided"),
    ]

    # Backwards: nothing to undo that the fan-out tasks need; the requests
    # stay as the record of the answers.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
