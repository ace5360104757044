from django.urls import path

from . import views

app_name = "kinds"

urlpatterns = [
    path("", views.kind_list, name="list"),
    path("new/", views.kind_create, name="create"),
    path("import/", views.kind_import, name="import"),
    path("<int:pk>/", views.kind_detail, name="detail"),
    path("<int:pk>/edit/", views.kind_edit, name="edit"),
    path("<int:pk>/export/", views.kind_export, name="export"),
]
