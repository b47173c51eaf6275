from django.urls import path

from baomi.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
]
