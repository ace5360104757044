from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inbox/", views.inbox, name="inbox"),
    path("", include("workflows.engine_urls")),
    path("verify/<str:token>/", views.verify_certificate, name="verify_certificate"),
    # documents
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/preview/", views.certificate_preview, name="certificate_preview"),
    path("certificates/preview/<str:layout>.pdf", views.certificate_preview_pdf, name="certificate_preview_pdf"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("print-jobs/", views.print_job_list, name="print_job_list"),
    path("print-jobs/new/", views.print_job_create, name="print_job_create"),
    path("print-jobs/<int:pk>/", views.print_job_detail, name="print_job_detail"),
    path("print-jobs/<int:pk>/status/", views.print_job_status, name="print_job_status"),
    path("print-jobs/<int:pk>/pdf/", views.print_job_pdf, name="print_job_pdf"),
    path("print-jobs/<int:pk>/retry/", views.print_job_retry, name="print_job_retry"),
]
