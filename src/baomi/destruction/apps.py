from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.destruction"
    label = "destruction"
    default_auto_field = "django.db.models.BigAutoField"
