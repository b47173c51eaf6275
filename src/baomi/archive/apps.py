from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.archive"
    label = "archive"
    default_auto_field = "django.db.models.BigAutoField"
