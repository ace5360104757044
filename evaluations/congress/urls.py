from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext_lazy as _

from workflows.attachments.views import legacy_download
from workflows.cases.list_views import case_list

from workflows.cases.overdue import overdue_page
from workflows.steps.decision_page import case_decide

from workflows.unitfacts import views as facts_views

from . import views
from .declaration import REPORT_PROCESS
from .facts import FACTS
from .models import OUTSTANDING_STATES, Report

app_name = "congress"
OVERDUE_WORDS = {
    "title": _("Overdue reports"), "count": _("Overdue reports"), "empty": _("No report is overdue."),
    "intro": _("Reports past their due day and not handed in, as of %(date)s. The unions are reminded and their "
               "intermediate union is told."),
}

urlpatterns = [
    path("", case_list, {"process_key": "congress_report"}, name="report_list"),
    path("overdue/", overdue_page, {"cases": REPORT_PROCESS.selector, "outstanding": OUTSTANDING_STATES,
                                    "list_url": "congress:report_list", "words": OVERDUE_WORDS}, name="overdue"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    # A step's decision: the engine's decision page (a final one, archive, confirmed on a page of its own).
    path("<int:pk>/decide/", case_decide, {"process_key": "congress_report"}, name="report_decide"),
    path("<int:pk>/pdf/", views.report_pdf_view, name="report_pdf"),
    # A link from before the engine held the attachments: to the engine's download.
    path("<int:case_pk>/attachments/<int:old_pk>/", login_required(legacy_download), {"case_model": Report},
         name="attachment"),
    path("periods/", views.period_list, name="period_list"),
    path("periods/new/", views.period_open, name="period_open"),
    path("facts/", facts_views.facts_list, {"facts": FACTS}, name="facts_list"),
    path("facts/<int:org_pk>/", facts_views.facts_edit, {"facts": FACTS}, name="facts_edit"),
    path("facts/import/", facts_views.facts_import, {"facts": FACTS}, name="facts_import"),
    path("facts/export.xlsx", facts_views.facts_export, {"facts": FACTS}, name="facts_export"),
]
