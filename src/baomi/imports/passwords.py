"""The one-time password of an imported account.

ONE place to swap at merge: helper "accounts" builds `accounts.actions.generate_one_time_password()`
with must-change-at-first-login; replace the body of this function by a call to it.
"""

from __future__ import annotations

import secrets
import string

LENGTH = 14
# No look-alikes (0/O, 1/l/I): the password is read off a printed slip and typed by hand.
UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
LOWER = "abcdefghijkmnopqrstuvwxyz"
DIGITS = "23456789"
SYMBOLS = "!#%+-=?@"


def generate_one_time_password() -> str:
    """≥12 characters with upper, lower, digit and symbol (SEC-2), from `secrets`."""
    classes = (UPPER, LOWER, DIGITS, SYMBOLS)
    chars = [secrets.choice(c) for c in classes]
    pool = "".join(classes)
    chars += [secrets.choice(pool) for _ in range(LENGTH - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    password = "".join(chars)
    assert all(any(ch in c for ch in password) for c in classes)
    assert not set(password) - set(pool) - set(string.ascii_letters)
    return password
