"""Pages of the frame: home (where to go), the profile page with API tokens, and the plain
403/404 pages every app's views use."""

from __future__ import annotations

import functools

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django_otp.plugins.otp_totp.models import TOTPDevice

from baomi.accounts.policy import account_of
from baomi.lib.errors import BaomiError
from baomi.org import actions as org_actions
from baomi.web.forms import BootstrapMixin, refusal_of


@login_required
def home(request):
    """Each role lands where its work is (issue 8): a leader (unit head, approver) on the 看板 with
    待我审批 counted, a 保密员 on the ledger, staff on 我持有的; the three system roles on their
    console (SEC-3), the 安全审计员 on the audit trail."""
    person = request.person
    if person is None:
        return forbidden(request, "该账号未关联人员，不能使用本系统。")
    return redirect(landing_of(person))


def landing_of(person) -> str:
    """The URL name a person lands on after signing in."""
    from baomi.org.choices import SystemRole
    from baomi.web.context_processors import is_leader

    if person.has_system_role:
        return {
            SystemRole.SYSADMIN: "console:units",
            SystemRole.SECADMIN: "console:grants",
        }.get(person.system_role, "audit:list")
    if not person.active:
        return "web:profile"
    if is_leader(person):
        return "reports:dashboard"
    if person.is_registry_clerk:
        return "carriers:list"
    return "carriers:holdings"


def page_message(request, heading: str, message: str, *, status: int, icon: str = ""):
    response = render(
        request,
        "web/message.html",
        {"heading": heading, "message": message, "icon": icon},
        status=status,
    )
    add_never_cache_headers(response)
    return response


def forbidden(request, message: str = "您无权访问此页面。"):
    return page_message(request, "无权访问", message, status=403, icon="bi-slash-circle")


def not_found(request):
    """Unknown and not-visible look the same (design.md: what you may not see does not exist)."""
    return page_message(
        request,
        "未找到",
        "要查看的对象不存在，或您无权查看。",
        status=404,
        icon="bi-question-circle",
    )


def person_required(view):
    """Signed in, and linked to a Person (an account without one sees nothing)."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if getattr(request, "person", None) is None:
            return forbidden(request, "该账号未关联人员，不能使用本系统。")
        return view(request, *args, **kwargs)

    return wrapper


def business_person_required(view):
    """Carrier and approval pages: the three system roles see no carriers (SEC-3)."""

    @functools.wraps(view)
    @person_required
    def wrapper(request, *args, **kwargs):
        person = request.person
        if person.has_system_role or not person.active:
            return forbidden(
                request,
                "三员（系统管理员、安全保密管理员、安全审计员）不接触涉密载体（SEC-3）。"
                if person.has_system_role
                else "您已不在涉密岗位。",
            )
        return view(request, *args, **kwargs)

    return wrapper


class TokenForm(BootstrapMixin, forms.Form):
    label = forms.CharField(
        label="用途说明", max_length=100, required=False, help_text="例如：统计脚本、盘点终端"
    )


@person_required
def profile(request):
    """我的信息, and API tokens (design.md: issued per person, shown once)."""
    person = request.person
    form = TokenForm(request.POST or None)
    new_token, refusal, status = None, None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new_token = org_actions.create_token(
                    person, person, label=form.cleaned_data["label"]
                )
                form = TokenForm()
            except BaomiError as error:
                refusal = refusal_of(error)
                status = refusal.status
        else:
            status = 422
    context = {
        "person": person,
        "form": form,
        "new_token": new_token,
        "refusal": refusal,
        "tokens": person.api_tokens.order_by("-created_at"),
        "authorities": person.authorities.all(),
        "has_otp_device": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "password_expires_at": getattr(account_of(request.user), "password_expires_at", None),
    }
    response = render(request, "web/profile.html", context, status=status)
    add_never_cache_headers(response)  # the token is shown once: never from a cache
    return response
