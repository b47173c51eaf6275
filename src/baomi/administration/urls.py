from django.urls import path

from baomi.administration import views

app_name = "console"
urlpatterns = [
    path("", views.index, name="index"),
    # 系统管理员
    path("units/", views.units, name="units"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("departments/", views.departments, name="departments"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/", views.department_edit, name="department_edit"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/active/", views.person_active, name="person_active"),
    path("places/", views.places, name="places"),
    path("places/new/", views.place_create, name="place_create"),
    path("places/<int:pk>/", views.place_edit, name="place_edit"),
    path("places/<int:pk>/active/", views.place_active, name="place_active"),
    # 安全保密管理员
    path("grants/", views.grants, name="grants"),
    path("grants/new/", views.grant_create, name="grant_create"),
    path("grants/<str:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("authority/", views.authorities, name="authorities"),
    path("authority/<int:pk>/", views.authority_edit, name="authority_edit"),
]
