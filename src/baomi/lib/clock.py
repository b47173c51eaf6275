"""The time business actions read: `clock.now()` / `clock.today()`.

In production they are `timezone.now()` and today's date, nothing else. A loader of past events
— the demo office, spread over two years so that its trend and overdue charts have something to
show — runs actions inside `clock.at(moment)`: each action then happens at that moment, through
every rule, exactly as it would have then. The audit chain is not moved: its rows keep the real
time they were written (SEC-4), so a backdated history is visible as such to an auditor.

Why a clock and not a test library's time machine: that is a dev dependency and patches the
process clock for everything, the audit chain included; this is explicit, scoped to a context
(contextvars: threads and requests never see another's moment) and only read by the actions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_moment: ContextVar[datetime | None] = ContextVar("baomi_clock_moment", default=None)


def now() -> datetime:
    """The moment an action happens at."""
    moment = _moment.get()
    return moment if moment is not None else timezone.now()


def today() -> date:
    """The local date an action happens on."""
    return timezone.localdate(now())


@contextmanager
def at(moment: datetime) -> Iterator[datetime]:
    """Run the actions of the block at `moment` (aware datetime, not in the future)."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    if moment > timezone.now():
        raise ValueError("clock.at cannot run actions in the future")
    token = _moment.set(moment)
    try:
        yield moment
    finally:
        _moment.reset(token)


def local_midnight(day: date) -> datetime:
    """The moment `day` begins in local time: `at__date__lt=day` is `at < local_midnight(day)`,
    a range an index on `at` serves (`__date` casts every row in SQL and serves none)."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
