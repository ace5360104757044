"""A form whose valid post runs the process's service, the same on every
process's page (an import, a replacement, a set-up): the form page
(workflows.pages.forms) until the post is valid; where the action is
final, the confirmation page first (the same data posted back with
`confirmed=1`); then `run(cleaned_data)`, whose answer is the page's (a
redirect, a file). A refusal of the service (RuleViolation) comes back
above the form with what was typed, HTTP 400."""

from workflows.exceptions import RuleViolation

from .forms import confirm_page, confirmed, form_page


def action_page(request, form, *, run, confirm=None, invalid=(), **page):
    """`confirm(cleaned_data)`: the confirmation page's `lines`, `submit`,
    `hidden`, `back_url` and `back_label` (None: the action runs at once);
    `invalid`: the messages above a form with errors; `page`: the form
    page's words (title, submit, intro, cancel_url, errors_heading ...)."""
    errors = []
    if request.method == "POST":
        if not form.is_valid():
            errors = list(invalid)
        elif confirm is not None and not confirmed(request):
            return confirm_page(request, title=page["title"], **confirm(form.cleaned_data))
        else:
            try:
                return run(form.cleaned_data)
            except RuleViolation as refusal:
                errors = refusal.message if isinstance(refusal.message, list) else [refusal.message]
    return form_page(request, form, errors=errors, status=400 if errors or form.errors else 200, **page)
