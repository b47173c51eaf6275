from django.urls import path

from baomi.archive import views

app_name = "archive"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export"),
    path("export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("movements/", views.movements, name="movements"),
    path("retrievals/new/", views.new_retrieval, name="new_retrieval"),
    path("<int:pk>/", views.detail, name="detail"),
]
