from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.review"
    label = "review"
    verbose_name = "保密审查"
    default_auto_field = "django.db.models.BigAutoField"
