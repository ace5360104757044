"""What the reports' route does besides changing the state, run by the
engine inside the decision's transaction (declaration.py names these):
refuse an incomplete report, stamp the report's times, keep the district's
comments, owe the archive's PDF (stored after commit, through the outbox)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.audit import history_of
from workflows.background.outbox import owe

from workflows.dataforms.completeness import Incomplete, incomplete_answers

from .models import ReportState


def missing_attachments(report):
    present = set(report.attachment_files.values_list("kind", flat=True))
    return [(f"file_{slot['name']}", _("Attach “%(attachment)s”.") % {"attachment": slot.get("label", slot["name"])})
            for slot in report.kind.attachments if slot.get("required") and slot["name"] not in present]


def check_complete(report):
    """Raise Incomplete, naming each field, unless the report may go up."""
    errors = incomplete_answers(report.kind.fields, report.data, report.kind.checks) + missing_attachments(report)
    if errors:
        raise Incomplete(errors)


def before_decision(report, decision, actor):
    """A returned report goes back up only complete, like a first submission."""
    if decision.code == "resubmit":
        check_complete(report)


def after_submit(report, transition=None, actor=None):
    now = timezone.now()
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.save(update_fields=["submitted_at", "first_submitted_at"])


def after_decision(report, decision, actor, task=None):
    now = timezone.now()
    if decision.target == ReportState.SUBMITTED:
        after_submit(report)
    elif decision.target == ReportState.RETURNED:
        entry = history_of(report).order_by("-created", "-pk").first()
        report.last_comment = entry.comment if entry is not None else ""
        report.save(update_fields=["last_comment"])
    elif decision.target == ReportState.ACCEPTED:
        report.accepted_at = now
        report.save(update_fields=["accepted_at"])
    elif decision.target == ReportState.ARCHIVED:
        report.archived_at = now
        report.save(update_fields=["archived_at"])
        from .documents import ARCHIVE_PDF

        # Inside the archiving transaction: the stored PDF is owed, recorded
        # with the decision (the outbox), so a crash after the commit loses nothing.
        owe(ARCHIVE_PDF, report.pk)
