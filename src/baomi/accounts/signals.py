"""Auth signals → audited actions (SEC-2, SEC-4). The receivers only call actions; the session
snapshot they keep is bookkeeping of the request, not business state."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from baomi.accounts import actions, session
from baomi.accounts.lockout import client_address
from baomi.accounts.models import Account
from baomi.accounts.policy import account_of, current_settings
from baomi.org.models import Person


def _person(user) -> Person | None:
    if user is None or user.pk is None:
        return None
    return Person.objects.filter(user_id=user.pk).first()


def _address(request) -> str:
    if request is None:
        return ""
    return getattr(request, "axes_ip_address", None) or client_address(request)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    person = _person(user)
    actions.record_login(person, account_of(user), address=_address(request))
    if request is not None and hasattr(request, "session"):
        session.start(request, user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "baomi_logout_reason", "") or "用户退出"
    actions.record_logout(_person(user), address=_address(request), reason=reason)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first() if username else None
    actions.record_failed_login(
        None,
        _person(user),
        username=username,
        address=_address(request),
        locked=bool(getattr(request, "axes_locked_out", False)),
    )


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """Axes reached a limit: lock the account if ITS failures did, note the address if its did."""
    from axes.handlers.proxy import AxesProxyHandler

    handler = AxesProxyHandler.get_implementation()
    credentials = getattr(request, "axes_credentials", None) or {"username": username}
    if not hasattr(handler, "failure_counts") or request is None:
        return
    if getattr(request, "baomi_already_locked", False):
        return
    per_account, per_address = handler.failure_counts(request, credentials)
    policy = current_settings()
    account = Account.objects.filter(user__username=username or "").select_related("user").first()
    if account is not None and per_account >= policy.failure_limit and not account.is_locked():
        actions.lock_account(None, account, address=ip_address or "")
    if per_address >= policy.address_failure_limit:
        actions.record_address_lockout(None, address=ip_address or "", username=username or "")
