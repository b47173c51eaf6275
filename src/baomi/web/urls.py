from django.urls import path

from baomi.web import views

app_name = "web"
urlpatterns = [
    path("me/", views.profile, name="profile"),
]
