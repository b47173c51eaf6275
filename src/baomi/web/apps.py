from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from baomi.lib import stored_text

        # Every Baomi model's text is checked before it is written (see lib/stored_text.py).
        stored_text.connect()
