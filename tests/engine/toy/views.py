"""The toy's pages built on the engine's page parts: its campaign's
places and mix rules (workflows.quotas.rules_page), its inspectors'
pages (workflows.scoring.pages) and a sign-off page
(workflows.signoffs). As a process does: the object is found
through the process's own reach (404 outside it), the engine does the rest."""

from functools import partial

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import engines
from django.views.decorators.http import require_http_methods

from tests.engine.toy import scoring
from tests.engine.toy.declaration import ADMIN, DEPARTMENT, INSPECTOR, TOY
from tests.engine.toy.models import ToyCampaign, ToyCase
from workflows.attachments.fields import AttachmentField
from workflows.attachments.services import attach, from_upload
from workflows.cases.case_form_page import bound, case_form_page
from workflows.cases.case_page import case_page_context
from workflows.cases.form_page import save_case_form
from workflows.exceptions import RuleViolation
from workflows.cases.scoped import case_or_404
from workflows.models import StandardVersion
from workflows.organisations.access import district_of, has_role
from workflows.quotas.rules_page import rules_page
from workflows.scoring.inspections import inspector_candidates
from workflows.scoring.pages import assign_page, sheet_page
from workflows.scoring.remedies import REMEDIES, remedy_forms, take_remedy
from workflows.security.identity_reads import grant_as_asked_department
from workflows.signoffs.answering import answer_signoff
from workflows.signoffs.forms import SignoffForm
from workflows.signoffs.services import asked_cases_q
from workflows.signoffs.views import signoff_page
from workflows.steps.actors import task_for


@login_required
def campaign_rules(request, code):
    return rules_page(request, get_object_or_404(ToyCampaign, code=code), all_label="All sizes",
                      refusal="Only the district administrator sets the toy's places and rules.",
                      help_text="e.g. Large grants: at most 40 per cent")


# The inspectors' pages ----------------------------------------------------

def _case(request, pk):
    """The case through the toy's reach (its organisations' cases, those the
    user is named to inspect): 404 outside it."""
    return get_object_or_404(TOY.selector(request.user), pk=pk)


def _candidates(case):
    return inspector_candidates(district_of(case.organisation), [str(INSPECTOR)])


@login_required
@require_http_methods(["GET", "POST"])
def case_assign(request, pk, version_pk):
    case = _case(request, pk)
    standard_version = get_object_or_404(StandardVersion, pk=version_pk)
    return assign_page(
        request, case, candidates=_candidates(case), intro="Name two or more inspectors.",
        title="Assign inspectors", heading=f"Assign inspectors · {case.title}",
        assign=lambda inspectors, version, ip: scoring.assign(
            case=case, actor=request.user, inspectors=inspectors, standard_version=standard_version,
            version=version, ip=ip))


@login_required
@require_http_methods(["GET", "POST"])
def case_score(request, pk):
    case = _case(request, pk)
    inspection = get_object_or_404(case.inspections.select_related("version"), inspector=request.user)
    return sheet_page(
        request, case, inspection, items=list(inspection.version.ordered_items()),
        rows={s.item_id: s for s in inspection.scores.all()}, locked=inspection.is_submitted,
        version=inspection.version, comment=inspection.comment, title="Scoring",
        heading=f"Scoring {case.title}",
        save=lambda answers, comment, submit, ip: scoring.save(
            inspection=inspection, actor=request.user, answers=answers, comment=comment, submit=submit, ip=ip))


REMEDIES_PAGE = ('{% extends "base.html" %}{% block content %}'
                 '{% include "workflows/scoring/_remedies.html" %}{% endblock %}')


