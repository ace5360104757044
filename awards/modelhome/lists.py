"""The list of model-home applications: its columns, filters and panels
(the app's navigation, the inspector's own scoring tasks). The engine
serves the page, its paging and its workbook (workflows.cases). Registered
from AppConfig.ready."""

from django.utils.translation import gettext_lazy as _

from workflows.cases.lists import CaseList, Choice, Column, StateColumn, StateFilter, Year, register_case_list

from . import selectors
from .declaration import MODEL_HOME


def _marks(application):
    marks = []
    if application.is_reinspection:
        marks.append(("pending", application.get_kind_display()))
    if application.disagreement:
        marks.append(("overdue", _("Inspectors disagree"), application.campaign.disagreement_points))
    return marks


def _panels(request):
    return {"my_inspections": selectors.own_open_inspections(request.user)}


APPLICATIONS = CaseList(
    title=_("Model-home applications"),
    queryset=selectors.visible_applications,
    columns=(
        Column(_("Applicant"), lambda a: a.organisation.name, link=True),
        Column(_("Campaign"), lambda a: a.campaign.title),
        Column(_("Level"), lambda a: a.get_level_display()),
        StateColumn(_("State"), badges=_marks),
        Column(_("Self-assessment"), lambda a: a.self_total),
    ),
    filters=(
        Choice("campaign", _("Campaign"), lambda user: selectors.campaigns_visible_to(user).values_list("code", "title"),
               lookup="campaign__code"),
        Year("campaign__year"),
        StateFilter(_("State")),
    ),
    ordering=("-campaign__year", "organisation__path", "pk"),
    header="modelhome/_list_panels.html",
    header_context=_panels,
    empty=_("No application."),
)

register_case_list(MODEL_HOME.key, APPLICATIONS)
