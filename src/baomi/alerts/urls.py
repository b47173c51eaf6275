from django.urls import path

from baomi.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("count/", views.alert_count, name="count"),
]
