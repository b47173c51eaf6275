from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.personnel"
    label = "personnel"
    default_auto_field = "django.db.models.BigAutoField"
