"""Pages of the organisation facts: the list (own union, own branch or the
whole district), the form, the Excel import and its template. Each shows
or states the facts of one year (`?year=`, this year by default): facts
are kept per year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from workflows.organisations.administration import is_district_admin
from workflows.exceptions import NotAllowed
from workflows.models import OrgKind
from workflows.organisations.scopes import organisations_visible_to
from workflows.middleware import client_ip
from workflows.documents.xlsx import xlsx_response
from workflows.pages.forms import form_page
from workflows.pages.query import asked_year

from .facts import (current_year, do_import_facts, do_update_facts, facts_by_union, facts_of, facts_workbook,
                    may_edit_facts)
from .forms import FactsForm, FactsImportForm


def _year(request):
    return asked_year(request.GET, current_year)


def _unions(user):
    return organisations_visible_to(user, OrgKind.GRASSROOTS)


def _list_url(year):
    return f"{reverse('congress:facts_list')}?year={year}"


@login_required
def facts_list(request):
    year = _year(request)
    orgs = _unions(request.user).select_related("parent").order_by("path")
    q = request.GET.get("q", "").strip()
    if q:
        orgs = orgs.filter(name__icontains=q)
    page = Paginator(orgs, 25).get_page(request.GET.get("page"))
    facts = facts_by_union(list(page.object_list), year)
    for org in page.object_list:
        org.year_facts = facts.get(org.pk)
    query = f"year={year}" + (f"&q={q}" if q else "")
    return render(request, "congress/facts_list.html", {
        "page_obj": page, "q": q, "query_string": query, "year": year,
        "years": range(current_year(), 2019, -1), "may_import": is_district_admin(request.user),
    })


@login_required
def facts_edit(request, org_pk):
    organisation = _unions(request.user).filter(pk=org_pk).first()
    if organisation is None:
        raise Http404()
    if not may_edit_facts(request.user, organisation):
        raise NotAllowed(_("Only the union itself or the district edits these facts."))
    year = _year(request)
    facts = facts_of(organisation, year)
    form = FactsForm(request.POST or None, instance=facts)
    if request.method == "POST":
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            do_update_facts(organisation=organisation, values=values, actor=request.user, ip=client_ip(request),
                            year=year)
            messages.success(request, _("The facts of %(org)s are saved.") % {"org": organisation.name})
            return redirect(_list_url(year))
        messages.error(request, _("Nothing was saved: correct what is marked below."))
    return form_page(request, form, title=_("Organisation facts"),
                     heading=f"{_('Organisation facts')}: {organisation.name}",
                     intro=f"{organisation.get_sector_display() or '—'} · "
                           + _("Facts of %(year)s: the other years' facts stay as they are.") % {"year": year},
                     submit=_("Save"), cancel_url=_list_url(year))


@login_required
def facts_import(request):
    if not is_district_admin(request.user):
        raise Http404()
    form = FactsImportForm(request.POST or None, request.FILES or None, initial={"year": _year(request)})
    errors = []
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"] or current_year()
        result, errors = do_import_facts(upload=form.cleaned_data["file"], actor=request.user, ip=client_ip(request),
                                         year=year)
        if not errors:
            messages.success(request, _("Imported: the facts of %(count)s unions.") % {"count": result["updated"]})
            return redirect(_list_url(year))
        messages.error(request, _("Nothing was imported: correct the rows listed below and send the file again."))
    return form_page(request, form, title=_("Import from Excel"), heading=_("Import organisation facts from Excel"),
                     intro=_("The first row names the columns: 组织代码 (the union's code) and any of the fact columns of "
                             "the downloadable sheet; yes/no cells hold 是 or 否. Nothing is imported unless every row "
                             "is right."),
                     intro_link=(reverse("congress:facts_export"), _("Download the current facts as a template")),
                     errors=errors, errors_heading=_("Rows to correct"), status=200, submit=_("Import"),
                     cancel_url=reverse("congress:facts_list"))


@login_required
def facts_export(request):
    orgs = list(_unions(request.user).order_by("path"))
    if not orgs:
        raise Http404()
    year = _year(request)
    return xlsx_response(facts_workbook(orgs, year), f"organisation-facts-{year}.xlsx")
