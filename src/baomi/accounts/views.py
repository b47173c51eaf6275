"""Account pages: the 系统管理员's accounts and security settings, and everyone's own password,
second factor and tokens (SEC-1, SEC-2, SEC-3). Thin: every change is an action."""

from __future__ import annotations

import functools

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from baomi.accounts import actions, selectors, session
from baomi.accounts.forms import (
    AccountFilterForm,
    CreateAccountForm,
    HardwareTokenForm,
    OtpTokenForm,
    PasswordChangeForm,
    SecuritySettingsForm,
)
from baomi.accounts.lockout import lockout_response
from baomi.accounts.policy import current_settings, system_level
from baomi.lib.errors import BaomiError, NotFound
from baomi.org.choices import SystemRole
from baomi.org.models import ApiToken
from baomi.web.forms import apply_error, refusal_of
from baomi.web.views import forbidden, not_found, person_required


def sysadmin_required(view):
    """The 系统管理员's pages (SEC-3): anyone else gets a 403 page."""

    @functools.wraps(view)
    @person_required
    def wrapper(request, *args, **kwargs):
        if request.person.system_role != SystemRole.SYSADMIN:
            return forbidden(request, "只有系统管理员可以管理账号（SEC-3 三员分立）。")
        return view(request, *args, **kwargs)

    return wrapper


def _never_cached(response):
    add_never_cache_headers(response)  # one-time passwords and secrets: never from a cache
    return response


