"""The working body's and the superior union's pages. Thin: evaluations
come from selectors (another branch's is a 404), changes go through the
services (NotAllowed → 403, AlreadyHandled → 409 by the middleware,
RuleViolation → the form again with the message and what was typed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workflows.cases.case_page import case_page_context
from workflows.documents.case_documents import document_response
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.pages.action import action_page
from workflows.pages.roll import roll_page
from workflows.steps.case_buttons import case_buttons
from workflows.steps.decision_page import decision_page
from workflows.steps.decisions import buttons_for

from . import documents, selectors, services
from .forms import CodesForm, EvaluationForm, LostSlipForm, VoterImportForm
from .hooks import plan_problems
from .models import (
    EDITABLE_STATES, PAPER_STATES, PRINT_STATES, REPLACE_STATES, RESULT_STATES, SLIP_STATES, Evaluation,
    EvaluationState, Grade,
)
from .roles import WORKING_BODY
from .tally import recorded_tally
from .voters import do_import_voters
from .weights import categories_of

@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request):
    organisations = selectors.organisations_for_new_evaluation(request.user)
    if not organisations.exists():
        raise NotAllowed(_("Only a unit's union (its submitter or chair) sets up an evaluation."))
    form = EvaluationForm(request.POST or None, organisations=organisations,
                          initial={"year": timezone.localdate().year})

    def save(data):
        evaluation = Evaluation(organisation=data["organisation"], **form.plan())
        services.do_create_evaluation(evaluation=evaluation, cadres=data["cadres_text"], tellers=data["tellers"],
                                      actor=request.user, ip=client_ip(request))
        messages.success(request, _("The evaluation “%(title)s” is set up as a draft.") % {"title": evaluation.title})
        return redirect(evaluation)
    return action_page(request, form, run=save, invalid=[_("Please correct the errors below.")],
                       title=_("Set up an evaluation"), submit=_("Save"), cancel_url=reverse("cadres:evaluation_list"))


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request, code):
    evaluation = selectors.get_evaluation_for(request.user, code)
    WORKING_BODY.check(request.user, evaluation)
    if evaluation.state not in EDITABLE_STATES:
        messages.error(request, _("The plan is with the superior union or approved: it can no longer be changed."))
        return redirect(evaluation)
    form = EvaluationForm(request.POST or None, instance=evaluation,
                          organisations=selectors.organisations_for_new_evaluation(request.user))

    def save(data):
        services.do_update_evaluation(
            evaluation=evaluation, fields=form.plan(), cadres=data["cadres_text"], tellers=data["tellers"],
            actor=request.user, version=request.POST.get("version"), ip=client_ip(request))
        messages.success(request, _("Saved."))
        return redirect(evaluation)
    return action_page(request, form, run=save, invalid=[_("Please correct the errors below.")],
                       title=_("Change the evaluation"), heading=evaluation.title, submit=_("Save"),
                       hidden=[("version", evaluation.version)], cancel_url=evaluation.get_absolute_url())


@login_required
@require_GET
def evaluation_detail(request, code):
    evaluation = selectors.get_evaluation_for(request.user, code)
    working_body = WORKING_BODY.holds(request.user, evaluation)
    # The declared decisions this user may take now, and the district's reopening of the count.
    buttons = buttons_for(request.user, evaluation, transitions=("reopen_count",))
    codes = evaluation.codes.all()
    return render(request, "cadres/evaluation_detail.html", {
        **case_page_context(evaluation),
        "evaluation": evaluation, "cadres": list(evaluation.cadres.all()), "working_body": working_body,
        "decisions": [b for b in buttons if b.code != "reopen_count"],
        "reopen": [b for b in buttons if b.code == "reopen_count"],
        "may_edit": working_body and evaluation.state in EDITABLE_STATES,
        "may_submit": working_body and evaluation.state == EvaluationState.DRAFT,
        "plan_problems": plan_problems(evaluation) if evaluation.state in EDITABLE_STATES else [],
        "may_print": working_body and evaluation.state in PRINT_STATES,
        "may_replace": working_body and evaluation.state in REPLACE_STATES,
        # How many codes were used, never which (nothing lists used codes).
        "codes_total": codes.filter(voided=False).count(), "codes_used": codes.filter(used=True).count(),
        "codes_voided": codes.filter(voided=True).count(),
        "voters_total": evaluation.voters.count(), "voters_signed_in": evaluation.voters.filter(signed_in=True).count(),
        "tellers": list(evaluation.tellers.all()),
        "paper_open": evaluation.state in PAPER_STATES,
        "result": recorded_tally(evaluation) if evaluation.state in RESULT_STATES and evaluation.outcome else None,
        "vote_url": documents.voting_url(evaluation),
        "grade_choices": Grade.choices,
        "codes_form": CodesForm(initial={"count": max(evaluation.entitled_count - codes.count(), 1)},
                                categories=categories_of(evaluation)),
    })


@login_required
@require_POST
def evaluation_submit(request, code):
    evaluation = selectors.get_evaluation_for(request.user, code)
    try:
        services.do_submit_plan(evaluation=evaluation, actor=request.user, version=request.POST.get("version"),
                                ip=client_ip(request))
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The plan has gone to the superior union."))
    return redirect(evaluation)


def evaluation_decide(request, code):
    """A step's decision: the engine's decision page (a final one is
    confirmed on a page of its own; closing a vote below its quorum shows
    the figures there and wants them acknowledged). The district's
    reopening of a sealed count is a transition, not a step's decision:
    the engine's case buttons take it, confirmed with its reason, which
    the public page shows."""
    if not request.user.is_authenticated:
        return decision_page(request, None)  # the login page
    evaluation = selectors.get_evaluation_for(request.user, code)
    if request.method != "POST" or request.POST.get("decision") != "reopen_count":
        return decision_page(request, evaluation)
    _buttons, _form, response = case_buttons(
        request, evaluation, transitions=("reopen_count",),
        take=lambda _code, reason, ip: services.do_reopen_count(
            evaluation=evaluation, actor=request.user, reason=reason, version=evaluation.version, ip=ip),
        done_message=lambda _code: _("Done: %(decision)s.") % {"decision": _("Reopen the count for a recount")},
        confirm_note=_("The reason is shown on the public results page."))
    return response or redirect(evaluation)


@login_required
@require_http_methods(["GET", "POST"])
def voters_import(request, code):
    evaluation = selectors.get_evaluation_for(request.user, code)
    WORKING_BODY.check(request.user, evaluation)

    def run(data):
        count = do_import_voters(evaluation=evaluation, upload=data["file"], actor=request.user, ip=client_ip(request))
        messages.success(request, _("%(count)s voters imported; the entitled count is now %(count)s.") % {"count": count})
        return redirect(evaluation)
    return action_page(request, VoterImportForm(request.POST or None, request.FILES or None), run=run,
                       title=_("Import the voter list"), submit=_("Import"),
                       back_link=(evaluation.get_absolute_url(), evaluation.title),
                       errors_heading=_("Nothing was imported. Correct these rows and upload the sheet again:"))


@login_required
@require_http_methods(["GET", "POST"])
def voters_sign_in(request, code):
    """The roll at the meeting (the engine's roll call): who came (实到). Not
    linked to any slip."""
    evaluation = selectors.get_evaluation_for(request.user, code)
    working_body = WORKING_BODY.holds(request.user, evaluation)
    columns = [(_("Name"), lambda v: v.name), (_("Department"), lambda v: v.department),
               (_("Staff number"), lambda v: v.staff_number)]
    if evaluation.category_weights:
        columns.append((_("Rater category"), lambda v: v.category))
    return roll_page(
        request, evaluation, evaluation.voters.all(), search=("name", "department", "staff_number"), columns=columns,
        may_keep=working_body, may_sign=working_body and evaluation.state in SLIP_STATES, field="voter",
        sign=lambda voter, present: services.do_sign_in_voter(voter=voter, signed_in=present, actor=request.user),
        refused=_("Only the unit's union (its submitter or chair) may do this."),
        note=_("The roll records who came; it is never linked to a slip or a ballot."), empty=_("No voter list yet."))


@login_required
@require_POST
def codes_generate(request, code):
    evaluation = selectors.get_evaluation_for(request.user, code)
    form = CodesForm(request.POST, categories=categories_of(evaluation))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(evaluation)
    try:
        services.do_generate_codes(evaluation=evaluation, count=form.cleaned_data["count"], actor=request.user,
                                   ip=client_ip(request), category=form.cleaned_data.get("category", ""))
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)s voting codes generated.") % {"count": form.cleaned_data["count"]})
    return redirect(evaluation)


@login_required
@require_POST
def slips_print(request, code):
    """The codes as slips (PDF), before the vote opens only. The working
    body's only; audited with the count."""
    evaluation = selectors.get_evaluation_for(request.user, code)
    WORKING_BODY.check(request.user, evaluation)
    try:
        html = documents.print_unused_slips(evaluation, actor=request.user, ip=client_ip(request))
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect(evaluation)
    return documents.slips_response(request, evaluation, html, "slips")


@login_required
@require_http_methods(["GET", "POST"])
def slip_replace(request, code):
    """A lost slip: its code is voided and a new code printed on one slip
    (PDF), after a confirmation. The working body's only; audited."""
    evaluation = selectors.get_evaluation_for(request.user, code)
    WORKING_BODY.check(request.user, evaluation)
    if evaluation.state not in REPLACE_STATES:
        messages.error(request, _("Lost slips are replaced from the approval of the plan until the vote closes."))
        return redirect(evaluation)
    what = _("The code of the lost slip is voided (it can no longer vote) and a new code is printed on one slip for "
             "the voter. Both are recorded in the evaluation's history with your name. A slip that has already "
             "voted cannot be replaced.")

    def replace(data):
        new = services.do_replace_lost_slip(evaluation=evaluation, lost_code=data["code"], actor=request.user,
                                            ip=client_ip(request))
        new_slip = documents.slips_html(evaluation, [new])
        return documents.slips_response(request, evaluation, new_slip, "replacement-slip")
    return action_page(
        request, LostSlipForm(request.POST or None), run=replace, invalid=[_("Please correct the errors below.")],
        confirm=lambda data: {
            "hidden": [("code", data["code"])], "back_url": evaluation.get_absolute_url(), "back_label": _("Cancel"),
            "submit": _("Void it and print the new slip (PDF)"),
            "lines": [evaluation.title, what, _("Confirm: void the slip %(code)s and print a new one. This cannot be "
                                                "undone.") % {"code": data["code"]}]},
        title=_("Replace a lost slip"), intro=f"{evaluation.title} · {what}", submit=_("Continue"),
        cancel_url=evaluation.get_absolute_url())


@login_required
@require_GET
def result_sheet(request, code, fmt):
    """The result sheet (PDF, Excel), once the ballots are tallied."""
    return document_response(request, "cadres", "results", selectors.get_evaluation_for(request.user, code), fmt)
