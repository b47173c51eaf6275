from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.scanner"
    label = "scanner"
    default_auto_field = "django.db.models.BigAutoField"
