from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.carriers"
    label = "carriers"
    default_auto_field = "django.db.models.BigAutoField"
