"""Shared by the scale benchmarks: Django against the generated database, the big unit's clerk
signed in, timing with medians and p95.

The benchmarks read a database that `baomi bench generate` filled (DATABASE_URL, see
`make bench`); they add only a login account, a token and their own small fixtures.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path


def setup() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]


def big_unit():
    """The generated unit with the most carriers (the first one `generate` makes)."""
    from baomi.org.models import Unit

    unit = Unit.objects.filter(code__startswith="BENCH").order_by("id").first()
    if unit is None:
        sys.exit("没有规模测试数据：先运行 baomi bench generate --carriers N")
    return unit


def signed_in(person, username: str):
    """A login account for `person` (made once) and (test client, bearer token)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from baomi.accounts.models import Account
    from baomi.org.models import ApiToken

    user_model = get_user_model()
    if person.user_id is None:
        user = user_model.objects.create_user(username, password="bench-password-1A!")
        person.user = user
        person.save(update_fields=["user"])
    Account.objects.get_or_create(user_id=person.user_id)
    token = f"bench-{person.pk}-{int(time.time())}"
    ApiToken.objects.create(
        person=person,
        digest=ApiToken.digest_of(token),
        label="bench",
        expires_at=timezone.now() + timedelta(days=1),
    )
    client = Client()
    client.force_login(person.user)
    return client, token


def timed(call, runs: int) -> list[float]:
    """Milliseconds of `runs` calls (after one warm-up call)."""
    call()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(label: str, samples: list[float], goal_ms: float, *, extra: str = "") -> None:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    verdict = "OK" if p95 < goal_ms else "MISSED"
    print(
        f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (goal p95 < {goal_ms:.0f} ms: {verdict})"
        + (f" {extra}" if extra else ""),
        flush=True,
    )
