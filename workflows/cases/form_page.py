"""A case's own form (a new case, a draft, a returned case revised) as
every process's page posts it: the form's errors said with the chosen
files held for the next post (a browser never refills a file input), and
the save that takes the held and the new files together, all or nothing."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from workflows.attachments import held as held_uploads
from workflows.attachments import services as attachment_services
from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip


def form_errors_said(request, form):
    """The error message, and the chosen files that passed their checks
    kept for the next post; returns them (the page lists them)."""
    messages.error(request, _("Please correct the errors below."))
    held = held_uploads.hold(request, form)
    if held:
        messages.info(
            request,
            _("The attachments you chose are kept and will be saved with the form: %(names)s.")
            % {"names": "、".join(item["name"] for item in held)},
        )
    return held


def save_case_form(request, case, new_attachments, save, done, *, form):
    """Run `save(attachments, ip)` (the process's services: the draft, and
    a submission in the same transaction) with the files kept from an
    earlier post and `new_attachments`. A refusal leaves nothing behind,
    not even the draft: the chosen files are held again for the next post
    (listed from `form.held`, so nothing typed or chosen is lost), a new
    case is unsaved again, the reason is said and None returned. Else
    `done` is said and the case's page follows."""
    taken = held_uploads.take(request)
    attachments = taken + list(new_attachments)
    was_new = case.pk is None
    try:
        with transaction.atomic():
            save(attachments, client_ip(request))
    except RuleViolation as exc:
        if was_new:
            case.pk = None
            case._state.adding = True
        messages.error(request, exc.message)
        attachment_services.discard(attachments[len(taken):])
        held_uploads.put_back(request, taken)
        form.held = held_uploads.hold(request, form)
        return None
    except BaseException:
        attachment_services.discard(attachments)
        raise
    messages.success(request, done)
    return redirect(case)
