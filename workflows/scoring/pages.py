"""The inspectors' two pages, the same for every process whose route sends
named inspectors: the district names a case's inspectors, and an inspector
fills their own sheet (made for a phone, on site). The process looks the
case up through its scoped selector (404 outside one's reach), says who may
act, and gives its service and its words; the pages, the refusals and the
totals are these::

    return assign_page(request, case, candidates=..., intro=_("Name two or more inspectors..."),
                       assign=lambda inspectors, version, ip: do_assign(case=case, ...))
    return sheet_page(request, case, inspection, items=..., rows=..., locked=..., version=...,
                      save=lambda answers, comment, submit, ip: do_save(...), heading=...)

A refused post comes back with what was chosen or typed and the reason
(HTTP 400), nothing saved."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip

from .forms import InspectorsForm, SheetForm
from .sheet import total_of
from .views import save_sheet


def assign_page(request, case, *, candidates, assign, intro, title, heading, subtitle=""):
    """The district chooses the case's inspectors among `candidates`;
    `assign(inspectors, version, ip)` is the process's service (each
    inspector gets a scoring task)."""
    # Bound on every POST, an empty one too: else it is refused with no
    # error to show, and answered 200.
    form = InspectorsForm(request.POST if request.method == "POST" else None, initial={"version": case.version},
                          candidates=candidates)
    if request.method == "POST":
        if form.is_valid():
            try:
                assign(list(form.cleaned_data["inspectors"]), form.cleaned_data["version"], client_ip(request))
            except RuleViolation as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Inspectors assigned; each has their own scoring task."))
                return redirect(case)
        messages.error(request, _("Nothing was saved: correct what is marked below."))
    return render(request, "workflows/scoring/assign.html", {
        "case": case, "form": form, "intro": intro, "title": title, "heading": heading, "subtitle": subtitle,
    }, status=400 if form.errors else 200)


def sheet_page(request, case, inspection, *, items, rows, locked, version, save, comment, title, heading,
               subtitle="", links=(), own=None):
    """An inspector's own sheet on the case: `rows` the saved score rows
    ({item id: row}), `locked` once submitted or past the step, `own` the
    applicant's self-assessment shown beside each item where the process
    has one; `save(answers, comment, submit, ip)` is the process's service.
    `links`: [(url, label)] under the heading."""
    form = SheetForm(request.POST or None, items=items, inspector=True, initial_rows=rows)
    status = 200
    if request.method == "POST" and not locked:
        if save_sheet(request, form, lambda answers, text, submit: save(answers, text, submit, client_ip(request))):
            return redirect(request.path)
        status = 400
        values = form.typed_values()
    else:
        values = {item_id: row.score for item_id, row in rows.items()}
    return render(request, "workflows/scoring/score.html", {
        "case": case, "inspection": inspection, "form": form, "locked": locked, "version": version,
        "sections": form.sections(values, own=own), "total": total_of(items, values),
        "comment": request.POST.get("comment", comment), "title": title, "heading": heading,
        "subtitle": subtitle, "links": links,
    }, status=status)
