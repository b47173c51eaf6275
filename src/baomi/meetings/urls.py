from django.urls import path

from baomi.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export"),
    path("export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/papers.xlsx", views.export_papers, {"fmt": "xlsx"}, name="papers_export"),
    path("<int:pk>/papers.pdf", views.export_papers, {"fmt": "pdf"}, name="papers_export_pdf"),
]
