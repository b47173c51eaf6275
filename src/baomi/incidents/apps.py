from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.incidents"
    label = "incidents"
    verbose_name = "失泄密事件"
    default_auto_field = "django.db.models.BigAutoField"
