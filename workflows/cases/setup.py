"""Opening a round of a process from the app (a campaign, an evaluation
year, a reporting period), the same way for every process: the district
administrator fills the process's form; a confirmation page then shows what
the round will use and every unit it reaches; nothing is saved until that
page is confirmed. No JavaScript: the form's values travel back in hidden
fields with `confirmed=1`. A refusal of the process's service (a code
already taken, a standard of another district) comes back on the form
with what was typed, as a 400.

A process's view checks who may open a round, builds its form and calls::

    return round_setup_page(
        request, form, title=_("Open a campaign"), cancel_url=reverse("x:index"),
        facts=lambda form: [(_("Campaign"), form.instance.title), ...],
        units=lambda form: units_under(district, kinds),
        save=lambda form: do_open(form.instance, actor=request.user),
        done=lambda saved: _("The campaign is open."),
    )

`save` returns the saved round (the browser goes to its page); `header`
is a template included under the heading (the process's navigation);
`confirm` the confirming button's words; `reach(count)` the words over
the list of units, for a process whose units do more than apply ("N
unions will get a report due"). A form with a `sections()`
method, [(heading, intro, [bound fields], template to include)], is drawn
in those parts (a table of places, the deadlines of the steps); else
field by field."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation
from workflows.pages.forms import reposted


def round_setup_page(request, form, *, title, cancel_url, facts, units, save, done, header="", confirm=None,
                     reach=None):
    page = {"form": form, "title": title, "cancel_url": cancel_url, "header": header,
            "confirm": confirm or _("Open the campaign")}
    if request.method == "POST":
        if form.is_valid():
            if request.POST.get("confirmed") != "1":
                reached = list(units(form).select_related("parent"))
                return render(request, "workflows/round_confirm.html", {
                    **page, "facts": facts(form), "units": reached, "reach": reach and reach(len(reached)),
                    "back_url": request.path, "hidden": reposted(form),
                })
            try:
                saved = save(form)
            except RuleViolation as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, done(saved))
                return redirect(saved)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "workflows/round_form.html", page, status=400 if form.errors else 200)
