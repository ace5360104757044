"""The May Day award's old addresses (views.py), served by awards/urls.py
since the award became campaign kinds (docs/mayday-as-kinds.md §3); the
names stay, so `reverse("awards:…")` keeps resolving."""

from django.urls import path

from . import api, views

app_name = "awards"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<slug:code>/", views.campaign_page, name="campaign_detail"),
    path("campaigns/<slug:code>/rules/", views.campaign_page, {"name": "kinds:campaign_rules"},
         name="campaign_rules"),
    path("campaigns/<slug:code>/award-list/", views.campaign_page, {"name": "kinds:award_list"},
         name="award_list"),
    path("campaigns/<slug:code>/award-list.pdf", views.campaign_page, {"name": "kinds:approved_list", "args": ("pdf",)},
         name="award_list_pdf"),
    path("campaigns/<slug:code>/award-list.xlsx", views.campaign_page, {"name": "kinds:approved_list", "args": ("xlsx",)},
         name="award_list_xlsx"),
    path("nominations/", views.nomination_list, name="nomination_list"),
    path("nominations/new/", views.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", views.nomination_page, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:case_pk>/attachments/<int:old_pk>/", views.attachment, name="attachment_download"),
    path("nominations/<int:pk>/certificate/", views.certificate, name="certificate_download"),
    path("campaigns/<slug:code>/notice/open/", views.campaign_page,
         {"name": "kinds:campaign_notice", "post": "keep"}, name="notice_open"),
    path("campaigns/<slug:code>/share-places/", views.campaign_page, name="share_quota"),
    path("nominations/<int:pk>/signoff/", views.nomination_page, {"name": "kinds:case_signoff"}, name="signoff"),
    path("nominations/bulk/", views.bulk, name="bulk_decide"),
    path("nominations/<int:pk>/recommendation-form.pdf", views.nomination_page, {"name": "kinds:case_printed"},
         name="recommendation_form"),
    path("campaigns/<slug:code>/public-notice.pdf", views.campaign_page, {"name": "kinds:notice_pdf"},
         name="public_notice"),
    path("campaigns/<slug:code>/print/", views.campaign_page, {"name": "kinds:print_certificates", "post": "keep"},
         name="print_certificates"),
    path("certificates/<int:pk>/reissue/", views.certificate_reissue, name="certificate_reissue"),
]

# Before workflows.urls in config/urls.py (the engine names no process).
engine_urlpatterns = [
    path("cases/mayday/<int:pk>/decide/", views.engine_decide, name="mayday_case_decide"),
    path("api/v1/processes/mayday/", api.ProcessView.as_view(), name="mayday_api_process"),
    path("api/v1/processes/mayday/cases/", api.CaseListView.as_view(), name="mayday_api_cases"),
    path("api/v1/processes/mayday/cases/<int:pk>/", api.CaseDetailView.as_view(), name="mayday_api_case"),
    path("api/v1/processes/mayday/cases/<int:pk>/decisions/", api.CaseDecisionView.as_view(),
         name="mayday_api_decide"),
]
