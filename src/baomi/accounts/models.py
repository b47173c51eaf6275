"""Login accounts as a classified system keeps them (SEC-1, SEC-2): state beside Django's User,
the password history, and the security settings the 系统管理员 edits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Account(models.Model):
    """What Django's User lacks: must-change, when the password was set, and a lockout.

    Its primary key is the User's, so "the account id" of the API and pages is the User id.
    Disabled is `User.is_active = False` (Django then refuses the login and the session).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="account",
    )
    must_change_password = models.BooleanField("下次登录须修改口令", default=False)
    password_changed_at = models.DateTimeField("口令设置时间", default=timezone.now)
    # Stored, not computed: the API and every page ask it without reading the settings; a change
    # of the policy's max age recomputes it for every account (actions.update_security_settings).
    password_expires_at = models.DateTimeField("口令到期时间", null=True, blank=True)
    # Set when the account is locked after repeated failures (axes counts them); None: not locked.
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    created_at = models.DateTimeField("开户时间", default=timezone.now)

    class Meta:
        verbose_name = "登录账号"
        verbose_name_plural = "登录账号"

    def __str__(self) -> str:
        return self.user.get_username()

    def audit_text(self) -> str:
        return f"账号 {self.user.get_username()}"

    def password_expired(self, now=None) -> bool:
        return self.password_expires_at is not None and self.password_expires_at <= (
            now or timezone.now()
        )

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class PasswordHistory(models.Model):
    """The hashes of a user's last passwords (SEC-2: not one of the last N), newest first."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField("口令哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史口令"
        verbose_name_plural = "历史口令"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class SecuritySettings(models.Model):
    """One row per database: the password policy, lockout, idle timeout and token lifetime.

    Until the 系统管理员 first saves it, `policy.current_settings()` answers the defaults of the
    system's level (settings.BAOMI_SYSTEM_LEVEL) without writing anything.
    """

    min_length = models.PositiveSmallIntegerField("口令最短长度")
    character_classes = models.PositiveSmallIntegerField(
        "口令至少包含的字符种类（大写、小写、数字、符号）", default=3
    )
    max_age_days = models.PositiveSmallIntegerField("口令有效期（天）")
    history_count = models.PositiveSmallIntegerField("不得与最近几次口令相同", default=5)
    failure_limit = models.PositiveSmallIntegerField(
        "账号登录失败锁定次数（锁定时长内累计）", default=5
    )
    address_failure_limit = models.PositiveSmallIntegerField(
        "同一地址登录失败锁定次数（不论账号）", default=20
    )
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长（分钟）", default=30)
    idle_timeout_minutes = models.PositiveSmallIntegerField("无操作自动退出（分钟）", default=30)
    token_lifetime_days = models.PositiveSmallIntegerField("API 令牌有效期（天）", default=90)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "安全设置"
        verbose_name_plural = "安全设置"

    def __str__(self) -> str:
        return "安全设置"

    def audit_text(self) -> str:
        return "安全设置（口令、锁定、会话、令牌）"
