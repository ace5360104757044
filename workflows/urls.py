from django.contrib.auth import views as auth_views
from django.urls import include, path

from workflows import views
from workflows.api import pages as api_pages
from workflows.attachments import views as attachment_views
from workflows.documents import views as document_views
from workflows.notices import views as notice_views
from workflows.notifications import channel_views
from workflows.notifications import views as notification_views
from workflows.scoring import views as scoring_views
from workflows.organisations import account_views, tree_page
from workflows.organisations import views as organisation_views
from workflows.steps import decision_page
from workflows.security import signon_views
from workflows.steps import views as step_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", signon_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Sign-on, the second factor, the security settings and the audit export
    path("", include("workflows.security.urls")),
    path("attachments/<int:pk>/", attachment_views.attachment_download, name="attachment_download"),
    path("inbox/", step_views.inbox, name="inbox"),
    path("inbox/bulk/", step_views.bulk_decide, name="inbox_bulk"),
    path("inbox/bulk/<int:pk>/dismiss/", step_views.bulk_run_dismiss, name="inbox_bulk_dismiss"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notifications_mark_read, name="notifications_mark_read"),
    path("notifications/channels/", channel_views.notification_channels, name="notification_channels"),
    path("notifications/channels/district/", channel_views.channel_settings, name="channel_settings"),
    path("notifications/channels/deliveries/", channel_views.channel_deliveries, name="channel_deliveries"),
    path("notifications/channels/deliveries/retry/", channel_views.channel_delivery_retry,
         name="channel_delivery_retry"),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification_open"),
    # Public notices: the public pages need no login.
    path("notices/", notice_views.public_notice_list, name="notice_list"),
    path("notices/<int:pk>/", notice_views.public_notice_detail, name="notice_detail"),
    path("notices/<int:pk>/object/<int:entry_pk>/", notice_views.objection_create, name="objection_create"),
    path("notices/<int:pk>/received/", notice_views.objection_received, name="objection_received"),
    path("notices/<int:pk>/manage/", notice_views.notice_manage, name="notice_manage"),
    path("notices/<int:pk>/close/", notice_views.notice_close_view, name="notice_close"),
    path("notices/objections/<int:pk>/", notice_views.objection_detail, name="notice_objection"),
    path("notices/objections/<int:pk>/seal/", notice_views.objection_seal, name="objection_seal"),
    path("delegations/", organisation_views.delegation_list, name="delegations"),
    path("delegations/<int:pk>/end/", organisation_views.delegation_end, name="delegation_end"),
    path("conflicts/", organisation_views.conflict_list, name="conflicts"),
    # A district's start-up: organisations and accounts from a workbook; passwords
    path("organisations/import/", account_views.district_import, name="district_import"),
    path("organisations/import/template.xlsx", account_views.import_template, name="district_import_template"),
    path("organisations/import/passwords.xlsx", account_views.import_passwords, name="district_import_passwords"),
    path("organisations/", tree_page.organisation_tree, name="organisation_tree"),
    path("organisations/tree.xlsx", tree_page.organisation_tree_xlsx, name="organisation_tree_xlsx"),
    path("accounts/", account_views.account_list, name="account_list"),
    path("accounts/<int:pk>/reset-password/", account_views.account_reset_password, name="account_reset_password"),
    path("password/", account_views.PasswordChangeRequiredView.as_view(), name="password_change_required"),
    path("cases/<slug:process_key>/<int:pk>/decide/", decision_page.case_decide, name="case_decide"),
    path("tasks/<int:pk>/reassign/", step_views.task_reassign_view, name="task_reassign"),
    path("verify/<str:token>/", document_views.verify_certificate, name="verify_certificate"),
    # documents
    path("verify/", document_views.verify_lookup, name="verify_lookup"),
    path("certificates/", document_views.certificate_list, name="certificate_list"),
    path("certificates/preview/", document_views.certificate_preview, name="certificate_preview"),
    path("certificates/preview/<str:layout>.pdf", document_views.certificate_preview_pdf, name="certificate_preview_pdf"),
    path("certificates/<int:pk>/", document_views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", document_views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", document_views.certificate_revoke, name="certificate_revoke"),
    path("print-jobs/", document_views.print_job_list, name="print_job_list"),
    path("print-jobs/new/", document_views.print_job_create, name="print_job_create"),
    path("print-jobs/<int:pk>/", document_views.print_job_detail, name="print_job_detail"),
    path("print-jobs/<int:pk>/status/", document_views.print_job_status, name="print_job_status"),
    path("print-jobs/<int:pk>/pdf/", document_views.print_job_pdf, name="print_job_pdf"),
    path("print-jobs/<int:pk>/retry/", document_views.print_job_retry, name="print_job_retry"),
    # Scoring standards (评分标准), versioned, a district's
    path("standards/", scoring_views.standard_list, name="standard_list"),
    path("standards/<int:pk>/", scoring_views.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/standard.xlsx", scoring_views.standard_export, name="standard_export"),
    path("standards/<int:pk>/import/", scoring_views.standard_import, name="standard_import"),
    # The JSON API's settings: tokens, and the district's webhooks
    path("api-tokens/", api_pages.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", api_pages.api_token_revoke, name="api_token_revoke"),
    path("webhooks/", api_pages.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", api_pages.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/disable/", api_pages.webhook_disable, name="webhook_disable"),
]
