"""Files of a form described as data, kept across a post that came back
with errors or a refusal (the engine's held files: workflows.attachments.
held): a browser never refills a file input, so what was chosen and passed
its checks is kept aside and listed on the re-rendered form
(templates/workflows/_held_attachments.html, given `form.held`), and the
next post that saves takes it.

A page calls `posted_back` on the bound form before validating it (a field
answered by kept files is not asked again, and a field of several files
counts them toward its most), `hold` when the form comes back with errors,
and wraps the service that saves in `saving`: the kept files are then on
`form.held_attachments`, each of the kind (the field's key) it was chosen
in, for the service to save with the new ones."""

from collections import Counter
from contextlib import contextmanager

from workflows.attachments import held as held_uploads
from workflows.attachments.fields import AttachmentField, MultipleAttachmentField, cleaned_uploads
from workflows.attachments.services import discard
from workflows.exceptions import RuleViolation


def _file_fields(form):
    return {name: field for name, field in form.fields.items() if isinstance(field, AttachmentField)}


def _mark(form, field_names):
    """Fields with kept files: a choice is no longer asked for (nor is the
    browser told the input is required), and they count toward a most."""
    fields = _file_fields(form)
    for name, count in Counter(field_names).items():
        if name in fields:
            fields[name].held = count
            fields[name].required = False


def posted_back(request, form):
    """Before `form` is validated: the kept files its post names (this
    session's only) stand for their fields."""
    kept = request.session.get(held_uploads.SESSION_KEY, {})
    _mark(form, [kept[key].get("field", "") for key in request.POST.getlist(held_uploads.FIELD) if key in kept])


def given_before(form, kinds):
    """A case's form filled again (a returned case revised): a required
    file field the case already holds a file of (`kinds`: its attachments'
    kinds) is answered by it; those files stay with the case, and what is
    chosen now joins them."""
    fields = _file_fields(form)
    for kind in set(kinds):
        if kind in fields:
            fields[kind].required = False


def hold(request, form):
    """After errors: the new files that passed their checks are kept with
    those posted back; `form.held` lists them all for the page."""
    form.held = held_uploads.hold(request, form)
    _mark(form, [item["field"] for item in form.held])
    return form.held


@contextmanager
def saving(request, form):
    """Around the service that saves a valid `form`: the kept files it
    posted back are taken (`form.held_attachments`). A kept file of a field
    of one file that a new file replaces, or of a field the form does not
    have, is left out. A refusal (RuleViolation) keeps them and the new
    files again for the next post; any other failure removes the copies
    taken. The service may list the new attachments it made on
    `form.made_attachments`: their files are removed on any failure."""
    fields = _file_fields(form)
    taken = held_uploads.take(request)
    kept, dropped = [], []
    for attachment in taken:
        field = fields.get(attachment.held_field)
        replaced = (field is not None and not isinstance(field, MultipleAttachmentField)
                    and cleaned_uploads(form, attachment.held_field))
        if field is None or replaced:
            dropped.append(attachment)
        else:
            attachment.kind = attachment.held_field[:50]
            kept.append(attachment)
    discard(dropped)
    form.held_attachments, form.made_attachments = kept, []
    try:
        yield
    except RuleViolation:
        discard(form.made_attachments)
        held_uploads.put_back(request, kept)
        hold(request, form)
        raise
    except BaseException:
        discard(form.made_attachments)
        discard(kept)
        raise
