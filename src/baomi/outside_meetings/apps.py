from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.outside_meetings"
    label = "outside_meetings"
    verbose_name = "外出参加会议"
    default_auto_field = "django.db.models.BigAutoField"
