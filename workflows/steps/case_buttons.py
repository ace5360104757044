"""The buttons on a case's own page: the step's decisions and the declared
transitions its creator takes there (hand in, withdraw), posted to the
page with the version it showed. A step's decision goes to the one
decision page (workflows.steps.decision_page); a transition is taken here,
by the process's service, with the same contract: a final one asks once
more on a confirmation page, a refusal is said on the page, a stale form
is refused (AlreadyHandled, 409)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.steps.decision_page import decision_page
from workflows.steps.decisions import buttons_for


class CaseButtonForm(forms.Form):
    """Any button on a case's page. Whether this user may take it now is
    the service's question, not the form's."""

    decision = forms.SlugField(max_length=40, widget=forms.HiddenInput)
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Set by the confirmation page of a final decision ("yes": as a page
    # drawn before the confirmation pages were one posts it).
    confirmed = forms.CharField(required=False, max_length=3, widget=forms.HiddenInput)

    def __init__(self, *args, comment_help="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = comment_help


def case_buttons(request, case, *, transitions, take, done_message, comment_help="", aliases=None,
                 confirm_note=""):
    """(buttons, form, response) for the case's page. `transitions`: the
    codes of the declared transitions taken on the page; `take(code,
    comment, ip)`: the process's service for them; `aliases`: old codes a
    bookmarked form may still post; `confirm_note`: a line the confirmation
    of a final one says (what follows from it). A response (a redirect, a confirmation,
    the decision page) is returned as it is; None: draw the page with the
    form (its errors said)."""
    posted = request.POST.get("decision")
    if request.method == "POST" and posted not in transitions:
        if aliases and posted in aliases:
            request.POST = request.POST.copy()
            request.POST["decision"] = aliases[posted]
        return [], None, decision_page(request, case)
    buttons = buttons_for(request.user, case, transitions=transitions)
    form = CaseButtonForm(request.POST or None, initial={"version": case.version}, comment_help=comment_help)
    if request.method != "POST":
        return buttons, form, None
    if form.is_valid():
        data = form.cleaned_data
        chosen = next((b for b in buttons if b.code == data["decision"]), None)
        if chosen is not None and chosen.final and data["confirmed"] not in ("1", "yes"):
            return buttons, form, render(request, "workflows/confirm_decision.html", {
                "case": case, "decision": chosen, "comment": data["comment"], "version": data["version"],
                "back_url": request.path, "case_url": case.get_absolute_url(), "note": confirm_note,
            })
        # The version the user saw: a case that moved meanwhile is refused (409).
        case.version = data["version"]
        try:
            take(data["decision"], data["comment"], client_ip(request))
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done_message(data["decision"]))
            return buttons, form, redirect(case)
    elif {"version", "decision"} & set(form.errors):
        messages.error(request, _("The page was out of date. Reload it and decide again."))
    else:
        messages.error(request, _("Please correct the errors below."))
    return buttons, form, None
