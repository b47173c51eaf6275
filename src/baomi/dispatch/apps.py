from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.dispatch"
    label = "dispatch"
    verbose_name = "发文与清退"
    default_auto_field = "django.db.models.BigAutoField"
