from django.urls import path

from workflows.cases.list_views import case_list

from . import facts_views, views

app_name = "congress"

urlpatterns = [
    path("", case_list, {"process_key": "congress_report"}, name="report_list"),
    path("overdue/", views.overdue, name="overdue"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("<int:pk>/pdf/", views.report_pdf_view, name="report_pdf"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("periods/", views.period_list, name="period_list"),
    path("periods/new/", views.period_open, name="period_open"),
    path("facts/", facts_views.facts_list, name="facts_list"),
    path("facts/<int:org_pk>/", facts_views.facts_edit, name="facts_edit"),
    path("facts/import/", facts_views.facts_import, name="facts_import"),
    path("facts/export.xlsx", facts_views.facts_export, name="facts_export"),
]
