"""Account writers (SEC-1, SEC-2, SEC-3): create, reset, disable, enable, unlock, change one's
own password, tokens, security settings, and the audit rows of logins and lockouts.

三员分立: the accounts of the three system roles are created by `baomi init` and reset or
unlocked only by commands on the server (`baomi account …`, actor: the automation actor) —
never from the console, or the 系统管理员 could take over the auditor's account.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from baomi.accounts.models import Account, SecuritySettings
from baomi.accounts.policy import current_settings, level_policy
from baomi.audit.trail import record
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, NotFound, RuleViolation
from baomi.org.choices import SystemRole
from baomi.org.models import ApiToken, Person, Unit

USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{2,150}$")
# No look-alikes (0/O, 1/l/I) in a password someone reads off a screen and types.
ALPHABET = {
    "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "lower": "abcdefghijkmnopqrstuvwxyz",
    "digit": "23456789",
    "symbol": "!#%*+-=?@^_",
}


def generate_one_time_password(length: int | None = None) -> str:
    """A random password with all four character classes, longer than the policy asks."""
    length = max(length or 0, current_settings().min_length + 4, 14)
    chars = [secrets.choice(group) for group in ALPHABET.values()]
    pool = "".join(ALPHABET.values())
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


# -- who may do what ------------------------------------------------------------------------------


def managed_unit_ids(actor: Person) -> list[int]:
    """The units whose accounts a 系统管理员 manages: their own and every unit below it (ORG-4)."""
    ids, frontier = [actor.unit_id], [actor.unit_id]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def require_sysadmin(actor: Person, doing: str) -> None:
    if actor.is_automation or (actor.system_role == SystemRole.SYSADMIN and actor.active):
        return
    raise Forbidden(f"只有系统管理员可以{doing}（SEC-3 三员分立）。")


def _in_scope(actor: Person, person: Person) -> None:
    if actor.is_automation:
        return
    if person.is_automation or person.unit_id not in managed_unit_ids(actor):
        raise NotFound("人员不存在，或不属于您管理的单位。")


def _not_a_system_account(actor: Person, person: Person, doing: str) -> None:
    """SEC-3: the three system accounts are handled only by commands on the server."""
    if person.has_system_role and not actor.is_automation:
        raise RuleViolation(
            "SEC-3",
            f"不能在系统中对三员账号（{person.name}，{person.get_system_role_display()}）{doing}："
            "三员账号只能由服务器上的命令 baomi account reset-password / unlock 处理，"
            "否则三员分立失效（SEC-3）。",
        )


def _user_of(person: Person):
    if person.user_id is None:
        raise InvalidState("该人员没有登录账号。", {"account": ["该人员没有登录账号"]})
    return person.user


def _account(user) -> Account:
    account, _ = Account.objects.get_or_create(user=user)
    return account


def _validate_new_password(password: str, user, person: Person, field: str) -> None:
    user._baomi_person = person
    try:
        validate_password(password, user)
    except ValidationError as exc:
        messages = list(exc.messages)
        raise RuleViolation(
            "SEC-2", "口令不符合安全策略：" + "；".join(messages), {field: messages}
        ) from exc


def _set_password(user, person: Person, password: str, *, must_change: bool) -> Account:
    user.set_password(password)
    user.save()  # the validators' password_changed hook keeps the history and the dates
    account = _account(user)
    account.must_change_password = must_change
    account.save(update_fields=["must_change_password"])
    return account


def _one_time_password_for(user, person: Person) -> str:
    """A generated password that also passes the personal-data and history checks."""
    user._baomi_person = person
    for _ in range(20):
        candidate = generate_one_time_password()
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate
    raise InvalidState("未能生成符合策略的一次性口令，请重试。")


# -- accounts -------------------------------------------------------------------------------------


def new_login(person: Person, username: str, *, must_change: bool = True) -> tuple:
    """The login of a person, with a one-time password (no audit: the callers write it)."""
    User = get_user_model()
    if not USERNAME.match(username or ""):
        raise Invalid(
            "用户名无效。",
            {"username": ["用户名为 2–150 个字母、数字或 _ . @ + - 字符"]},
        )
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid("用户名已存在。", {"username": ["用户名已存在"]})
    if person.user_id is not None:
        raise InvalidState("该人员已有登录账号（SEC-1：一人一个账号）。")
    user = User(username=username, first_name=person.name[:150])
    password = _one_time_password_for(user, person)
    user.set_password(password)
    user.save()
    Account.objects.filter(user=user).update(must_change_password=must_change)
    _account(user)
    person.user = user
    person.save(update_fields=["user"])
    return user, password


@action("account.create")
def create_account(actor: Person, person: Person, *, username: str) -> tuple:
    """A login for a person, with a one-time password shown once; it must be changed at first
    login (SEC-2). One account per person, never shared (SEC-1)."""
    require_sysadmin(actor, "开设登录账号")
    _in_scope(actor, person)
    if person.is_automation:
        raise Invalid("系统自动任务不能有登录账号。", {"person": ["系统自动任务不能有登录账号"]})
    if person.has_system_role:
        raise RuleViolation(
            "SEC-3",
            f"{person.name}是{person.get_system_role_display()}：三员账号只能在系统初始化时"
            "由 baomi init 建立（SEC-3）。",
        )
    if not person.active:
        raise InvalidState("该人员已不在岗，不能开设账号。")
    user, password = new_login(person, username)
    record("account.create", actor, person, after={"username": user.username})
    return user, password


@action("account.reset_password")
def reset_password(actor: Person, person: Person) -> str:
    """A new one-time password (shown once); the person must change it at next login."""
    require_sysadmin(actor, "重置口令")
    _in_scope(actor, person)
    _not_a_system_account(actor, person, "重置口令")
    user = _user_of(person)
    password = _one_time_password_for(user, person)
    _set_password(user, person, password, must_change=True)
    record("account.reset_password", actor, person, after={"username": user.username})
    return password


@action("account.disable")
def disable_account(actor: Person, person: Person) -> Person:
    """The login stops working at once: pages, sessions and API tokens (SEC-1)."""
    require_sysadmin(actor, "停用账号")
    _in_scope(actor, person)
    _not_a_system_account(actor, person, "停用")
    user = _user_of(person)
    if not user.is_active:
        raise InvalidState("账号已停用。", {"status": ["disabled"]})
    user.is_active = False
    user.save(update_fields=["is_active"])
    record("account.disable", actor, person, before={"active": True}, after={"active": False})
    return person


@action("account.enable")
def enable_account(actor: Person, person: Person) -> Person:
    require_sysadmin(actor, "启用账号")
    _in_scope(actor, person)
    _not_a_system_account(actor, person, "启用")
    user = _user_of(person)
    if user.is_active:
        raise InvalidState("账号未停用。", {"status": ["active"]})
    if not person.active:
        raise InvalidState("该人员已不在岗，不能启用账号。")
    user.is_active = True
    user.save(update_fields=["is_active"])
    record("account.enable", actor, person, before={"active": False}, after={"active": True})
    return person


@action("account.unlock")
def unlock_account(actor: Person, person: Person) -> Person:
    """End a lockout before its time (the failures are forgotten too)."""
    from axes.utils import reset

    require_sysadmin(actor, "解锁账号")
    _in_scope(actor, person)
    _not_a_system_account(actor, person, "解锁")
    user = _user_of(person)
    account = _account(user)
    before = {"locked_until": account.locked_until.isoformat() if account.locked_until else None}
    account.locked_until = None
    account.save(update_fields=["locked_until"])
    reset(username=user.username)
    record("account.unlock", actor, person, before=before, after={"locked_until": None})
    return person


@action("account.password_change")
def change_own_password(actor: Person, *, current: str, new: str) -> Account:
    """SEC-2: the person changes their own password (checked against the whole policy)."""
    user = _user_of(actor)
    if not user.check_password(current or ""):
        raise Invalid("当前口令不正确。", {"current_password": ["当前口令不正确"]})
    if new == current:
        raise RuleViolation(
            "SEC-2", "新口令不能与当前口令相同（SEC-2）。", {"new_password": ["不能与当前口令相同"]}
        )
    _validate_new_password(new, user, actor, "new_password")
    account = _set_password(user, actor, new, must_change=False)
    record("account.password_change", actor, actor, after={"username": user.username})
    return account


# -- lockouts and the login trail (called by the auth signals) -----------------------------------


@action("account.lock")
def lock_account(actor: Person | None, account: Account, *, address: str) -> Account:
    """Repeated failures lock the account until the cool-off ends or it is unlocked (SEC-2)."""
    account.locked_until = timezone.now() + timedelta(minutes=current_settings().lockout_minutes)
    account.save(update_fields=["locked_until"])
    person = Person.objects.filter(user_id=account.pk).first()
    record(
        "account.lock",
        actor,
        person or account,
        after={
            "username": account.user.username,
            "address": address,
            "locked_until": account.locked_until.isoformat(),
        },
    )
    return account


@action("login.address_locked")
def record_address_lockout(actor: Person | None, *, address: str, username: str) -> None:
    record(
        "login.address_locked",
        actor,
        None,
        after={"address": address, "username": username[:150]},
        message=f"地址 {address} 登录失败次数过多，暂停登录（SEC-2）",
    )


@action("login.success")
def record_login(actor: Person | None, account: Account | None, *, address: str) -> None:
    record("login.success", actor, actor or account, after={"address": address})


@action("login.failed")
def record_failed_login(
    actor: Person | None, person: Person | None, *, username: str, address: str, locked: bool
) -> None:
    record(
        "login.failed",
        actor,
        person,
        after={"username": username[:150], "address": address, "locked": locked},
    )


@action("login.logout")
def record_logout(actor: Person | None, *, address: str, reason: str) -> None:
    record("login.logout", actor, actor, after={"address": address, "reason": reason})


# -- API tokens -----------------------------------------------------------------------------------


@action("token.revoke")
def revoke_token(actor: Person, token: ApiToken) -> ApiToken:
    """By its owner, or by the 系统管理员 of the owner's unit."""
    if token.person_id != actor.pk:
        require_sysadmin(actor, "吊销他人的访问令牌")
        _in_scope(actor, token.person)
    if token.revoked:
        raise InvalidState("令牌已吊销。", {"status": ["revoked"]})
    token.revoked = True
    token.save(update_fields=["revoked"])
    record("token.revoke", actor, token.person, after={"token_id": token.pk})
    return token


