from django.urls import path

from baomi.review import views

app_name = "review"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.new, name="new"),
    path("register/", views.register, name="register"),
    path("register.xlsx", views.register_xlsx, name="register_xlsx"),
    path("register.pdf", views.register_pdf, name="register_pdf"),
    path("terms/", views.terms, name="terms"),
    path("terms/<int:number>/", views.term_version, name="term_version"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/files/<int:file_id>/", views.download, name="download"),
    path("<int:pk>/<slug:verb>/", views.act, name="act"),
]
