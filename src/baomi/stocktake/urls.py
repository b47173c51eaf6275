from django.urls import path

from baomi.stocktake import views

app_name = "stocktake"
urlpatterns = [
    path("", views.stocktake_list, name="list"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export"),
    path("export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/scan/", views.scan, name="scan"),
    path("<int:pk>/add/", views.add, name="add"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/lost/<int:carrier_id>/", views.report_lost, name="report_lost"),
]
