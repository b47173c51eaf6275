from django.urls import path

from baomi.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
