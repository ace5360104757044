"""One form page and one confirmation page for every process's set-up,
import and edit forms (opening a round for chosen units, setting up a
case, importing a sheet, closing a year): the process gives its form,
its words and what the action does; the pages look and behave the same
everywhere. A final action asks first on the confirmation page, which
posts the same data back with `confirmed=1` (no script needed)."""

from django.shortcuts import render
from django.utils.translation import gettext

CONFIRMED = "confirmed"


def confirmed(request):
    """Did the post come from the confirmation page? ("yes": as a page drawn
    before the pages were one posts it.)"""
    return request.POST.get(CONFIRMED) in ("1", "yes")


def form_page(request, form, *, title, heading=None, intro="", intro_link=None, back_link=None, submit,
              cancel_url="", hidden=(), errors=(), errors_heading="", status=None):
    """The form, with its errors and what was typed. `errors`: a list of
    messages above the form (an import's wrong rows, under `errors_heading`),
    answered with HTTP 400. `hidden`: [(name, value)] posted with it (the
    version the page was drawn from); links are (url, text)."""
    return render(request, "workflows/pages/form.html", {
        "form": form, "title": title, "heading": heading or title, "intro": intro, "intro_link": intro_link,
        "back_link": back_link, "submit": submit, "cancel_url": cancel_url, "hidden": hidden,
        "errors": errors, "errors_heading": errors_heading,
    }, status=status or (400 if errors else 200))


def reposted(form):
    """[(name, value)] of what `form` was posted with, to post it again from
    the confirmation page (a field with many values gives many pairs)."""
    return [(form.add_prefix(name), value) for name in form.fields
            for value in form.data.getlist(form.add_prefix(name))]


def confirm_page(request, *, title, heading=None, lines=(), items=(), aside=(), aside_title="", hidden=(), submit,
                 back_url, back_label=None, style="primary", status=200):
    """Asks once more before a final action (a withdrawal, a bulk action,
    opening a notice or a period): `lines` say what will happen, `items`
    are listed under them and `aside` under `aside_title` (what the action
    leaves out); `hidden` [(name, value)] is posted back with
    `confirmed=1`; `style` the button's class ("danger"). The one
    confirmation page of the engine: `confirmed(request)` reads it."""
    return render(request, "workflows/pages/confirm.html", {
        "title": title, "heading": heading or title, "lines": lines, "items": items, "aside": aside,
        "aside_title": aside_title, "hidden": hidden, "submit": submit, "back_url": back_url,
        "back_label": back_label or gettext("Cancel"), "style": style, "confirmed_field": CONFIRMED,
    }, status=status)
