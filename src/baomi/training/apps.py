from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.training"
    label = "training"
    verbose_name = "保密教育与考试"
    default_auto_field = "django.db.models.BigAutoField"
