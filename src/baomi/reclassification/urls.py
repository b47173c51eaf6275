from django.urls import path

from baomi.reclassification import views

app_name = "reclassification"
urlpatterns = [
    path("", views.index, name="index"),
    path("periods/", views.index, name="periods"),
    path("reviews/", views.index, name="reviews"),
    path("change/", views.change, name="change"),
    path("scope/", views.scope, name="scope"),
    path("review/<int:carrier_id>/", views.review, name="review"),
    path("unclear/", views.unclear, name="unclear"),
    path("notices/", views.notices, name="notices"),
]
