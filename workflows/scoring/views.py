"""The scoring standards' pages: the list, a version's sheet, its Excel
export and the import of a revised sheet. A district's standards are read
by everyone under it (a grassroots unit's submitter included: they hold no
role at the district itself) and written by its administrator; a version
outside the reader's districts is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workflows.documents.xlsx import xlsx_response
from workflows.exceptions import RuleViolation
from workflows.models import Standard, StandardVersion
from workflows.organisations.access import memberships
from workflows.organisations.administration import administered_district_ids

from .excel import parse_standard_xlsx, standard_xlsx
from .forms import StandardImportForm
from .sheet import Incomplete, section_totals
from .standards import standard_revise

MAX_UPLOAD = 2 * 1024 * 1024


def save_sheet(request, form, save):
    """An inspector's sheet (SheetForm) posted to the process's page:
    `save(answers, comment, submit)`, the process's service, runs when the
    form is valid; a refused submission (Incomplete) puts each message on
    its item. True when saved (the caller redirects); False when the sheet
    is to be shown again with what was typed and why."""
    submit = request.POST.get("action") == "submit"
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below; nothing was saved."))
        return False
    # A NUL means nothing in a remark, and PostgreSQL refuses it.
    comment = request.POST.get("comment", "").replace("\x00", "")[:2000]
    try:
        save(form.answers(), comment, submit)
    except Incomplete as refusal:
        for item, message in refusal.errors:
            form.error_for(item, message)
        messages.error(request, _("Not submitted, nothing saved: %(why)s") % {"why": refusal.message})
        return False
    messages.success(request, _("Your scores are submitted.") if submit else _("Scores saved."))
    return True


def districts_above(user):
    """The districts over any of the user's organisations."""
    return {m.organisation.ancestor_ids[0] for m in memberships(user)}


def version_for(user, pk):
    return get_object_or_404(StandardVersion.objects.select_related("standard"), pk=pk,
                             standard__district_id__in=districts_above(user))


@login_required
@require_GET
def standard_list(request):
    standards = Standard.objects.filter(district_id__in=districts_above(request.user)).prefetch_related("versions")
    return render(request, "workflows/scoring/standard_list.html", {"standards": standards})


@login_required
@require_GET
def standard_detail(request, pk):
    version = version_for(request.user, pk)
    return render(request, "workflows/scoring/standard_detail.html", {
        "version": version, "sections": section_totals(list(version.ordered_items()), {}),
        "users": [used_by for qs in version.users() for used_by in qs],
        "is_district_admin": version.standard.district_id in administered_district_ids(request.user),
        "import_form": StandardImportForm(),
    })


@login_required
@require_GET
def standard_export(request, pk):
    version = version_for(request.user, pk)
    return xlsx_response(standard_xlsx(version), f"standard-{version.standard.code}-v{version.number}.xlsx")


@login_required
@require_POST
def standard_import(request, pk):
    """A new content for the standard from an Excel sheet: a new version if
    the current one is in use. Errors name the rows; nothing is changed."""
    version = version_for(request.user, pk)
    form = StandardImportForm(request.POST, request.FILES)
    errors = []
    if not form.is_valid():
        errors = [_("Choose an Excel file (.xlsx).")]
    else:
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            errors = [_("The sheet is larger than 2 MB.")]
        else:
            data, errors = parse_standard_xlsx(upload)
            if not errors:
                try:
                    new = standard_revise(standard=version.standard, data=data, actor=request.user,
                                          action="workflows.standard.imported")
                except RuleViolation as exc:
                    errors = [exc.message]
                else:
                    messages.success(request, _("Imported as version %(n)d.") % {"n": new.number})
                    return redirect("standard_detail", pk=new.pk)
    for error in errors[:50]:
        messages.error(request, str(error))
    return redirect("standard_detail", pk=version.pk)
