from django.urls import path

from baomi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("create/", views.create, name="create"),
    path("<int:account_id>/", views.detail, name="detail"),
    path("<int:account_id>/do/<slug:what>/", views.act, name="act"),
    path("<int:account_id>/reset-password/", views.reset, name="reset_password"),
    path("<int:account_id>/tokens/<int:token_id>/revoke/", views.revoke, name="revoke_token"),
    path("<int:account_id>/otp/", views.register_token, name="register_token"),
    path("<int:account_id>/otp/<int:device_id>/remove/", views.remove_device, name="remove_device"),
    path("password/", views.change_password, name="password"),
    path("security-settings/", views.security_settings, name="security_settings"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("me/tokens/<int:token_id>/revoke/", views.revoke_mine, name="my_token_revoke"),
]
