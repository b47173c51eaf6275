from django.urls import path

from baomi.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("new/", views.new, name="new"),
    path("incidents.xlsx", views.export, {"fmt": "xlsx"}, name="export"),
    path("incidents.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
    path("preparedness/", views.preparedness_page, name="preparedness"),
    path("preparedness/plans/<int:pk>/file/", views.plan_file, name="plan_file"),
]
