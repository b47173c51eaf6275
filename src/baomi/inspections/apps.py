from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.inspections"
    label = "inspections"
    verbose_name = "保密检查与整改"
    default_auto_field = "django.db.models.BigAutoField"
