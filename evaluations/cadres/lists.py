"""The list of democratic evaluations: its columns, filters and links (set
up an evaluation, this year's coverage). The engine serves the page, its
paging and its workbook (workflows.cases). Registered from AppConfig.ready."""

from django.utils.translation import gettext_lazy as _

from workflows.cases.lists import CaseList, Column, Search, StateColumn, StateFilter, Year, register_case_list

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
    return {"may_create": selectors.organisations_for_new_evaluation(request.user).exists(),
            "may_see_coverage": bool(selectors.branch_roots(request.user))}


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
    header="cadres/_list_links.html",
    header_context=_links,
    empty=_("No evaluation matches."),
)

register_case_list(EVALUATION.key, EVALUATIONS)
