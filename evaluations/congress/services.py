"""The services that change a report: save a draft, submit, decide a step.

Each runs in one transaction, locks the report row, re-checks its state and
version against what the actor saw (else AlreadyHandled, HTTP 409), checks
the actor's role against the route declared in declaration.py and writes
the audit entry. The shared engine's decide()/do_transition() are not on
this branch yet: this module is the small stand-in that follows the same
declaration (see README of the app)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.organisations.access import has_role
from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Role
from workflows.notifications.services import notify

from .declaration import REPORT_PROCESS
from .models import Report, ReportAttachment, ReportState
from .periods import due_date_for_session
from .schema import ReportIncomplete, completeness_errors

EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


def _lock(report, version):
    locked = Report.objects.select_for_update().select_related("kind", "organisation", "period").get(pk=report.pk)
    if version is not None:
        try:
            seen = int(version)
        except (TypeError, ValueError):
            seen = None
        if seen != locked.version:
            raise AlreadyHandled()
    return locked


def _sync(report, locked):
    for name in ("state", "version", "data", "due_on", "submitted_at", "first_submitted_at", "accepted_at",
                 "archived_at", "state_changed_at", "last_comment", "document_id"):
        report.__dict__[name] = getattr(locked, name)


def actors_of(report, step):
    """The users who may take `step` of `report` (its declared role at its
    declared organisation)."""
    organisation = step.actor.at(report)
    if organisation is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        memberships__role=step.actor.role, memberships__organisation=organisation, is_active=True
    ).distinct()


def may_take(user, report, step):
    organisation = step.actor.at(report)
    return organisation is not None and has_role(user, step.actor.role, organisation)


def may_edit(user, report):
    return report.state in EDITABLE_STATES and has_role(user, Role.SUBMITTER, report.organisation)


def current_step(report):
    return REPORT_PROCESS.step_of_state(report.state)


def _move(locked, target, *, actor, code, comment, ip, role, organisation):
    if (locked.state, target) not in REPORT_PROCESS.allowed():
        raise AlreadyHandled()
    source = locked.state
    locked.move_to(target)
    locked.version += 1
    locked.state_changed_at = timezone.now()
    log_action(locked, REPORT_PROCESS.audit_action(code), actor=actor,
               organisation=organisation, role=role, from_state=source, to_state=target, decision=code,
               comment=comment, ip=ip)


def _notify_next(locked):
    step = current_step(locked)
    if step is None:
        return
    notify(list(actors_of(locked, step)), title=_("%(step)s: %(report)s") % {"step": step.title, "report": locked},
           url=locked.get_absolute_url(), key=f"congress:{locked.pk}:{locked.version}")


def _missing_attachments(report):
    present = set(report.attachment_files.values_list("slot", flat=True))
    return [(f"file_{slot['name']}", _("Attach “%(attachment)s”.") % {"attachment": slot.get("label", slot["name"])})
            for slot in report.kind.attachments if slot.get("required") and slot["name"] not in present]


def do_save_report_draft(*, report, data, actor, files=None, version=None, ip=None):
    """Keep what was typed, complete or not. `data` holds the kind's fields
    (well-formed values; the form has checked types and signs); `files`
    {slot: (upload, content type)} the attachments, already checked by
    content (workflows.uploads)."""
    with transaction.atomic():
        locked = _lock(report, version)
        if locked.state not in EDITABLE_STATES:
            raise AlreadyHandled(_("This report can no longer be edited."))
        if not has_role(actor, Role.SUBMITTER, locked.organisation):
            raise NotAllowed(_("Only the union's submitter edits its report."))
        names = set(locked.kind.field_names())
        locked.data = {**locked.data, **{k: v for k, v in data.items() if k in names}}
        session_due = due_date_for_session(locked.kind, locked.data)
        if session_due is not None:
            locked.due_on = session_due
        locked.version += 1
        locked.save()
        slots = {slot["name"] for slot in locked.kind.attachments}
        for slot, (upload, content_type) in (files or {}).items():
            if slot in slots:
                attachment = ReportAttachment(report=locked, slot=slot, original_name=upload.name[:200],
                                              content_type=content_type or "", size=upload.size, uploaded_by=actor)
                attachment.file.save(upload.name, upload, save=False)
                attachment.save()
        log_action(locked, "congress.report.saved", actor=actor, organisation=locked.organisation,
                   role=Role.SUBMITTER, ip=ip, data={"attachments": sorted(files or {})})
    _sync(report, locked)
    return report


def do_submit_report(*, report, actor, version=None, ip=None):
    """Hand the report in (a draft) or in again (a returned report). Refused
    with ReportIncomplete, naming each field, unless the report is complete."""
    with transaction.atomic():
        locked = _lock(report, version)
        if locked.state not in EDITABLE_STATES:
            raise AlreadyHandled()
        if not has_role(actor, Role.SUBMITTER, locked.organisation):
            raise NotAllowed(_("Only the union's submitter submits its report."))
        errors = completeness_errors(locked.kind, locked.data) + _missing_attachments(locked)
        if errors:
            raise ReportIncomplete(errors)
        now = timezone.now()
        code = "submit" if locked.state == ReportState.DRAFT else "resubmit"
        _move(locked, ReportState.SUBMITTED, actor=actor, code=code, comment="", ip=ip, role=Role.SUBMITTER,
              organisation=locked.organisation)
        locked.submitted_at = now
        locked.first_submitted_at = locked.first_submitted_at or now
        locked.save()
        _notify_next(locked)
    _sync(report, locked)
    return report


def do_decide_report(*, report, actor, decision, comment="", version=None, ip=None):
    """Take the open step's `decision` (forward, accept, return, archive)."""
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = _lock(report, version)
        step = current_step(locked)
        if step is None or step.name == "revise":
            raise AlreadyHandled()
        chosen = step.decision(locked, decision)
        if chosen is None:
            raise RuleViolation(_("This decision is not offered at this step."))
        if not may_take(actor, locked, step):
            raise NotAllowed(_("This step is not yours to take."))
        if chosen.comment_required and not comment:
            raise RuleViolation(str(chosen.comment_message or _("A comment is required.")))
        organisation = step.actor.at(locked)
        _move(locked, chosen.target, actor=actor, code=chosen.code, comment=comment, ip=ip, role=step.actor.role,
              organisation=organisation)
        now = timezone.now()
        if chosen.target == ReportState.RETURNED:
            locked.last_comment = comment
        elif chosen.target == ReportState.ACCEPTED:
            locked.accepted_at = now
        elif chosen.target == ReportState.ARCHIVED:
            locked.archived_at = now
        locked.save()
        if chosen.target == ReportState.RETURNED:
            notify(list(actors_of(locked, REPORT_PROCESS.step("revise"))),
                   title=_("Returned with comments: %(report)s") % {"report": locked}, body=comment,
                   url=locked.get_absolute_url(), key=f"congress:{locked.pk}:{locked.version}")
        else:
            _notify_next(locked)
        if chosen.target == ReportState.ARCHIVED:
            from .documents import archive_report_pdf

            transaction.on_commit(lambda: archive_report_pdf(locked.pk))
    _sync(report, locked)
    return report
