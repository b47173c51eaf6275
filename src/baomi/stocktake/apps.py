from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.stocktake"
    label = "stocktake"
    default_auto_field = "django.db.models.BigAutoField"
