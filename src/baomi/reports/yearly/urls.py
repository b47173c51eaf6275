from django.urls import path

from baomi.reports.yearly import views

app_name = "yearly"
urlpatterns = [
    path("", views.page, name="report"),
    path("report.pdf", views.pdf, name="pdf"),
    path("report.xlsx", views.xlsx, name="xlsx"),
]
