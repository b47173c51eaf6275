from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "baomi.accounts"
    verbose_name = "账号与口令"

    def ready(self) -> None:
        # Login, logout, failed-login and lockout signals become audited actions (SEC-2, SEC-4).
        from baomi.accounts import signals  # noqa: F401
