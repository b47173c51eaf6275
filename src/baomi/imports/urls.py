from django.urls import path

from baomi.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("review/", views.review, name="review"),
    path("regularise/", views.regularise, name="regularise"),
    path("clearances/", views.historical, name="historical"),
    path("<int:batch_id>/", views.detail, name="detail"),
]
