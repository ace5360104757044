"""The route of a report to the workers' congress, declared once (see
workflows.steps.declaration): drafted → submitted → the intermediate union
checks → the district accepts or returns with comments → archived.

Until the shared engine runs declarations, evaluations.congress.services
reads this declaration to check every state change, its actor and its
comment; the deadlines of the steps feed the reminders
(evaluations.congress.reminders)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflows.organisations.access import district_of
from workflows.models import Role
from workflows.steps.declaration import Decision, Process, RoleAt, Step, Transition

from .models import ReportState as S


def _union(report):
    return report.organisation


def _intermediate(report):
    return report.organisation.parent


def _district(report):
    return district_of(report.organisation)


def _district_admins(organisation):
    from django.contrib.auth import get_user_model

    district = district_of(organisation)
    return get_user_model().objects.filter(
        memberships__role=Role.DISTRICT_ADMIN, memberships__organisation=district, is_active=True
    ).distinct()


def _subject(report):
    return f"{report.kind.name} · {report.organisation.name}"


REPORT_PROCESS = Process(
    key="congress_report",
    model="congress.Report",
    title=_("Report to the workers' congress"),
    action_prefix="congress.report",
    initial=S.DRAFT,
    final_states=(S.ARCHIVED,),
    steps=(
        Step("check", _("Intermediate union checks the report"), states=(S.SUBMITTED,),
             actor=RoleAt(Role.REVIEWER, _intermediate), review_level=True, bulk=True, deadline_days=5,
             decisions=(
                 Decision("forward", S.CHECKED, _("Checked, send to the district")),
                 Decision("return", S.RETURNED, _("Return with comments"), comment_required=True,
                          comment_message=_("Say what must be corrected before returning the report.")),
             )),
        Step("review", _("District accepts the report"), states=(S.CHECKED,),
             actor=RoleAt(Role.REVIEWER, _district), review_level=True, bulk=True, deadline_days=10,
             escalate_to=_district_admins,
             decisions=(
                 Decision("accept", S.ACCEPTED, pgettext_lazy("report", "Accept")),
                 Decision("return", S.RETURNED, _("Return with comments"), comment_required=True,
                          comment_message=_("Say what must be corrected before returning the report.")),
             )),
        Step("revise", _("Union revises the report"), states=(S.RETURNED,),
             actor=RoleAt(Role.SUBMITTER, _union), deadline_days=10,
             decisions=(Decision("resubmit", S.SUBMITTED, _("Resubmit")),)),
        Step("archive", _("District archives the report"), states=(S.ACCEPTED,),
             actor=RoleAt(Role.DISTRICT_ADMIN, _district), deadline_days=20, escalate_to=_district_admins,
             decisions=(Decision("archive", S.ARCHIVED, _("Archive"), final=True),)),
    ),
    transitions=(
        Transition("submit", (S.DRAFT,), S.SUBMITTED, starts_flow=True),
    ),
    roles={
        Role.SUBMITTER: _("Submitter"),
        Role.REVIEWER: _("Reviewer"),
        Role.DISTRICT_ADMIN: _("District administrator"),
    },
    subject=_subject,
)
