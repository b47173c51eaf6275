from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.handover"
    label = "handover"
    default_auto_field = "django.db.models.BigAutoField"
