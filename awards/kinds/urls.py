from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_http_methods

from workflows.cases.list_views import case_list
from workflows.documents.case_certificates import reissue_page

from . import case_views, endings, endings_views, paper_views, rules_views, scoring_views, signoffs, views
from .models import KindCase

app_name = "kinds"

urlpatterns = [
    path("", views.kind_list, name="list"),
    path("new/", views.kind_create, name="create"),
    path("import/", views.kind_import, name="import"),
    path("<int:pk>/", views.kind_detail, name="detail"),
    path("<int:pk>/edit/", views.kind_edit, name="edit"),
    path("<int:pk>/export/", views.kind_export, name="export"),
    path("campaigns/", case_views.campaign_list, name="campaign_list"),
    path("campaigns/new/", case_views.campaign_open, name="campaign_open"),
    path("campaigns/<int:pk>/", case_views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/correct/", case_views.campaign_correct, name="campaign_correct"),
    path("campaigns/<int:pk>/quotas/", case_views.campaign_quotas, name="campaign_quotas"),
    path("campaigns/<int:pk>/rules/", rules_views.campaign_rules, name="campaign_rules"),
    path("campaigns/<int:pk>/share/<int:org>/", rules_views.campaign_share, name="campaign_share"),
    path("campaigns/<int:pk>/notice/", paper_views.campaign_notice, name="campaign_notice"),
    path("campaigns/<int:pk>/notice.pdf", paper_views.notice_pdf, name="notice_pdf"),
    path("campaigns/<int:pk>/approved/", paper_views.award_list, name="award_list"),
    path("campaigns/<int:pk>/approved.<str:fmt>", endings_views.approved_list, name="approved_list"),
    path("campaigns/<int:pk>/payments.<str:fmt>", endings_views.payment_list, name="payment_list"),
    path("campaigns/<int:pk>/print/", endings_views.print_certificates, name="print_certificates"),
    path("campaigns/<int:pk>/apply/", case_views.case_new, name="case_new"),
    # The engine's certificate page offers this for a revoked certificate of a case of a kind.
    path("certificates/<int:pk>/reissue/", login_required(require_http_methods(["GET", "POST"])(reissue_page)),
         {"model": KindCase, "reissue": endings.certificate_reissue}, name="certificate_reissue"),
    path("cases/", case_list, {"process_key": "kind_case"}, name="case_list"),
    path("cases/<int:pk>/", case_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/form.pdf", case_views.case_printed, name="case_printed"),
    path("cases/<int:pk>/edit/", case_views.case_edit, name="case_edit"),
    path("cases/<int:pk>/submit/", case_views.case_submit, name="case_submit"),
    path("cases/<int:pk>/revise/", case_views.case_revise, name="case_revise"),
    path("cases/<int:pk>/withdraw/", case_views.case_withdraw, name="case_withdraw"),
    path("cases/<int:pk>/decide/", case_views.case_decide, name="case_decide"),
    path("cases/<int:pk>/inspectors/", scoring_views.case_assign, name="case_assign"),
    path("cases/<int:pk>/score/", scoring_views.case_score, name="case_score"),
    path("cases/<int:pk>/signoff/", signoffs.case_signoff, name="case_signoff"),
]
