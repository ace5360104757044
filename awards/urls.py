from django.urls import path

from django.contrib.auth.decorators import login_required

from workflows.attachments.views import legacy_download
from workflows.cases.list_views import case_list
from workflows.documents.case_certificates import reissue_page
from workflows.steps import views as step_views

from awards.mayday import certificates, views
from awards.mayday.models import Nomination

app_name = "awards"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<slug:code>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<slug:code>/rules/", views.campaign_rules, name="campaign_rules"),
    path("campaigns/<slug:code>/award-list/", views.award_list, name="award_list"),
    path("campaigns/<slug:code>/award-list.pdf", views.award_list_file, {"fmt": "pdf"}, name="award_list_pdf"),
    path("campaigns/<slug:code>/award-list.xlsx", views.award_list_file, {"fmt": "xlsx"}, name="award_list_xlsx"),
    path("nominations/", case_list, {"process_key": "mayday"}, name="nomination_list"),
    path("nominations/new/", views.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path(
        # A link from before the engine held the attachments: to the engine's download.
        "nominations/<int:case_pk>/attachments/<int:old_pk>/",
        legacy_download, {"case_model": Nomination}, name="attachment_download",
    ),
    path("nominations/<int:pk>/certificate/", views.certificate_download, name="certificate_download"),
    # engine depth: public notice, sign-offs, bulk decisions, shared places
    path("campaigns/<slug:code>/notice/open/", views.notice_open, name="notice_open"),
    path("campaigns/<slug:code>/share-places/", views.share_quota, name="share_quota"),
    path("nominations/<int:pk>/signoff/", views.signoff, name="signoff"),
    path("nominations/bulk/", step_views.bulk_decide, {"process_key": "mayday"}, name="bulk_decide"),
    # documents
    path("nominations/<int:pk>/recommendation-form.pdf", views.recommendation_form, name="recommendation_form"),
    path("campaigns/<slug:code>/public-notice.pdf", views.public_notice, name="public_notice"),
    path("campaigns/<slug:code>/print/", views.print_campaign_certificates, name="print_certificates"),
    path("certificates/<int:pk>/reissue/", login_required(reissue_page),
         {"model": Nomination, "reissue": certificates.certificate_reissue}, name="certificate_reissue"),
]
