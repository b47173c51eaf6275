from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.reclassification"
    label = "reclassification"
    default_auto_field = "django.db.models.BigAutoField"