def _next_url(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    from django.urls import reverse

    return reverse(default)


# -- the 系统管理员's account list ---------------------------------------------------------------


@sysadmin_required
def account_list(request, *, create_form=None, refusal=None, status=200):
    actor = request.person
    filters = AccountFilterForm(request.GET or None, units=selectors.managed_units(actor))
    wanted = filters.cleaned_data if filters.is_valid() else {}
    people = selectors.accounts_filtered(
        actor,
        unit=wanted["unit"].pk if wanted.get("unit") else None,
        state=wanted.get("state") or None,
        q=wanted.get("q") or "",
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    rows = [(p, selectors.states_of(p)) for p in page.object_list]
    context = {
        "filters": filters,
        "page_obj": page,
        "rows": rows,
        "state_labels": dict(selectors.AccountState.choices),
        "create_form": create_form
        or CreateAccountForm(
            people=selectors.people_without_account(actor).select_related("unit", "department")
        ),
        "refusal": refusal,
    }
    return render(request, "accounts/list.html", context, status=status)


@require_POST
@sysadmin_required
def create(request):
    actor = request.person
    form = CreateAccountForm(
        request.POST,
        people=selectors.people_without_account(actor).select_related("unit", "department"),
    )
    if not form.is_valid():
        return account_list(request, create_form=form, status=422)
    person = form.cleaned_data["person"]
    try:
        user, password = actions.create_account(
            actor, person, username=form.cleaned_data["username"]
        )
    except BaomiError as error:
        refusal = apply_error(form, error)
        return account_list(request, create_form=form, refusal=refusal, status=refusal.status)
    return _one_time_password_page(request, person, user.username, password, created=True)


def _one_time_password_page(request, person, username, password, *, created: bool):
    context = {"person": person, "username": username, "password": password, "created": created}
    return _never_cached(render(request, "accounts/one_time_password.html", context))


# -- one account ---------------------------------------------------------------------------------


def _account(request, account_id: int):
    try:
        return selectors.account_person(request.person, account_id)
    except NotFound:
        return None


@sysadmin_required
def detail(request, account_id: int, *, refusal=None, token_form=None, status=200):
    person = _account(request, account_id)
    if person is None:
        return not_found(request)
    context = {
        "person": person,
        "account": getattr(person.user, "account", None),
        "states": selectors.states_of(person),
        "state_labels": dict(selectors.AccountState.choices),
        "tokens": person.api_tokens.order_by("-created_at"),
        "devices": TOTPDevice.objects.filter(user=person.user, confirmed=True),
        "token_form": token_form or HardwareTokenForm(),
        "refusal": refusal,
        "system_account": person.has_system_role,
    }
    return render(request, "accounts/detail.html", context, status=status)


ACTS = {
    "unlock": (actions.unlock_account, "已解除锁定。"),
    "disable": (actions.disable_account, "账号已停用，其会话和 API 令牌立即失效。"),
    "enable": (actions.enable_account, "账号已启用。"),
}


@require_POST
@sysadmin_required
def act(request, account_id: int, what: str):
    person = _account(request, account_id)
    if person is None or what not in ACTS:
        return not_found(request)
    run, done = ACTS[what]
    try:
        run(request.person, person)
    except BaomiError as error:
        refusal = refusal_of(error)
        return detail(request, account_id, refusal=refusal, status=refusal.status)
    messages.success(request, done)
    return redirect("accounts:detail", account_id=account_id)


@require_POST
@sysadmin_required
def reset(request, account_id: int):
    person = _account(request, account_id)
    if person is None:
        return not_found(request)
    try:
        password = actions.reset_password(request.person, person)
    except BaomiError as error:
        refusal = refusal_of(error)
        return detail(request, account_id, refusal=refusal, status=refusal.status)
    return _one_time_password_page(request, person, person.user.username, password, created=False)


@require_POST
@sysadmin_required
def revoke(request, account_id: int, token_id: int):
    person = _account(request, account_id)
    token = person.api_tokens.filter(pk=token_id).first() if person else None
    if token is None:
        return not_found(request)
    try:
        actions.revoke_token(request.person, token)
    except BaomiError as error:
        refusal = refusal_of(error)
        return detail(request, account_id, refusal=refusal, status=refusal.status)
    messages.success(request, f"令牌 #{token.pk} 已吊销。")
    return redirect("accounts:detail", account_id=account_id)


@require_POST
@sysadmin_required
def register_token(request, account_id: int):
    person = _account(request, account_id)
    if person is None:
        return not_found(request)
    form = HardwareTokenForm(request.POST)
    if not form.is_valid():
        return detail(request, account_id, token_form=form, status=422)
    try:
        actions.register_hardware_token(request.person, person, **form.cleaned_data)
    except BaomiError as error:
        refusal = apply_error(form, error)
        return detail(request, account_id, refusal=refusal, token_form=form, status=refusal.status)
    messages.success(request, "动态口令牌已登记。")
    return redirect("accounts:detail", account_id=account_id)


@require_POST
@sysadmin_required
def remove_device(request, account_id: int, device_id: int):
    person = _account(request, account_id)
    device = (
        TOTPDevice.objects.filter(pk=device_id, user_id=person.user_id).first() if person else None
    )
    if device is None:
        return not_found(request)
    try:
        actions.remove_otp_device(request.person, device)
    except BaomiError as error:
        refusal = refusal_of(error)
        return detail(request, account_id, refusal=refusal, status=refusal.status)
    messages.success(request, "已解除动态口令牌。")
    return redirect("accounts:detail", account_id=account_id)


# -- security settings ---------------------------------------------------------------------------


@person_required
def security_settings(request):
    """Every system role may read the policy in force; only the 系统管理员 changes it."""
    actor = request.person
    if not actor.has_system_role:
        return forbidden(request, "只有三员可以查看安全设置（SEC-3）。")
    current = current_settings()
    initial = {name: getattr(current, name) for name in actions.SETTING_LIMITS}
    may_edit = actor.system_role == SystemRole.SYSADMIN
    form = SecuritySettingsForm(initial=initial, disabled=not may_edit)
    refusal, status = None, 200
    if request.method == "POST":
        form = SecuritySettingsForm(request.POST, initial=initial)
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
            try:
                actions.update_security_settings(actor, **changes)
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                messages.success(request, "安全设置已保存。")
                return redirect("accounts:security_settings")
        else:
            status = 422
    context = {
        "form": form,
        "refusal": refusal,
        "may_edit": may_edit,
        "level": system_level(),
        "otp_required": session.otp_required_setting(),
    }
    return render(request, "accounts/security_settings.html", context, status=status)


# -- one's own password, second factor and tokens ------------------------------------------------


@person_required
def change_password(request):
    form = PasswordChangeForm(request.POST or None)
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                account = actions.change_own_password(
                    request.person,
                    current=form.cleaned_data["current_password"],
                    new=form.cleaned_data["new_password"],
                )
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                update_session_auth_hash(request, account.user)
                session.refresh(request)
                messages.success(request, "口令已修改。")
                return redirect(_next_url(request))
        else:
            status = 422
    context = {
        "form": form,
        "refusal": refusal,
        "reason": session.change_password_reason(request),
        "policy": current_settings(),
        "next": request.GET.get("next") or request.POST.get("next") or "",
    }
    return _never_cached(render(request, "accounts/password.html", context, status=status))


@person_required
def otp_setup(request):
    """Bind a TOTP token: the secret as text (#otp-secret) and as a QR code, then one code."""
    person = request.person
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        messages.info(request, "已绑定动态口令牌。")
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    refusal, status = None, 200
    if device is None:
        try:
            device = actions.begin_otp_enrolment(person)
        except BaomiError as error:
            return forbidden(request, error.message)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.confirm_otp_enrolment(person, device, token=form.cleaned_data["token"])
        except BaomiError as error:
            refusal = apply_error(form, error)
            status = refusal.status
        else:
            device.refresh_from_db()
            otp_login(request, device)
            session.refresh(request)
            messages.success(request, "动态口令牌已绑定。")
            return redirect(_next_url(request))
    elif request.method == "POST":
        status = 422
    from base64 import b32encode

    context = {
        "form": form,
        "refusal": refusal,
        "secret": b32encode(device.bin_key).decode(),
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000"),
        "digits": device.digits,
        "step": device.step,
        "required": session.otp_required_for(person),
        "next": request.GET.get("next") or request.POST.get("next") or "",
    }
    return _never_cached(render(request, "accounts/otp_setup.html", context, status=status))


@person_required
def otp_verify(request):
    if getattr(request.user, "is_verified", lambda: False)():
        return redirect(_next_url(request))
    form = OtpTokenForm(request.POST or None)
    refusal, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            device = actions.verify_second_factor(request.person, token=form.cleaned_data["token"])
        except BaomiError as error:
            if _otp_failure_locks(request):
                return lockout_response(request, credentials={"username": request.user.username})
            refusal = apply_error(form, error)
            status = refusal.status
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    elif request.method == "POST":
        status = 422
    context = {
        "form": form,
        "refusal": refusal,
        "next": request.GET.get("next") or request.POST.get("next") or "",
    }
    return _never_cached(render(request, "accounts/otp_verify.html", context, status=status))


def _otp_failure_locks(request) -> bool:
    """A wrong second-factor code counts like a wrong password (SEC-2): whoever holds the
    password must not get unlimited guesses at the code. Once the account locks, the
    half-logged-in session ends."""
    from django.contrib.auth import logout
    from django.contrib.auth.signals import user_login_failed

    from baomi.accounts.models import Account

    username = request.user.username
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    account = Account.objects.filter(user__username=username).first()
    if account is None or not account.is_locked():
        return False
    logout(request)
    return True


@require_POST
@person_required
def revoke_mine(request, token_id: int):
    token = ApiToken.objects.filter(pk=token_id, person=request.person).first()
    if token is None:
        return not_found(request)
    try:
        actions.revoke_token(request.person, token)
    except BaomiError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"令牌 #{token.pk} 已吊销。")
    return redirect("web:profile")
