"""A case's own form page (a new case, a draft, a returned case revised),
the same for every process whose case keeps its fields on its model: the
form in the process's sections, the attachments already on the case and
those held from a refused post, the returning comment over a returned
case, and the buttons its state allows (save a draft or submit; save or
resubmit a returned case, posted as `action`). The post is the engine's
form part (workflows.cases.form_page): the errors said with the chosen
files held; the process's `post(form)` saves through its services and
answers the redirect, or None when a rule refused it (said; the files it
held again on `form.held`, workflows.cases.form_page.save_case_form)."""

from django.shortcuts import render

from workflows.cases.form_page import form_errors_said


def bound(request):
    """The form's data: bound on any POST, even an empty one (an unbound
    form has no errors to show, nor the cleaned data held uploads read)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def case_form_page(request, case, form, *, post, title, heading, subtitle="", cancel_url, fixed=(), returned=False,
                   last_return=None, attachments=(), buttons=None, styles=(), scripts=(), context=None):
    """The page of `form`, whose `sections()` are [(legend, [bound fields],
    template to include)]; `fixed`: [(label, value)] shown, not posted (the
    union a case stays with); `returned`: the case came back for revision,
    `last_return` the history's entry saying why. `buttons`: [(action,
    label, class)] in place of the state's own (save a draft or submit);
    `styles` and `scripts`: static files the form's parts need (a scoring
    sheet's look and running totals); `context`: what those parts draw."""
    held = []
    if request.method == "POST":
        if form.is_valid():
            response = post(form)
            if response is not None:
                return response
            held = getattr(form, "held", [])
        else:
            held = form_errors_said(request, form)
    return render(request, "workflows/pages/case_form.html", {
        "case": case if case.pk else None, "form": form, "title": title, "heading": heading, "subtitle": subtitle,
        "cancel_url": cancel_url, "fixed": fixed, "returned": returned, "last_return": last_return,
        "attachments": attachments, "held": held, "buttons": buttons, "styles": styles, "scripts": scripts,
        **(context or {}),
    })
