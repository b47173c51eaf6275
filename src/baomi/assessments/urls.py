from django.urls import path

from baomi.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("sheets/<int:pk>/", views.sheet_page, name="sheet"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
]