@login_required
@require_http_methods(["GET", "POST"])
def case_remedies(request, pk):
    """The district's remedies on a case; a refusal draws the forms again
    with what was chosen and typed."""
    case = _case(request, pk)
    if not has_role(request.user, ADMIN, district_of(case.organisation)):
        raise Http404()
    chosen = request.POST.get("remedy") if request.method == "POST" else None
    forms = remedy_forms(case, data=request.POST, chosen=chosen,
                         submitted=case.inspections.filter(submitted_at__isnull=False).select_related("inspector"),
                         # Every inspector of the district: one already inspecting
                         # is refused by the service (its words shown).
                         candidates=_candidates(case))
    if chosen in REMEDIES and take_remedy(
            request, forms,
            rescore=lambda inspection, reason, version, ip: scoring.rescore(
                case=case, actor=request.user, inspection=inspection, reason=reason, version=version, ip=ip),
            add_inspector=lambda user, reason, version, ip: scoring.add_inspector(
                case=case, actor=request.user, user=user, reason=reason, version=version, ip=ip)):
        return redirect(request.path)
    return HttpResponse(engines["django"].from_string(REMEDIES_PAGE).render(
        {"rescore_form": forms[0], "third_form": forms[1], "remedy_url": request.path}, request))


# A sign-off on the toy's fan-out step --------------------------------------

def _signoff(request, pk, *, role, step):
    """The engine's sign-off page on the toy's `step`; an officer of a
    department asked (workflows signoffs' requests, `role`) who holds no
    task is told the sign-off was given. Such an officer reaches the case
    through the sign-off requests of their department, as a process's
    selector does."""
    reach = ToyCase.objects.filter(pk__in=TOY.selector(request.user).values("pk"))
    case = get_object_or_404(reach | ToyCase.objects.filter(asked_cases_q(request.user, ToyCase, str(role))), pk=pk)
    return signoff_page(
        request, case, subject=case.title, subtitle=case.organisation.name,
        form_class=partial(SignoffForm, refuse_label="Refuse: the application stops",
                           refuse_help="Required when refusing: the reason is shown on the case."),
        may_answer=task_for(request.user, case, step) is not None
        or grant_as_asked_department(request.user, case, str(role)) is not None,
        answer=lambda **given: answer_signoff(case=case, actor=request.user, role=str(role), step=step, **given))


@login_required
@require_http_methods(["GET", "POST"])
def case_signoff(request, pk):
    """On the toy's "inspect" step (a fan-out whose decisions are agree and
    refuse): each named inspector answers as a department would."""
    return _signoff(request, pk, role=INSPECTOR, step="inspect")


@login_required
@require_http_methods(["GET", "POST"])
def case_departments(request, pk):
    """On the toy's declared "signoff" step: each department asked answers."""
    return _signoff(request, pk, role=DEPARTMENT, step="signoff")


@login_required
def case_page(request, pk):
    """The toy's case page: the engine's page, which every process's extends
    (a confirmation's Cancel comes back here); 404 outside the user's reach."""
    case = case_or_404(TOY, request.user, pk)
    return render(request, "workflows/case_page.html", case_page_context(case))


# A new case on the engine's case form page, with the process's own buttons --

class ToyCaseForm(forms.ModelForm):
    attachments = AttachmentField(required=False, label="Attachment")

    class Meta:
        model = ToyCase
        fields = ["title"]

    def sections(self):
        return [(None, [self["title"]], "workflows/pages/_case_form_attachments.html")]


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """A toy case handed in from its form; the title "refused" is refused by
    the toy's rule, the chosen file held again for the next post."""
    case = ToyCase(organisation=request.user.memberships.first().organisation, created_by=request.user)
    form = ToyCaseForm(*bound(request), instance=case)

    def save(attachments, ip):
        case.save()
        attach(case, attachments, actor=request.user)
        if case.title == "refused":
            raise RuleViolation("The toy refuses this title.")

    def post(form):
        uploads = [from_upload(form.cleaned_data["attachments"])] if form.cleaned_data["attachments"] else []
        return save_case_form(request, case, uploads, save, "Handed in.", form=form)
    return case_form_page(request, case, form, post=post, title="New toy case", heading="New toy case",
                          cancel_url="/toy/", buttons=[("hand_in", "Hand in the toy case", "primary")],
                          styles=["css/score-sheet.css"], scripts=["js/score-totals.js"],
                          context={"toy_note": "drawn by a part"})
