from django.urls import path

from baomi.personnel import views

app_name = "personnel"
urlpatterns = [
    path("", views.ledger, name="list"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.pdf", views.export_pdf, name="export_pdf"),
    path("organisation/", views.organisation_page, name="organisation"),
    path("letters/<int:pk>.pdf", views.letter_pdf, name="letter_pdf"),
    path("statistics/", views.statistics, name="statistics"),
    path("allowance/", views.allowance, name="allowance"),
    path("allowance.xlsx", views.allowance_export, name="allowance_xlsx"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:slug>/", views.act, name="act"),
    path("steps/<slug:what>/<int:pk>/<slug:step>/", views.step, name="step"),
]
