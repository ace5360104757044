"""The route of a report to the workers' congress, declared once (see
workflows.steps.declaration): drafted → submitted → the intermediate union
checks → the district accepts or returns with comments → archived.

The engine derives the rest: the viewflow flow (flows.py), the allowed
state changes, the inbox's steps and bulk decisions, the step deadlines in
working days with their reminders and escalation (`deadline_days`; by
default escalated to the same role one level up, and to the district's
administrators for the district's own steps)."""

from operator import attrgetter

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflows.organisations.access import district_of, visible_organisations_q
from workflows.steps.declaration import Decision, Process, RoleAt, Step, Transition
from workflows.steps.own_pages import own_page

from .hooks import after_decision, after_submit, before_decision
from .models import ReportState as S
from .roles import CHAIR, DISTRICT_ADMIN, REVIEWER, SUBMITTER


def _visible(user):
    """What a user may see: reports of their own union or of the branch
    below a branch role, drafts among them (the branch above follows what
    is overdue). Anything else is a 404 that does not say whether it exists
    (workflows.cases.scoped.case_or_404)."""
    from .models import Report

    return Report.objects.filter(visible_organisations_q(user)).select_related("kind", "organisation", "period")


def _district(report):
    return district_of(report.organisation)


RETURN = Decision("return", S.RETURNED, _("Return with comments"), comment_required=True,
                  comment_message=_("Say what must be corrected before returning the report."))

REPORT_PROCESS = Process(
    key="congress_report",
    model="congress.Report",
    title=_("Report to the workers' congress"),
    action_prefix="congress.report",
    initial=S.DRAFT,
    final_states=(S.ARCHIVED,),
    steps=(
        Step("check", _("Intermediate union checks the report"), states=(S.SUBMITTED,),
             actor=RoleAt(REVIEWER, attrgetter("organisation.parent")), review_level=True, bulk=True, deadline_days=5,
             decisions=(Decision("forward", S.CHECKED, _("Checked, send to the district")), RETURN)),
        Step("review", _("District accepts the report"), states=(S.CHECKED,),
             actor=RoleAt(REVIEWER, _district), review_level=True, bulk=True, deadline_days=10,
             decisions=(Decision("accept", S.ACCEPTED, pgettext_lazy("report", "Accept")), RETURN)),
        Step("revise", _("Union revises the report"), states=(S.RETURNED,),
             actor=RoleAt(SUBMITTER, attrgetter("organisation")), deadline_days=10,
             # The union revises on the report's own form (resubmitting it there).
             form_url=own_page("congress:report_edit"),
             decisions=(Decision("resubmit", S.SUBMITTED, _("Resubmit")),)),
        Step("archive", _("District archives the report"), states=(S.ACCEPTED,),
             actor=RoleAt(DISTRICT_ADMIN, _district), deadline_days=20,
             decisions=(Decision("archive", S.ARCHIVED, _("Archive"), final=True),)),
    ),
    transitions=(
        Transition("submit", (S.DRAFT,), S.SUBMITTED, starts_flow=True, actor=RoleAt(SUBMITTER, attrgetter("organisation")),
                   refused_message=_("This report has been submitted already.")),
    ),
    roles=(SUBMITTER, REVIEWER, DISTRICT_ADMIN, CHAIR),
    subject=str,
    selector=_visible,
    before_decision=before_decision,
    after_decision=after_decision,
    after_transition=after_submit,
)

