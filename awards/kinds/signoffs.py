"""The departments' sign-offs of a case of a kind, on the engine's sign-off
requests (workflows.signoffs), as May Day's: the district's approval into
the sign-offs opens a round of requests, one per department the version's
route asks for the case's sector; the fan-out step opens one task per
pending request; each department answers on its own page (agree, or refuse
with its reason), and the answer and its opinion are written on its
request by the declaration's after_decision hook, in the decision's
transaction (the case's row locked first, the request's after it:
docs/lock-order.md). The requests are what a department's officers see the
case by, what they read its full ID number by, and what the case page's
panel and the printed form show."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.roles import Role
from workflows.models import Organisation, OrgKind
from workflows.security.identity_reads import grant_as_asked_department
from workflows.signoffs.answering import answer_signoff, record_answer
from workflows.signoffs.forms import SignoffForm
from workflows.signoffs.services import request_signoffs
from workflows.signoffs.views import signoff_page
from workflows.steps.actors import task_for

from .definition import case_sector, signing_for
from .models import KindCaseState

STEP = "signoffs"


def signing_codes(case):
    """The codes of the departments that sign off this case: those the
    version names for every sector or for the case's sector."""
    return signing_for(case.route, case_sector(case))


def signoff_departments(case):
    """The departments asked to sign off `case`: those of the case's
    district whose codes its version names for every sector or for the
    case's sector (signing_codes), in tree order."""
    return list(Organisation.objects.filter(path__startswith=case.campaign.district.path, kind=OrgKind.DEPARTMENT,
                                            code__in=signing_codes(case)).order_by("path"))


def after_decision(case, decision, actor, task):
    """From the declaration's after_decision hook. The approval that puts
    the case into the sign-offs opens a new round of requests (before the
    flow's split opens the tasks: one per pending request); a department's
    agreement or refusal is written on its request (record_answer ignores
    every other decision)."""
    if decision.target == KindCaseState.SIGNOFFS:
        request_signoffs(case, signoff_departments(case))
    record_answer(case, decision, actor, task)


def may_answer(user, case):
    """The page is the officer's whose department has a sign-off task of
    the case, or was asked (one that has answered still sees it; answering
    again is a 409)."""
    return (task_for(user, case, STEP) is not None
            or grant_as_asked_department(user, case, Role.DEPARTMENT) is not None)


@login_required
@require_http_methods(["GET", "POST"])
def case_signoff(request, pk):
    """A department's sign-off of a case: the engine's page, the case found
    through the kinds' scoped selector (404 outside the officer's reach)."""
    from .selectors import case_for

    case = case_for(request.user, pk)
    return signoff_page(
        request, case, subject=case.name,
        subtitle=f"{case.campaign.title} · {case.kind_version.title} · {case.organisation}",
        form_class=partial(SignoffForm, refuse_label=_("Refuse: the case is not granted"),
                           refuse_help=_("Required when refusing: the reason is shown on the case.")),
        may_answer=may_answer(request.user, case),
        answer=lambda **given: answer_signoff(case=case, actor=request.user, role=Role.DEPARTMENT, step=STEP,
                                              **given),
    )
