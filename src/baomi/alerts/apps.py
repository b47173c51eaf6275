from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.alerts"
    label = "alerts"
    default_auto_field = "django.db.models.BigAutoField"
