from django.urls import path

from baomi.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("findings/", views.findings_page, name="findings"),
    path("findings.xlsx", views.export, {"fmt": "xlsx"}, name="findings_export"),
    path("findings.pdf", views.export, {"fmt": "pdf"}, name="findings_export_pdf"),
    path(
        "findings/<int:pk>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence",
    ),
    path("rectifications/", views.rectifications_page, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_page, name="rectification"),
    path("<int:pk>/", views.detail, name="detail"),
]
