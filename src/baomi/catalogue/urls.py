from django.urls import path

from baomi.catalogue import views

app_name = "catalogue"
urlpatterns = [path("", views.list_page, name="list")]
