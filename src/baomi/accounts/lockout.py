"""Lockout after repeated failures (SEC-2), per account and per client address, on django-axes.

Axes counts failed logins (AccessAttempt rows keyed by username, address and browser). With
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"] it sums them per username and per address
and compares the larger with ONE limit. An address deserves a higher limit than an account (an
office behind NAT shares one), so `BaomiAxesHandler.get_failures` reports the account's count,
or the account limit itself once the address has reached its own limit.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

from baomi.accounts.policy import current_settings


def _networks(values) -> list:
    networks = []
    for value in values or ():
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            continue
    return networks


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's address. X-Forwarded-For is believed only when the request comes from a
    configured proxy (BAOMI_TRUSTED_PROXIES, default none): otherwise anyone could pick the
    address their failures are counted against. Walking the header from the right, the first
    hop that is not one of our proxies is the client."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    trusted = _networks(getattr(settings, "BAOMI_TRUSTED_PROXIES", ()))
    remote_ip = _address(remote)
    if not trusted or remote_ip is None or not any(remote_ip in n for n in trusted):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):
        hop_ip = _address(hop)
        if hop_ip is None:
            return remote  # a forged or garbled header: count against the proxy itself
        if not any(hop_ip in n for n in trusted):
            return str(hop_ip)
    return str(_address(hops[0])) if hops else remote


def failure_limit(request=None, credentials=None) -> int:
    return current_settings().failure_limit


def cool_off(request=None) -> timedelta:
    return timedelta(minutes=current_settings().lockout_minutes)


class BaomiAxesHandler(AxesDatabaseHandler):
    def failure_counts(self, request, credentials=None) -> tuple[int, int]:
        """(failures of this username, failures from this address) within the cool-off."""
        per_account, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return per_account, per_address

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        # Denied before the password was even checked (already locked): nothing new is locked.
        if request is not None:
            request.baomi_already_locked = bool(getattr(request, "axes_locked_out", False))
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def get_failures(self, request, credentials=None) -> int:
        per_account, per_address = self.failure_counts(request, credentials)
        policy = current_settings()
        if per_address >= policy.address_failure_limit:
            return max(per_account, policy.failure_limit)
        return per_account


def address_locked_until(address: str):
    """When an address locked by its failures may try again (None: it is not locked)."""
    from axes.models import AccessAttempt

    policy = current_settings()
    since = timezone.now() - timedelta(minutes=policy.lockout_minutes)
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    found = attempts.aggregate(total=Sum("failures_since_start"), last=Max("attempt_time"))
    if (found["total"] or 0) < policy.address_failure_limit:
        return None
    return found["last"] + timedelta(minutes=policy.lockout_minutes)


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page: what is locked, until when, and whom to ask (SEC-2)."""
    from baomi.accounts.models import Account

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    account = Account.objects.filter(user__username=username).first() if username else None
    until = account.locked_until if account is not None and account.is_locked() else None
    address_until = None
    if until is None:
        address_until = address_locked_until(getattr(request, "axes_ip_address", "") or "")
        until = address_until
    context = {
        "username": username,
        "locked_until": timezone.localtime(until) if until else None,
        "by_address": address_until is not None,
        "lockout_minutes": current_settings().lockout_minutes,
    }
    return render(request, "registration/locked.html", context, status=429)
