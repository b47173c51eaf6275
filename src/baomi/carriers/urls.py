from django.urls import path

from baomi.carriers import returns, views

app_name = "carriers"
urlpatterns = [
    path("", views.ledger, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("labels.pdf", views.labels, name="labels"),
    path("register/", views.register, name="register"),
    path("mine/", views.holdings, name="holdings"),
    path("returns/", returns.returns, name="returns"),
    path("returns/scan/", returns.return_scanned, name="return_scan"),
    path("returns/batch/", returns.return_batch, name="return_batch"),
    path("mine/<int:pk>/acknowledge/", views.acknowledge_holding, name="acknowledge_holding"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:slug>/", views.act, name="act"),
    path("<int:pk>/<slug:slug>/form/", views.action_form, name="action_form"),
]
