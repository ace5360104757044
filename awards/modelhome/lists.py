"""The lists of model home: the applications (with the app's navigation
and the inspector's own scoring tasks) and the register of titles (称号名册,
with the district's bulk re-inspection). The engine serves the pages, their
filters, paging and workbooks (workflows.cases). Registered from
AppConfig.ready."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.cases.lists import (
    Before, CaseList, Choice, Column, Search, Select, StateColumn, StateFilter, Year, filtered_cases,
    register_case_list,
)
from workflows.documents.xlsx import xlsx_response
from workflows.organisations.administration import administered_district_ids
from workflows.titles import due_titles

from . import selectors
from .declaration import MODEL_HOME
from .excel import titles_xlsx
from .models import TitleStatus

TITLES = "modelhome.titles"


def _marks(application):
    marks = []
    if application.is_reinspection:
        marks.append(("pending", application.get_kind_display()))
    if application.disagreement:
        marks.append(("overdue", _("Inspectors disagree"), application.campaign.disagreement_points))
    return marks


def panels(request):
    """The panel under the app's navigation: the inspector's own open scoring tasks."""
    return {"my_inspections": selectors.own_open_inspections(request.user)}


APPLICANT = Column(_("Applicant"), lambda a: a.organisation.name, link=True)
LEVEL = Column(_("Level"), lambda a: a.get_level_display())
STATE = StateColumn(_("State"), badges=_marks)
SELF_ASSESSMENT = Column(_("Self-assessment"), lambda a: a.self_total)

# A campaign's own applications (its page's table): the inspectors' mean
# in place of the campaign.
CAMPAIGN_APPLICATIONS = (APPLICANT, LEVEL, STATE, SELF_ASSESSMENT,
                         Column(_("Inspectors' mean"), lambda a: a.inspected_total))

APPLICATIONS = CaseList(
    title=_("Model-home applications"),
    queryset=selectors.visible_applications,
    columns=(APPLICANT, Column(_("Campaign"), lambda a: a.campaign.title), LEVEL, STATE, SELF_ASSESSMENT),
    filters=(
        Choice("campaign", _("Campaign"), lambda user: selectors.campaigns_visible_to(user).values_list("code", "title"),
               lookup="campaign__code"),
        Year("campaign__year"),
        StateFilter(_("State")),
    ),
    ordering=("-campaign__year", "organisation__path", "pk"),
    header="modelhome/_list_panels.html",
    header_context=panels,
    empty=_("No application."),
)

register_case_list(MODEL_HOME.key, APPLICATIONS)


def _administers(request):
    return bool(administered_district_ids(request.user))


def _titles_header(request):
    """The district administrator is told how many of the listed titles
    fall due within 90 days (the engine's due_titles), with a link to them."""
    today = timezone.localdate()
    due = due_titles(filtered_cases(TITLES, request.user, request.GET)[1], today=today).count() \
        if _administers(request) else 0
    return {"due_count": due, "soon": today + datetime.timedelta(days=90)}


def _due_mark(title):
    return [("overdue", _("due"))] if title.is_held and title.due_on <= timezone.localdate() else []


STATUS_BADGES = {TitleStatus.VALID: "valid", TitleStatus.DOWNGRADED: "returned"}

register_case_list(TITLES, CaseList(
    title=_("Register of titles"),
    queryset=selectors.visible_titles,
    columns=(
        Column(_("Holder"), lambda t: t.holder.name, link=True),
        Column(_("Level"), lambda t: t.get_level_display()),
        Column(_("Grade"), lambda t: t.get_grade_display()),
        Column(_("Granted on"), lambda t: t.granted_on),
        Column(_("Due for re-inspection"), lambda t: t.due_on, badges=_due_mark),
        Column(_("Status"), lambda t: t.get_status_display(), badge=lambda t: STATUS_BADGES.get(t.status, "revoked")),
        Column(_("Certificate"), lambda t: t.certificate.number if t.certificate_id else None,
               url=lambda t: reverse("certificate_pdf", args=[t.certificate_id]) if t.certificate_id else ""),
    ),
    filters=(
        Choice("status", _("Status"), lambda user: TitleStatus.choices),
        Before("due_on", _("Due for re-inspection by"), name="due_before"),
        Search(("holder__name",), label=_("Holder")),
    ),
    ordering=("due_on", "holder__path", "pk"),
    header="modelhome/_titles_header.html",
    header_context=_titles_header,
    empty=_("No title."),
    # The register's own sheet: the year and the status's date besides the page's columns.
    export=lambda titles: xlsx_response(titles_xlsx(titles), "titles.xlsx"),
    select=Select("title", "modelhome:reinspect", _("Open re-inspection (复查) for the ticked titles"),
                  label_of=lambda t: t.holder.name, visible=_administers),
))
