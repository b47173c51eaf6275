from django.urls import path

from baomi.training import views

app_name = "training"
urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("question-bank/", views.question_bank, name="question_bank"),
    path("exams/", views.exams, name="exams"),
    path("exams/<int:pk>/", views.exam, name="exam"),
]
