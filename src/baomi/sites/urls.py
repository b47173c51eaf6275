from django.urls import path

from baomi.sites import views

app_name = "sites"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("export.xlsx", views.export, {"what": "sites", "fmt": "xlsx"}, name="export"),
    path("export.pdf", views.export, {"what": "sites", "fmt": "pdf"}, name="export_pdf"),
    path("visits/", views.visits, name="visits"),
    path("visits.xlsx", views.export, {"what": "visits", "fmt": "xlsx"}, name="visits_export"),
    path("visits.pdf", views.export, {"what": "visits", "fmt": "pdf"}, name="visits_export_pdf"),
    path("keys.xlsx", views.export, {"what": "keys", "fmt": "xlsx"}, name="keys_export"),
    path("keys.pdf", views.export, {"what": "keys", "fmt": "pdf"}, name="keys_export_pdf"),
    path("checks/", views.checks, name="checks"),
    path("checks.xlsx", views.export, {"what": "checks", "fmt": "xlsx"}, name="checks_export"),
    path("checks.pdf", views.export, {"what": "checks", "fmt": "pdf"}, name="checks_export_pdf"),
    path("closing-check/", views.closing_check_start, name="closing_check_start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/closing-check/", views.closing_check, name="closing_check"),
]
