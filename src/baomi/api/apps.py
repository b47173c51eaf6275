from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.api"
    label = "baomi_api"
    default_auto_field = "django.db.models.BigAutoField"
