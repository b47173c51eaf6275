from django.db import models


class SystemRole(models.TextChoices):
    """三员 (SEC-3): at most one per account — a single field makes two impossible."""

    NONE = "", "无"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全保密管理员"
    AUDITOR = "auditor", "安全审计员"
