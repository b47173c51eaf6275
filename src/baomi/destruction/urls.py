from django.urls import path

from baomi.destruction import views

app_name = "destruction"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
