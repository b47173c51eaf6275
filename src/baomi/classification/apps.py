from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.classification"
    label = "classification"
    default_auto_field = "django.db.models.BigAutoField"
