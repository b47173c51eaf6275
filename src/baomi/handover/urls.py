from django.urls import path

from baomi.handover import views

app_name = "handover"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
