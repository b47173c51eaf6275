"""JSON API of accounts (design.md: `accounts` + `/reset-password`, `/unlock`, `/disable`,
`/enable`; `me/password`; `me/tokens`; `security-settings`). The account id is the login's id.

Only the 系统管理员 manages accounts and settings (others: 403 forbidden); the three system
accounts are refused from here (403 SEC-3) — they are handled by `baomi account` on the server.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema, Status
from pydantic import AliasChoices, Field

from baomi.accounts import actions, selectors
from baomi.accounts.policy import current_settings
from baomi.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
    InputSchema,
    PageQuery,
    Ref,
    display,
    paginate,
    text,
)
from baomi.lib.errors import Invalid, NotFound
from baomi.org.choices import SystemRole
from baomi.org.models import ApiToken, Person

router = Router()  # /accounts
me_router = Router()  # /me/password, /me/tokens
settings_router = Router()  # /security-settings


class AccountOut(Schema):
    id: int = Field(description="账号编号（登录账号的 id）")
    username: str
    person: Ref
    unit_id: int
    unit_name: str
    department_name: str
    system_role: str
    system_role_display: str
    state: str = Field(description="active / disabled / locked / must_change / expired")
    state_display: str
    states: list[str]
    is_active: bool
    locked_until: datetime | None
    must_change_password: bool
    password_changed_at: datetime | None
    password_expires_at: datetime | None
    last_login: datetime | None
    has_otp_device: bool


class AccountPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AccountOut]


class CreatedAccountOut(AccountOut):
    one_time_password: str = Field(description="一次性口令，只返回这一次；首次登录须修改")


class OneTimePasswordOut(Schema):
    id: int
    username: str
    one_time_password: str = Field(description="一次性口令，只返回这一次；下次登录须修改")


def account_out(person: Person) -> dict:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = person.user
    account = getattr(user, "account", None)
    states = selectors.states_of(person)
    return {
        "id": user.pk,
        "username": user.username,
        "person": {"id": person.pk, "name": person.name},
        "unit_id": person.unit_id,
        "unit_name": person.unit.name,
        "department_name": person.department.name if person.department_id else "",
        "system_role": person.system_role or "",
        "system_role_display": display(SystemRole, person.system_role),
        "state": states[0],
        "state_display": display(selectors.AccountState, states[0]),
        "states": states,
        "is_active": user.is_active,
        "locked_until": account.locked_until if account and account.is_locked() else None,
        "must_change_password": bool(account and account.must_change_password),
        "password_changed_at": account.password_changed_at if account else None,
        "password_expires_at": account.password_expires_at if account else None,
        "last_login": user.last_login,
        "has_otp_device": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
    }


class AccountsQuery(PageQuery):
    unit: Id | None = Field(None, description="单位编号")
    state: text(20) | None = Field(
        None, description="active / disabled / locked / must_change（或 must-change）/ expired"
    )
    q: text(100) | None = Field(None, description="姓名、用户名或人员编号中包含的文字")


@router.get("", response={200: AccountPage, **READ_ERRORS}, summary="账号列表")
def list_accounts(request, query: Query[AccountsQuery]):
    actions.require_sysadmin(request.auth, "查看账号")
    state = selectors.parse_state(query.state)
    if query.state and state is None:
        raise Invalid(
            "账号状态无效。", {"state": [f"可选值：{'、'.join(selectors.AccountState.values)}"]}
        )
    people = selectors.accounts_filtered(
        request.auth, unit=query.unit, state=state, q=query.q or ""
    )
    return paginate(people, query, account_out)


class AccountIn(InputSchema):
    person_id: Id
    username: text(150, min_length=1)


@router.post("", response={201: CreatedAccountOut, **WRITE_ERRORS}, summary="开设账号")
def create_account(request, payload: AccountIn):
    actor = request.auth
    actions.require_sysadmin(actor, "开设登录账号")
    person = (
        selectors.people_without_account(actor).filter(pk=payload.person_id).first()
        or Person.objects.filter(
            pk=payload.person_id,
            is_automation=False,
            unit_id__in=actions.managed_unit_ids(actor),
        ).first()
    )
    if person is None:
        raise Invalid("人员不存在，或不属于您管理的单位。", {"person_id": ["人员不存在"]})
    _, password = actions.create_account(actor, person, username=payload.username)
    person = selectors.account_person(actor, Person.objects.get(pk=person.pk).user_id)
    return Status(201, {**account_out(person), "one_time_password": password})


@router.get("/{account_id}", response={200: AccountOut, **READ_ERRORS}, summary="账号详情")
def get_account(request, account_id: Id):
    actions.require_sysadmin(request.auth, "查看账号")
    return account_out(selectors.account_person(request.auth, account_id))


def _managed(request, account_id: int) -> Person:
    actions.require_sysadmin(request.auth, "管理账号")
    return selectors.account_person(request.auth, account_id)


@router.post(
    "/{account_id}/reset-password",
    response={200: OneTimePasswordOut, **WRITE_ERRORS},
    summary="重置口令",
)
def reset_password(request, account_id: Id):
    """A new one-time password (returned once); must be changed at next login. 403 SEC-3 for
    the three system accounts."""
    person = _managed(request, account_id)
    password = actions.reset_password(request.auth, person)
    return {"id": account_id, "username": person.user.username, "one_time_password": password}


@router.post("/{account_id}/unlock", response={200: AccountOut, **WRITE_ERRORS}, summary="解锁")
def unlock(request, account_id: Id):
    person = _managed(request, account_id)
    actions.unlock_account(request.auth, person)
    return account_out(selectors.account_person(request.auth, account_id))


@router.post("/{account_id}/disable", response={200: AccountOut, **WRITE_ERRORS}, summary="停用")
def disable(request, account_id: Id):
    person = _managed(request, account_id)
    actions.disable_account(request.auth, person)
    return account_out(selectors.account_person(request.auth, account_id))


@router.post("/{account_id}/enable", response={200: AccountOut, **WRITE_ERRORS}, summary="启用")
def enable(request, account_id: Id):
    person = _managed(request, account_id)
    actions.enable_account(request.auth, person)
    return account_out(selectors.account_person(request.auth, account_id))


# -- tokens -------------------------------------------------------------------------------------


class TokenOut(Schema):
    id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    revoked: bool
    state: str = Field(description="active / expired / revoked")
    state_display: str


class CreatedTokenOut(TokenOut):
    token: str = Field(description="令牌本身，只返回这一次")


def token_out(token: ApiToken) -> dict:
    return {
        "id": token.pk,
        "label": token.label,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked": token.revoked,
        "state": token.state,
        "state_display": token.state_display,
    }


@router.get(
    "/{account_id}/tokens", response={200: list[TokenOut], **READ_ERRORS}, summary="账号的令牌"
)
def account_tokens(request, account_id: Id):
    person = _managed(request, account_id)
    return [token_out(t) for t in person.api_tokens.order_by("-created_at")]


@router.delete(
    "/{account_id}/tokens/{token_id}",
    response={204: None, **WRITE_ERRORS},
    summary="吊销该账号的令牌",
)
def revoke_account_token(request, account_id: Id, token_id: Id):
    person = _managed(request, account_id)
    token = person.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound("令牌不存在。")
    actions.revoke_token(request.auth, token)
    return Status(204, None)


@me_router.get("/me/tokens", response={200: list[TokenOut], **READ_ERRORS}, summary="我的令牌")
def my_tokens(request):
    return [token_out(t) for t in request.auth.api_tokens.order_by("-created_at")]


class TokenIn(InputSchema):
    label: text(100) = ""


@me_router.post("/me/tokens", response={201: CreatedTokenOut, **WRITE_ERRORS}, summary="生成令牌")
def create_my_token(request, payload: TokenIn):
    from baomi.org.actions import create_token

    token = create_token(request.auth, request.auth, label=payload.label)
    created = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    return Status(201, {**token_out(created), "token": token})


@me_router.delete(
    "/me/tokens/{token_id}", response={204: None, **WRITE_ERRORS}, summary="吊销我的令牌"
)
def revoke_my_token(request, token_id: Id):
    token = request.auth.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound("令牌不存在。")
    actions.revoke_token(request.auth, token)
    return Status(204, None)


# -- own password -------------------------------------------------------------------------------


class PasswordIn(InputSchema):
    current_password: text(256) = Field(
        validation_alias=AliasChoices("current_password", "current", "old_password")
    )
    new_password: text(256) = Field(validation_alias=AliasChoices("new_password", "new"))


class PasswordChangedOut(Schema):
    password_changed_at: datetime
    password_expires_at: datetime | None


@me_router.post(
    "/me/password", response={200: PasswordChangedOut, **WRITE_ERRORS}, summary="修改本人口令"
)
def change_password(request, payload: PasswordIn):
    """SEC-2: checked against the policy (length, three character classes, no name/pinyin,
    username or number, not one of the last 5). Refusals are 403 SEC-2; a wrong current password
    is 422. Open even while a one-time or expired password blocks every other call."""
    account = actions.change_own_password(
        request.auth, current=payload.current_password, new=payload.new_password
    )
    from django.contrib.auth import update_session_auth_hash

    if request.user.is_authenticated and request.user.pk == account.pk:
        update_session_auth_hash(request, account.user)
        from baomi.accounts import session

        session.refresh(request)
    return {
        "password_changed_at": account.password_changed_at,
        "password_expires_at": account.password_expires_at,
    }


# -- security settings --------------------------------------------------------------------------


class SecuritySettingsOut(Schema):
    system_level: str
    system_level_display: str
    min_length: int
    character_classes: int
    max_age_days: int
    history_count: int
    failure_limit: int
    address_failure_limit: int
    lockout_minutes: int
    idle_timeout_minutes: int
    token_lifetime_days: int
    otp_required_for_system_roles: bool
    updated_at: datetime | None


class SecuritySettingsIn(InputSchema):
    min_length: int | None = None
    character_classes: int | None = None
    max_age_days: int | None = None
    history_count: int | None = None
    failure_limit: int | None = None
    address_failure_limit: int | None = None
    lockout_minutes: int | None = None
    idle_timeout_minutes: int | None = None
    token_lifetime_days: int | None = None


def settings_out() -> dict:
    from django.conf import settings as django_settings

    from baomi.accounts.actions import SETTING_LIMITS
    from baomi.accounts.policy import system_level

    row = current_settings()
    level = system_level()
    return {
        "system_level": level.value,
        "system_level_display": str(level.label),
        **{name: getattr(row, name) for name in SETTING_LIMITS},
        "otp_required_for_system_roles": bool(
            getattr(django_settings, "BAOMI_OTP_REQUIRED_FOR_SYSTEM_ROLES", True)
        ),
        "updated_at": row.updated_at if row.pk and row._state.adding is False else None,
    }


def _may_read_settings(actor: Person) -> None:
    # The auditor checks the configuration too; the 安全保密管理员 sees what applies.
    if not (actor.has_system_role or actor.is_automation):
        from baomi.lib.errors import Forbidden

        raise Forbidden("只有三员可以查看安全设置（SEC-3）。")


@settings_router.get("", response={200: SecuritySettingsOut, **READ_ERRORS}, summary="安全设置")
def get_settings(request):
    _may_read_settings(request.auth)
    return settings_out()


@settings_router.put(
    "", response={200: SecuritySettingsOut, **WRITE_ERRORS}, summary="修改安全设置"
)
def put_settings(request, payload: SecuritySettingsIn):
    """Only the 系统管理员 (others 403 forbidden); never below the system level's floor (403
    SEC-2)."""
    changes = {k: v for k, v in payload.model_dump().items() if v is not None}
    actions.update_security_settings(request.auth, **changes)
    return settings_out()
