from django.apps import AppConfig


class Config(AppConfig):
    """The consoles of the 系统管理员 and the 安全保密管理员 (pages only: the actions stay in the
    apps that own the data — org, carriers — and the API in their api modules)."""

    name = "baomi.administration"
    label = "administration"
    default_auto_field = "django.db.models.BigAutoField"
