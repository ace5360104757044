"""The district administrator's pages for kinds of campaign: the list,
the editor (new kind or revision), a kind's page with its versions and
history, export to a file and import from one. Another district's kind is
a 404, as is every page for someone who administers no district."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workflows.audit import history_of
from workflows.dataforms.palette import PALETTE
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.models import Organisation, OrgKind
from workflows.organisations.administration import administered_districts

from . import services
from .forms import FieldRowFormSet, KindForm, from_definition, kept_rows, to_definition
from .routes import APPLICANTS, ROUTES
from .starter_kinds import STARTERS, starter as starter_of

# A kind's file is a page of JSON: anything larger is not one.
IMPORT_MAX_BYTES = 256 * 1024


def _district(user):
    districts = administered_districts(user)
    if not districts:
        raise Http404()
    return districts[0]


def _kind(user, pk):
    return get_object_or_404(services.kinds_of(user).select_related("district"), pk=pk)


def _departments(district):
    return Organisation.objects.filter(path__startswith=district.path, kind=OrgKind.DEPARTMENT).order_by("name")


@login_required
@require_GET
def kind_list(request):
    district = _district(request.user)
    kinds = services.kinds_of(request.user).order_by("code")
    return render(request, "kinds/kind_list.html", {"district": district, "kinds": kinds, "starters": STARTERS})


def _editor(request, *, kind=None, starter=None):
    district = kind.district if kind else _district(request.user)
    departments = _departments(district)
    current = kind.current_version if kind else None
    problems = []
    if request.method == "POST":
        form = KindForm(request.POST, departments=departments, editing=kind is not None,
                        initial={"code": kind.code} if kind else None)
        formset = FieldRowFormSet(request.POST, prefix="fields")
        if form.is_valid() and formset.is_valid():
            definition = to_definition(form, formset)
            try:
                if kind is None:
                    version = services.do_create_kind(district=district, code=form.cleaned_data["code"],
                                                      definition=definition, actor=request.user,
                                                      ip=client_ip(request))
                else:
                    version = services.do_revise_kind(kind=kind, definition=definition, actor=request.user,
                                                      ip=client_ip(request), base=form.cleaned_data["base"] or None)
            except services.KindProblems as error:
                problems = describe_problems(error.problems, definition,
                                             row_numbers=[number for number, _row in kept_rows(formset)])
            except (NotAllowed, RuleViolation) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved as version %(number)s of “%(title)s”.")
                                 % {"number": version.number, "title": version.title})
                return redirect("kinds:detail", pk=version.kind_id)
    else:
        if current is not None:
            initial, rows = from_definition(kind.code, current.definition)
            initial["base"] = current.fingerprint
        elif starter is not None:
            # The starter's code and title come filled in, editable like the rest.
            initial, rows = from_definition(starter.code, starter.definition_for(district))
        else:
            initial, rows = {"route": "honour", "applicant": "person", "approved_list": True,
                             "outcomes": "granted|授予|+\nrefused|不予授予"}, []
        form = KindForm(initial=initial, departments=departments, editing=kind is not None)
        formset = FieldRowFormSet(initial=rows, prefix="fields")
    return render(request, "kinds/kind_form.html", {
        "form": form, "formset": formset, "kind": kind, "current": current, "problems": problems,
        "district": district, "starters": STARTERS if kind is None else (), "starter": starter,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def kind_create(request):
    """A new kind, blank or (?starter=code, on a GET) filled from a starter."""
    starter = None
    if request.method == "GET" and request.GET.get("starter"):
        starter = starter_of(request.GET["starter"])
        if starter is None:
            raise Http404()
    return _editor(request, starter=starter)


@login_required
@require_http_methods(["GET", "POST"])
def kind_edit(request, pk):
    return _editor(request, kind=_kind(request.user, pk))


@login_required
@require_GET
def kind_detail(request, pk):
    kind = _kind(request.user, pk)
    versions = sorted(kind.versions.all(), key=lambda v: -v.number)
    shown = versions[0]
    asked = request.GET.get("version", "")
    if asked:
        shown = next((v for v in versions if str(v.number) == asked), None)
        if shown is None:
            raise Http404()
    definition = shown.definition
    route = ROUTES[definition["route"]["template"]]
    return render(request, "kinds/kind_detail.html", {
        "kind": kind, "versions": versions, "shown": shown, "definition": definition,
        "applicant": APPLICANTS[definition["applicant"]], "route": route,
        "steps": [s for s in route.steps if s.code in definition["route"]["steps"]],
        "fields": [{**spec, "kind_label": PALETTE[spec["type"]].label} for spec in definition["fields"]],
        "history": history_of(kind),
    })


@login_required
@require_GET
def kind_export(request, pk):
    kind = _kind(request.user, pk)
    number = request.GET.get("version", "")
    versions = list(kind.versions.all())
    version = (next((v for v in versions if str(v.number) == number), None) if number
               else max(versions, key=lambda v: v.number))
    if version is None:
        raise Http404()
    response = HttpResponse(services.export_kind(version), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{version.title}-v{version.number}.json")
    return response


@login_required
@require_POST
def kind_import(request):
    district = _district(request.user)
    upload = request.FILES.get("file")
    problems, error = [], None
    if upload is None:
        error = _("Choose a file to import.")
    elif upload.size > IMPORT_MAX_BYTES:
        error = _("“%(name)s” is too large for a kind-of-campaign file.") % {"name": upload.name}
    else:
        try:
            version = services.do_import_kind(district=district, data=upload.read(), actor=request.user,
                                              ip=client_ip(request))
        except services.KindProblems as refused:
            problems = describe_problems(refused.problems, None)
        except (NotAllowed, RuleViolation) as refused:
            error = str(refused)
        else:
            messages.success(request, _("Imported as version %(number)s of “%(title)s”.")
                             % {"number": version.number, "title": version.title})
            return redirect("kinds:detail", pk=version.kind_id)
    return render(request, "kinds/kind_list.html", {
        "district": district, "kinds": services.kinds_of(request.user).order_by("code"), "starters": STARTERS,
        "import_error": error, "problems": problems, "import_name": upload.name if upload else "",
    }, status=400)


PLACE_RE = re.compile(r"^fields\[(\d+)\](?:\.(\w+))?$")

def describe_problems(problems, definition, *, row_numbers=None):
    """(where, message) pairs a clerk can act on: a field is named by its
    row number on the page (`row_numbers`: the page's row of each field of
    the definition) and label, the rest by the setting's name on the page."""
    from django.utils.translation import gettext, pgettext

    names = {
        "format": gettext("File format"), "title": gettext("Title"), "applicant": gettext("Who applies"),
        "fields": gettext("Fields of the form"), "route": pgettext("kind of campaign", "Route"),
        "route.template": pgettext("kind of campaign", "Route"),
        "route.steps": gettext("Optional steps"), "route.signoffs": gettext("Departments that sign off"),
        "route.notice_days": gettext("Public notice (working days)"),
        "route.scoring": gettext("Inspectors who score each case"),
        "route.outcomes": gettext("Outcomes of the final decision"), "route.deadline_days": gettext("Deadlines"),
        "ends_in": gettext("What it ends in"), "ends_in.payment_list": gettext("Payment list"),
        "ends_in.payment_field": gettext("Amount paid (key of a money field)"),
        "ends_in.certificate": gettext("Certificate"), "file": gettext("File"), "code": gettext("Code"),
    }
    fields = (definition or {}).get("fields") or []
    described = []
    for place, message in problems:
        match = PLACE_RE.match(place)
        if match:
            index = int(match.group(1))
            label = fields[index].get("label", "") if index < len(fields) and isinstance(fields[index], dict) else ""
            number = row_numbers[index] if row_numbers and index < len(row_numbers) else index + 1
            where = gettext("Field %(number)s") % {"number": number} + (f"“{label}”" if label else "")
        elif place.startswith("route.deadline_days."):
            where = gettext("Deadlines")
        elif place.startswith("ends_in.certificate."):
            where = gettext("Certificate")
        else:
            where = names.get(place, place)
        described.append((where, str(message)))
    return described
