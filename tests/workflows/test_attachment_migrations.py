"""The migrations that moved the processes' own attachment tables into the
engine's (modelhome 0003-0004, congress 0005-0006; May Day's, awards
0008, ran before its data was carried onto campaign kinds and its tables
dropped, awards 0012-0013): the old tables are made again from the
migrations' state before the move (in the test's transaction, rolled back
after it), rows are written into them as the old code wrote them, and the
copying migrations run. Every row arrives with its case, names, sizes,
uploader, time and stored file name (no file moved), its old id kept for
old links."""

import datetime
import importlib

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.awards.modelhome.conftest import fill, mh  # noqa: F401 (fixture)
from tests.evaluations.congress.conftest import kinds, open_period  # noqa: F401 (fixtures)

BEFORE = [("modelhome", "0002_application_notice_hold"),
          ("congress", "0004_closed_coverage_years"), ("workflows", "0019_attachments_for_every_process")]
COPYING = ["awards.modelhome.migrations.0003_attachments_to_engine",
           "evaluations.congress.migrations.0005_attachments_to_engine"]


def _old_tables():
    """The historical apps before the move, with the two old tables made
    in the current transaction. The editor is used without its context
    (SQLite refuses that inside a transaction); its deferred SQL (indexes,
    PostgreSQL's foreign keys) is not needed for the copy."""
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    editor = connection.schema_editor(atomic=False)
    editor.deferred_sql = []  # set by the context's entry; left unrun
    # modelhome.Item: the old attachments' items were model home's own then
    # (the standards moved to the engine later, modelhome 0006); SQLite
    # wants the table a foreign key names to exist, even left empty.
    for label in ("modelhome.Item", "modelhome.ApplicationAttachment", "congress.ReportAttachment"):
        editor.create_model(apps.get_model(label))
    return apps


def test_every_attachment_row_is_carried_into_the_engine(tree, mh, open_period):  # noqa: F811
    from evaluations.congress.models import Report
    from workflows.models import Attachment

    application = fill(mh, submit=False)
    report = Report.objects.get(period=open_period(), organisation=tree.union_a1)
    item = mh.campaign.standard_version.ordered_items().get(code="4.1")
    when = timezone.now() - datetime.timedelta(days=30)

    old = _old_tables()
    OldAppAttachment = old.get_model("modelhome", "ApplicationAttachment")
    OldReportAttachment = old.get_model("congress", "ReportAttachment")
    common = dict(content_type="application/pdf", size=1234, uploaded_by_id=tree.submitter.pk, created=when)
    # The same ids in both tables, as tables of their own had.
    a1 = OldAppAttachment.objects.create(pk=501, application_id=application.pk, item_id=item.pk,
                                         file="modelhome/2024/05/b.pdf", original_name="决议.pdf", **common)
    a2 = OldAppAttachment.objects.create(pk=502, application_id=application.pk, item_id=None,
                                         file="modelhome/2024/05/c.pdf", original_name="其他.pdf", **common)
    r1 = OldReportAttachment.objects.create(pk=501, report_id=report.pk, slot="minutes",
                                            file="congress/2024/05/d.pdf", original_name="纪要.pdf",
                                            **{**common, "uploaded_by_id": None})
    for module in COPYING:
        importlib.import_module(module).forwards(old, None)

    rows = {(a.case_type.model, a.legacy_id): a for a in Attachment.objects.select_related("case_type")}
    assert len(rows) == 3
    for model, legacy, case, kind, file, name in [
        ("application", 501, application, str(item.pk), "modelhome/2024/05/b.pdf", "决议.pdf"),
        ("application", 502, application, "", "modelhome/2024/05/c.pdf", "其他.pdf"),
        ("report", 501, report, "minutes", "congress/2024/05/d.pdf", "纪要.pdf"),
    ]:
        row = rows[model, legacy]
        assert (row.case_id, row.kind, row.file.name, row.original_name) == (case.pk, kind, file, name)
        assert (row.content_type, row.size, row.uploaded_at) == ("application/pdf", 1234, when)
        assert row.uploaded_by_id == (None if model == "report" else tree.submitter.pk)
    assert report.attachment_files.get().kind == "minutes"
    assert {a1.pk, a2.pk, r1.pk} == {501, 502}
    # The old rows name an item of model home's old (empty) items table: gone
    # before the test's end, whose foreign-key check on SQLite would refuse them.
    OldAppAttachment.objects.all().delete()
