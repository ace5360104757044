"""The page where a department's officer gives its sign-off opinion on a
case, for any process with a sign-off step: the case's fields, the form
(agree, or refuse with a reason) and the process's service, which records
the answer through the engine's decision."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workflows.cases.revisions import field_rows
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip


def signoff_page(request, case, *, may_answer, answer, form_class, subject, subtitle):
    """`may_answer`: the page is the user's (an officer whose department has
    answered still sees it; answering again is a 409); `answer(agreed=,
    comment=, ip=)`: the process's service; `subject` and `subtitle`: how
    the page names the case."""
    if not may_answer:
        raise NotAllowed(_("This sign-off is not yours to give."))
    form = form_class(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                answer(agreed=form.cleaned_data["agreed"], comment=form.cleaned_data["comment"],
                       ip=client_ip(request))
            except RuleViolation as exc:
                form.add_error("comment", exc.message)
            else:
                messages.success(request, _("Your department's opinion is recorded."))
                return redirect(case)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "workflows/signoff.html", {
        "case": case, "subject": subject, "subtitle": subtitle, "form": form, "field_rows": field_rows(case),
    })
