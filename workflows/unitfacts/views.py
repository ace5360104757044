"""Pages of a process's unit facts (workflows.unitfacts.facts): the list
(own union, own branch or the whole district), the form, the Excel import
and its template. Each shows or states the facts of one year (`?year=`,
this year by default): facts are kept per year. The process routes them
with the declaration as `facts`:

    path("facts/", views.facts_list, {"facts": FACTS}, name="facts_list")"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.documents.xlsx import xlsx_response
from workflows.documents.xlsx_upload import XlsxField
from workflows.exceptions import NotAllowed
from workflows.middleware import client_ip
from workflows.organisations.administration import is_district_admin
from workflows.organisations.scopes import organisations_visible_to
from workflows.pages.forms import form_page
from workflows.pages.query import asked_year

from .facts import current_year


def _year(request):
    return asked_year(request.GET, current_year)


def _units(user, facts):
    return organisations_visible_to(user, facts.unit_kind)


def _url(facts, name, year=None):
    url = reverse(f"{facts.urls}:{name}")
    return f"{url}?year={year}" if year else url


def facts_form(facts):
    """The form of a unit's facts: yes/no as boxes, dates as date inputs,
    whole numbers as years."""

    def clean_year(name):
        def clean(form):
            year = form.cleaned_data.get(name)
            if year is not None and not 1900 <= year <= 2100:
                raise ValidationError(_("“%(field)s” must be a year such as 2024.")
                                      % {"field": form.fields[name].label})
            return year
        return clean

    dates = [n for n in facts.fields if isinstance(facts.model._meta.get_field(n), models.DateField)]
    years = [n for n in facts.fields if isinstance(facts.model._meta.get_field(n), models.IntegerField)]
    return forms.modelform_factory(
        facts.model, fields=facts.fields,
        widgets={n: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for n in dates},
        form=type("FactsForm", (forms.ModelForm,), {f"clean_{n}": clean_year(n) for n in years}))


class FactsImportForm(forms.Form):
    # Facts are kept per year: the sheet states the facts of this year.
    year = forms.IntegerField(label=gettext_lazy("Facts of the year"), min_value=2000, max_value=2100,
                              required=False)
    file = XlsxField(label=gettext_lazy("Excel workbook (.xlsx)"))


@login_required
def facts_list(request, facts):
    year = _year(request)
    orgs = _units(request.user, facts).select_related("parent").order_by("path")
    q = request.GET.get("q", "").strip()
    if q:
        orgs = orgs.filter(name__icontains=q)
    page = Paginator(orgs, 25).get_page(request.GET.get("page"))
    held = facts.facts_by_unit(list(page.object_list), year)
    for org in page.object_list:
        org.year_facts = row = held.get(org.pk)
        org.facts_cells = [(label, getattr(row, name) if row else False) for label, name in facts.columns]
    return render(request, "workflows/unitfacts/list.html", {
        "page_obj": page, "q": q, "query_string": f"year={year}" + (f"&q={q}" if q else ""), "year": year,
        "years": range(current_year(), 2019, -1), "may_import": is_district_admin(request.user),
        "columns": [label for label, _name in facts.columns], "urls": facts.urls,
    })


@login_required
def facts_edit(request, org_pk, facts):
    organisation = _units(request.user, facts).filter(pk=org_pk).first()
    if organisation is None:
        raise Http404()
    if not facts.may_edit(request.user, organisation):
        raise NotAllowed(facts.refused)
    year = _year(request)
    form = facts_form(facts)(request.POST or None, instance=facts.facts_of(organisation, year))
    if request.method == "POST":
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in facts.fields}
            facts.update(organisation=organisation, values=values, actor=request.user, ip=client_ip(request),
                         year=year)
            messages.success(request, _("The facts of %(org)s are saved.") % {"org": organisation.name})
            return redirect(_url(facts, "facts_list", year))
        messages.error(request, _("Nothing was saved: correct what is marked below."))
    return form_page(request, form, title=_("Organisation facts"),
                     heading=f"{_('Organisation facts')}: {organisation.name}",
                     intro=f"{organisation.get_sector_display() or '—'} · "
                           + _("Facts of %(year)s: the other years' facts stay as they are.") % {"year": year},
                     submit=_("Save"), cancel_url=_url(facts, "facts_list", year))


@login_required
def facts_import(request, facts):
    if not is_district_admin(request.user):
        raise Http404()
    form = FactsImportForm(request.POST or None, request.FILES or None, initial={"year": _year(request)})
    errors = []
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"] or current_year()
        result, errors = facts.import_sheet(upload=form.cleaned_data["file"], actor=request.user,
                                            ip=client_ip(request), year=year)
        if not errors:
            messages.success(request, _("Imported: the facts of %(count)s unions.") % {"count": result["updated"]})
            return redirect(_url(facts, "facts_list", year))
        messages.error(request, _("Nothing was imported: correct the rows listed below and send the file again."))
    return form_page(request, form, title=_("Import from Excel"), heading=_("Import organisation facts from Excel"),
                     intro=_("The first row names the columns: 组织代码 (the union's code) and any of the fact columns of "
                             "the downloadable sheet; yes/no cells hold 是 or 否. Nothing is imported unless every row "
                             "is right."),
                     intro_link=(_url(facts, "facts_export"), _("Download the current facts as a template")),
                     errors=errors, errors_heading=_("Rows to correct"), status=200, submit=_("Import"),
                     cancel_url=_url(facts, "facts_list"))


@login_required
def facts_export(request, facts):
    orgs = list(_units(request.user, facts).order_by("path"))
    if not orgs:
        raise Http404()
    year = _year(request)
    return xlsx_response(facts.workbook(orgs, year), facts.filename.format(year=year))
