from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.assessments"
    label = "assessments"
    verbose_name = "保密工作考核与奖惩"
    default_auto_field = "django.db.models.BigAutoField"
