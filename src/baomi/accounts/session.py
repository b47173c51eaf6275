"""What a signed-in session must do before anything else, kept in the session itself.

Pages and the API ask on every request; reading the account and the settings each time would
cost two queries per request. The snapshot is taken at login and refreshed every few minutes
(and at once by the actions' views that change it); a reset by the administrator changes the
password hash, which ends the session anyway (Django's session auth hash)."""

from __future__ import annotations

from django.utils import timezone

from baomi.accounts.policy import account_of, change_reason, current_settings

KEY = "baomi_account"
LAST_SEEN = "baomi_last_seen"
REFRESH_SECONDS = 300
SEEN_RESOLUTION = 30  # seconds: the session is written at most this often for the idle clock


def _now() -> float:
    return timezone.now().timestamp()


def snapshot(user) -> dict:
    from django_otp import user_has_device

    account = account_of(user)
    return {
        "must_change": bool(account and account.must_change_password),
        "expires": account.password_expires_at.timestamp()
        if account and account.password_expires_at
        else None,
        "locked_until": account.locked_until.timestamp()
        if account and account.locked_until
        else None,
        "otp_device": user_has_device(user),
        "idle": current_settings().idle_timeout_minutes,
        "at": _now(),
    }


def start(request, user) -> None:
    request.session[KEY] = snapshot(user)
    request.session[LAST_SEEN] = _now()


def refresh(request) -> None:
    request.session[KEY] = snapshot(request.user)


def state(request) -> dict:
    data = request.session.get(KEY)
    if not data or _now() - data.get("at", 0) > REFRESH_SECONDS:
        data = snapshot(request.user)
        request.session[KEY] = data
    return data


def idle_expired(request) -> bool:
    """True when the session has been idle longer than the setting; otherwise marks activity."""
    now = _now()
    last = request.session.get(LAST_SEEN)
    idle_minutes = state(request).get("idle", 30)
    if last is not None and now - last > idle_minutes * 60:
        return True
    if last is None or now - last >= SEEN_RESOLUTION:
        request.session[LAST_SEEN] = now
    return False


def locked(request) -> bool:
    until = state(request).get("locked_until")
    return until is not None and until > _now()


def change_password_reason(request) -> str:
    data = state(request)
    if data.get("must_change"):
        from baomi.accounts.policy import MUST_CHANGE

        return MUST_CHANGE
    expires = data.get("expires")
    if expires is not None and expires <= _now():
        from baomi.accounts.policy import EXPIRED

        return EXPIRED
    return ""


def pending_step(request) -> tuple[str, str] | None:
    """(url name, why) of what the signed-in user must do first, or None.

    A second factor already bound is asked before anything (also before changing an expired
    password); a forced change comes next; enrolling a second factor where it is required, last
    (the first login of a system account: change the one-time password, then enrol)."""
    from baomi.accounts.policy import otp_required

    user = request.user
    verified = bool(getattr(user, "is_verified", lambda: False)())
    data = state(request)
    if data.get("otp_device") and not verified:
        return "accounts:otp_verify", "请输入动态口令（SEC-2 第二重认证）。"
    reason = change_password_reason(request)
    if reason:
        return "accounts:password", reason
    if otp_required(getattr(request, "person", None)) and not verified:
        return (
            "accounts:otp_setup",
            "三员账号须使用动态口令（第二重认证）：请先绑定动态口令牌（SEC-2）。",
        )
    return None


__all__ = ["change_reason", "pending_step", "refresh", "start", "state"]


def otp_required_setting() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "BAOMI_OTP_REQUIRED_FOR_SYSTEM_ROLES", True))


def otp_required_for(person) -> bool:
    from baomi.accounts.policy import otp_required

    return otp_required(person)
