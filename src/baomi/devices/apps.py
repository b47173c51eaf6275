from django.apps import AppConfig


class Config(AppConfig):
    name = "baomi.devices"
    label = "devices"
    verbose_name = "计算机与存储介质"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # DEV-2 / DEV-4: use by another person, repair, scrapping and change of use are approved
        # through the engine; the kinds are registered here so the engine never learns of devices.
        from baomi.devices.approval_kinds import register_kinds

        register_kinds()
