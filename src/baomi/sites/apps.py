from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.sites"
    label = "sites"
    verbose_name = "要害部门部位"
    default_auto_field = "django.db.models.BigAutoField"
