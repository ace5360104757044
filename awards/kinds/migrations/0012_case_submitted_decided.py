"""When a case of a kind was first handed in and when it reached its
final state: new columns, filled for the cases there are from their audit
entries (read only: the log is append-only). A case handed in before has
its `kinds.case.submitted` entry; a case in a final state has the entry
that moved it there (to_state). Backwards the columns go, the log stays."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

SUBMITTED = "kinds.case.submitted"
# The declaration's final states (declaration.KIND_CASE_PROCESS), as the
# engine's decision service sets decided_at on reaching one.
FINAL_STATES = ("granted", "not_granted", "rejected", "withdrawn")


def fill_from_the_audit_log(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("workflows", "AuditEntry")
    KindCase = apps.get_model("kinds", "KindCase")
    content_type = ContentType.objects.filter(app_label="kinds", model="kindcase").first()
    if content_type is None:
        return  # a new database: no case, no entry
    entries = AuditEntry.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
    KindCase.objects.filter(submitted_at__isnull=True).update(submitted_at=Subquery(
        entries.filter(action=SUBMITTED).order_by("created", "pk").values("created")[:1]))
    KindCase.objects.filter(decided_at__isnull=True, state__in=FINAL_STATES).update(decided_at=Subquery(
        entries.filter(to_state=OuterRef("state")).order_by("-created", "-pk").values("created")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("workflows", "0020_merge_attachments_and_dated_organisations"),
        ("kinds", "0011_campaign_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="kindcase",
            name="submitted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="submitted on"),
        ),
        migrations.AddField(
            model_name="kindcase",
            name="decided_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="decided on"),
        ),
        migrations.RunPython(fill_from_the_audit_log, migrations.RunPython.noop),
    ]
