from django.urls import path

from baomi.devices import views

app_name = "devices"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("ledger/<slug:ledger>/", views.list_page, name="ledger"),
    path("ledger/<slug:ledger>/export.xlsx", views.export, {"fmt": "xlsx"}, name="export"),
    path("ledger/<slug:ledger>/export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
]
