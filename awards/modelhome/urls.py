from django.urls import path

from workflows.attachments.views import legacy_download
from workflows.cases.list_views import case_list
from workflows.scoring import views as scoring
from workflows.steps.decision_page import case_decide

from . import views_applications as apps
from . import views_district as district
from . import views_titles as titles
from .models import Application

app_name = "modelhome"
urlpatterns = [
    path("", district.index, name="index"),
    path("campaigns/new/", district.campaign_open, name="campaign_open"),
    path("campaigns/<slug:code>/", district.campaign_detail, name="campaign_detail"),
    path("campaigns/<slug:code>/apply/", apps.application_edit, name="application_create"),
    path("campaigns/<slug:code>/notice/", district.notice_open, name="notice_open"),
    path("applications/", case_list, {"process_key": "modelhome"}, name="application_list"),
    path("applications/<int:pk>/", apps.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", apps.application_edit, name="application_edit"),
    # The intermediate union's and the district's decisions: the engine's
    # decision page, the application looked up through the declaration's selector.
    path("applications/<int:pk>/review/", case_decide, {"process_key": "modelhome"}, name="application_review"),
    path("applications/<int:pk>/withdraw/", apps.application_withdraw, name="application_withdraw"),
    # A link from before the engine held the attachments: to the engine's download.
    path("applications/<int:case_pk>/attachments/<int:old_pk>/", legacy_download,
         {"case_model": Application}, name="attachment_download"),
    path("applications/<int:pk>/inspect/", apps.inspection_edit, name="inspection_edit"),
    path("applications/<int:pk>/scores.xlsx", apps.inspection_download, name="inspection_download"),
    path("applications/<int:pk>/assign/", district.assign, name="assign"),
    path("applications/<int:pk>/compare/", district.compare, name="compare"),
    path("applications/<int:pk>/remedy/", district.remedy, name="remedy"),
    path("applications/<int:pk>/notice-hold/", district.notice_hold, name="notice_hold"),
    path("applications/<int:pk>/decide/", case_decide, {"process_key": "modelhome"}, name="decide"),
    # The scoring standards' old addresses: the engine's pages, the same views.
    path("standards/", scoring.standard_list, name="standard_list"),
    path("standards/<int:pk>/", scoring.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/standard.xlsx", scoring.standard_export, name="standard_export"),
    path("standards/<int:pk>/import/", scoring.standard_import, name="standard_import"),
    path("titles/", case_list, {"process_key": "modelhome.titles"}, name="register"),
    path("titles/titles.xlsx", titles.register_xlsx, name="register_xlsx"),
    path("titles/reinspect/", titles.reinspect, name="reinspect"),
    path("titles/<int:pk>/", titles.title_detail, name="title_detail"),
    path("titles/<int:pk>/certificate.pdf", titles.title_certificate, name="title_certificate"),
]
