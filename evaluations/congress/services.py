"""The services that change a report.

Saving a draft keeps what was typed and changes no state: it runs here, in
one transaction, with the report's row locked and its version re-checked
(else AlreadyHandled, HTTP 409). Every state change goes through the
engine's one service, along the route declared in declaration.py:
`do_transition` for the first submission (which starts the flow),
`decide` for a step's decision (locks, version, task, recusal, four eyes,
audit, notifications, deadlines)."""

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.attachments.services import attach
from workflows.audit import log_action
from workflows.cases.locking import lock_seen
from workflows.exceptions import NotAllowed
from workflows.organisations.access import has_role
from workflows.steps import decisions

from .hooks import check_complete
from .models import OUTSTANDING_STATES, ReportState
from .periods import due_date_for_session
from .roles import SUBMITTER

def may_edit(user, report):
    """The union edits its report until it is handed in, and again once returned."""
    return report.state in OUTSTANDING_STATES and has_role(user, SUBMITTER, report.organisation)


def do_save_report_draft(*, report, data, actor, attachments=(), version=None, ip=None):
    """Keep what was typed, complete or not. `data` holds the kind's fields
    (well-formed values; the form has checked types and signs);
    `attachments` unsaved workflows.models.Attachment, `kind` the slot,
    already checked by size and content (workflows.attachments.fields)."""
    with transaction.atomic():
        locked = lock_seen(report, version=version, states=OUTSTANDING_STATES,
                           related=("kind", "organisation", "period"), moved=_("This report can no longer be edited."))
        if not has_role(actor, SUBMITTER, locked.organisation):
            raise NotAllowed(_("Only the union's submitter edits its report."))
        names = {spec["key"] for spec in locked.kind.fields}
        locked.data = {**locked.data, **{k: v for k, v in data.items() if k in names}}
        session_due = due_date_for_session(locked.kind, locked.data)
        if session_due is not None:
            locked.due_on = session_due
        locked.version += 1
        locked.save(update_fields=["data", "due_on", "version"])
        slots = {slot["name"] for slot in locked.kind.attachments}
        attachments = [a for a in attachments if a.kind in slots]
        attach(locked, attachments, actor=actor)
        log_action(locked, "congress.report.saved", actor=actor, organisation=locked.organisation,
                   role=SUBMITTER, ip=ip, data={"attachments": sorted({a.kind for a in attachments})})
    decisions.sync(report, locked)
    return report


def do_submit_report(*, report, actor, version=None, ip=None):
    """Hand the report in (a draft) or in again (a returned report).
    Refused with workflows.dataforms.completeness.Incomplete, naming each field, unless complete."""
    if report.state == ReportState.RETURNED:
        return decisions.decide(case=report, actor=actor, decision="resubmit", version=version, ip=ip)
    if report.state == ReportState.DRAFT and not has_role(actor, SUBMITTER, report.organisation):
        raise NotAllowed(_("Only the union's submitter submits its report."))
    return decisions.do_transition(case=report, actor=actor, code="submit", version=version, ip=ip,
                                   check=check_complete)


def do_decide_report(*, report, actor, decision, comment="", version=None, ip=None):
    """Take the open step's `decision` (forward, accept, return, archive)."""
    return decisions.decide(case=report, actor=actor, decision=decision, comment=comment, version=version, ip=ip)