@action("token.first_use")
def record_token_first_use(actor: Person, token: ApiToken, *, address: str) -> None:
    record("token.first_use", actor, actor, after={"token_id": token.pk, "address": address})


# -- security settings ----------------------------------------------------------------------------

SETTING_LIMITS = {
    "min_length": (1, 128),
    "character_classes": (3, 4),
    "max_age_days": (1, 365),
    "history_count": (5, 24),
    "failure_limit": (3, 10),
    "address_failure_limit": (3, 1000),
    "lockout_minutes": (1, 1440),
    "idle_timeout_minutes": (1, 240),
    "token_lifetime_days": (1, 365),
}


@action("security_settings.update")
def update_security_settings(actor: Person, **changes) -> SecuritySettings:
    """The 系统管理员 may tighten the policy, never loosen it below the system level's floor
    (SEC-2's practice note: 机密 ≥ 10 characters, changed at least weekly)."""
    require_sysadmin(actor, "修改安全设置")
    unknown = sorted(set(changes) - set(SETTING_LIMITS))
    if unknown:
        raise Invalid("不能修改这些设置。", {name: ["未知的设置项"] for name in unknown})
    errors = {}
    for name, value in changes.items():
        low, high = SETTING_LIMITS[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[name] = [f"须为 {low}–{high} 之间的整数"]
    if errors:
        raise Invalid("设置值超出范围。", errors)
    floor = level_policy()
    settings_row = SecuritySettings.objects.select_for_update().filter(pk=1).first()
    current = settings_row or current_settings()
    merged = {name: changes.get(name, getattr(current, name)) for name in SETTING_LIMITS}
    if merged["min_length"] < floor.min_length:
        raise RuleViolation(
            "SEC-2",
            f"本系统按最高密级的要求，口令长度不得少于 {floor.min_length} 个字符（SEC-2）。",
            {"min_length": [f"不得少于 {floor.min_length}"]},
        )
    if merged["max_age_days"] > floor.max_age_days:
        raise RuleViolation(
            "SEC-2",
            f"本系统按最高密级的要求，口令至少每 {floor.max_age_days} 天更换一次（SEC-2）。",
            {"max_age_days": [f"不得超过 {floor.max_age_days} 天"]},
        )
    if merged["address_failure_limit"] < merged["failure_limit"]:
        raise Invalid(
            "同一地址的锁定次数不能少于账号的锁定次数。",
            {"address_failure_limit": ["不能少于账号登录失败锁定次数（锁定时长内累计）"]},
        )
    before = {name: getattr(current, name) for name in changes}
    if settings_row is None:
        settings_row = current
        settings_row.id = 1
    for name, value in merged.items():
        setattr(settings_row, name, value)
    settings_row.updated_at = timezone.now()
    settings_row.save()
    if "max_age_days" in changes:
        Account.objects.update(
            password_expires_at=F("password_changed_at") + timedelta(days=merged["max_age_days"])
        )
    record("security_settings.update", actor, settings_row, before=before, after=changes)
    return settings_row


# -- first run ------------------------------------------------------------------------------------

SYSTEM_ACCOUNTS = (
    (SystemRole.SYSADMIN, "sysadmin"),
    (SystemRole.SECADMIN, "secadmin"),
    (SystemRole.AUDITOR, "auditor"),
)


@action("system.init")
def initialise_system(
    actor: Person, unit: Unit, *, superior_name: str = "", superior_code: str = ""
) -> list[tuple[str, str]]:
    """`baomi init`: the first unit (made just before, as nobody can act before it exists), its
    superior if named, and the three system accounts, each with a one-time password."""
    if not actor.is_automation:
        raise Forbidden("只有部署脚本可以初始化系统。")
    if superior_name:
        superior = Unit.objects.create(name=superior_name, code=superior_code)
        record("unit.create", actor, superior, after={"name": superior_name, "code": superior_code})
        unit.parent = superior
        unit.save(update_fields=["parent"])
    record(
        "unit.create",
        actor,
        unit,
        after={
            "name": unit.name,
            "code": unit.code,
            "classification_authority": unit.classification_authority,
            "parent": unit.parent.code if unit.parent_id else None,
        },
    )
    issued = []
    for role, username in SYSTEM_ACCOUNTS:
        person = Person.objects.create(
            unit=unit, name=str(role.label), post=str(role.label), system_role=role
        )
        user, password = new_login(person, username)
        record(
            "account.create",
            actor,
            person,
            after={"username": user.username, "system_role": role.value},
        )
        issued.append((username, password))
    record("system.init", actor, unit, after={"accounts": [u for u, _ in issued]})
    return issued


# -- second factor (动态口令) ----------------------------------------------------------------------

OTP_DIGITS = (6, 8)
OTP_STEPS = (30, 60)


def _devices(user, *, confirmed: bool | None = True):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = TOTPDevice.objects.filter(user=user)
    return devices if confirmed is None else devices.filter(confirmed=confirmed)


def parse_seed(seed: str) -> str:
    """A token's seed as the vendor ships it — hex or base32 — as the hex django-otp stores."""
    import base64
    import binascii

    text = re.sub(r"[\s-]", "", seed or "")
    try:
        raw = bytes.fromhex(text) if re.fullmatch(r"[0-9A-Fa-f]+", text) else b""
        if not raw:
            raw = base64.b32decode(text.upper() + "=" * (-len(text) % 8))
    except (ValueError, binascii.Error):
        raw = b""
    if not 10 <= len(raw) <= 40:
        raise Invalid("种子格式不正确。", {"seed": ["须为 10–40 字节的十六进制或 Base32 种子"]})
    return raw.hex()


@action("otp.enrol_start")
def begin_otp_enrolment(actor: Person):
    """A new, unconfirmed TOTP device for oneself; confirmed by typing a code it shows."""
    user = _user_of(actor)
    if _devices(user).exists():
        raise InvalidState("已绑定动态口令牌；如需更换，请联系系统管理员先解除绑定。")
    _devices(user, confirmed=False).delete()
    device = _devices(user, confirmed=None).model.objects.create(
        user=user, name="动态口令", confirmed=False
    )
    record("otp.enrol_start", actor, actor, after={"device_id": device.pk})
    return device


@action("otp.enrol")
def confirm_otp_enrolment(actor: Person, device, *, token: str):
    if device.user_id != actor.user_id or device.confirmed:
        raise NotFound("没有待确认的动态口令。")
    if not device.verify_token(str(token or "").strip()):
        raise RuleViolation("SEC-2", "动态口令不正确，请输入口令牌当前显示的数字（SEC-2）。")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record("otp.enrol", actor, actor, after={"device_id": device.pk})
    return device


@action("otp.verify")
def verify_second_factor(actor: Person, *, token: str):
    """At login: the code of one of the person's confirmed devices (throttled by django-otp)."""
    user = _user_of(actor)
    for device in _devices(user):
        if device.verify_token(str(token or "").strip()):
            record("otp.verify", actor, actor, after={"device_id": device.pk})
            return device
    raise RuleViolation("SEC-2", "动态口令不正确或尝试过于频繁，请稍后重试（SEC-2）。")


@action("otp.register")
def register_hardware_token(
    actor: Person, person: Person, *, serial: str, seed: str, digits: int = 6, step: int = 30
):
    """A hardware TOTP token (动态口令牌) handed to the person: its seed as the vendor ships it.
    No smartphone is allowed in a 涉密场所, so this is the usual way to issue a second factor."""
    require_sysadmin(actor, "登记动态口令牌")
    _in_scope(actor, person)
    _not_a_system_account(actor, person, "登记动态口令牌")
    user = _user_of(person)
    if digits not in OTP_DIGITS or step not in OTP_STEPS:
        raise Invalid("口令牌参数不正确。", {"digits": ["6 或 8 位"], "step": ["30 或 60 秒"]})
    serial = (serial or "").strip()
    if not serial or len(serial) > 60:
        raise Invalid("请填写口令牌序列号。", {"serial": ["序列号为 1–60 个字符"]})
    device = _devices(user, confirmed=None).model.objects.create(
        user=user,
        name=f"动态口令牌 {serial}",
        key=parse_seed(seed),
        digits=digits,
        step=step,
        confirmed=True,
    )
    record("otp.register", actor, person, after={"device_id": device.pk, "serial": serial})
    return device


@action("otp.remove")
def remove_otp_device(actor: Person, device) -> None:
    """A lost or returned token: the person enrols or is issued a new one."""
    person = Person.objects.filter(user_id=device.user_id).first()
    if person is None:
        raise NotFound("动态口令牌不存在。")
    require_sysadmin(actor, "解除动态口令牌")
    _in_scope(actor, person)
    _not_a_system_account(actor, person, "解除动态口令牌")
    record("otp.remove", actor, person, before={"device_id": device.pk, "name": device.name})
    device.delete()


__all__ = [
    "change_own_password",
    "create_account",
    "disable_account",
    "enable_account",
    "generate_one_time_password",
    "initialise_system",
    "reset_password",
    "revoke_token",
    "unlock_account",
    "update_security_settings",
]
