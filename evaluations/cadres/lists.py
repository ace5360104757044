"""The list of democratic evaluations: its columns, filters and links (set
up an evaluation, this year's coverage). The engine serves the page, its
paging and its workbook (workflows.cases). Registered from AppConfig.ready."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workflows.cases.lists import CaseList, Column, Search, StateColumn, StateFilter, Year, register_case_list
from workflows.organisations.scopes import branch_roots

from . import selectors
from .declaration import EVALUATION


def _marks(evaluation):
    marks = []
    if evaluation.is_void:
        marks.append(("void", _("Void")))
    if evaluation.rehearsal:
        marks.append(("rehearsal", _("Rehearsal")))
    return marks


def _links(request):
    links = []
    if selectors.organisations_for_new_evaluation(request.user).exists():
        links.append((reverse("cadres:evaluation_create"), _("Set up an evaluation"), "button primary"))
    if branch_roots(request.user):
        links.append((reverse("cadres:coverage"), _("Coverage this year"), "button"))
    return {"links": links}


EVALUATIONS = CaseList(
    title=_("Democratic evaluations of cadres"),
    queryset=selectors.evaluations_visible_to,
    columns=(
        Column(_("Year"), lambda e: e.year),
        Column(_("Evaluation"), lambda e: e.title, link=True, note=lambda e: e.code),
        Column(_("Unit"), lambda e: e.organisation.name),
        StateColumn(badges=_marks),
    ),
    filters=(Search(("title", "code", "organisation__name")), Year(), StateFilter()),
    ordering=("-year", "organisation__path", "code"),
    header="workflows/_links.html",
    header_context=_links,
    empty=_("No evaluation matches."),
)

register_case_list(EVALUATION.key, EVALUATIONS)
