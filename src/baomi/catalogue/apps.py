from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.catalogue"
    label = "catalogue"
    verbose_name = "保密事项目录"
    default_auto_field = "django.db.models.BigAutoField"
