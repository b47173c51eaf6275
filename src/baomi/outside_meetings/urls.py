from django.urls import path

from baomi.outside_meetings import views

app_name = "outside_meetings"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("declared/", views.declared, name="declared"),
    path("<int:pk>/", views.detail, name="detail"),
]
