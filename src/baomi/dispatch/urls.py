from django.urls import path

from baomi.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.dispatch_page, name="list"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export"),
    path("export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("recalls/", views.recalls, name="recalls"),
    path("recalls/list.<str:fmt>", views.recall_list, name="recall_list"),
    path("slips/", views.slip_list, name="slips"),
    path("slips/<int:pk>/", views.slip_detail, name="slip"),
    path("policies/", views.policies, name="policies"),
]
