from django.urls import path

from baomi.destruction import new_list, views

app_name = "destruction"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export"),
    path("export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("new/", new_list.new_list, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
