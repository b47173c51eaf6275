"""SEC-2 password policy as Django password validators, so that every place that sets a password
(the actions, `changepassword`, an import) is held to it. Messages are Chinese and name SEC-2."""

from __future__ import annotations

import itertools
import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from pypinyin import Style, pinyin

from baomi.accounts.policy import current_settings

CLASS_NAMES = ("大写字母", "小写字母", "数字", "符号")
MAX_NAME_VARIANTS = 64  # heteronyms multiply; a name has few readings worth checking


def character_classes(password: str) -> int:
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class PolicyLengthValidator:
    """At least the security settings' length (机密: 10, 秘密: 8, 绝密: 12)."""

    def validate(self, password, user=None):
        minimum = current_settings().min_length
        if len(password) < minimum:
            raise ValidationError(
                f"口令太短：至少 {minimum} 个字符（SEC-2）。", code="password_too_short"
            )

    def get_help_text(self):
        return f"至少 {current_settings().min_length} 个字符。"


class CharacterClassesValidator:
    """At least three of: upper-case letters, lower-case letters, digits, symbols."""

    def validate(self, password, user=None):
        needed = current_settings().character_classes
        if character_classes(password) < needed:
            raise ValidationError(
                f"口令强度不足：须至少包含{'、'.join(CLASS_NAMES)}中的 {needed} 种（SEC-2）。",
                code="password_too_weak",
            )

    def get_help_text(self):
        needed = current_settings().character_classes
        return f"至少包含{'、'.join(CLASS_NAMES)}中的 {needed} 种。"


def name_variants(name: str) -> set[str]:
    """The name itself and its pinyin, surname first and given name first (张三: zhangsan,
    sanzhang), every reading of a heteronym included. Parts of a name are not checked: a given
    name such as 保密 would forbid every password with "baomi" in it."""
    han = "".join(c for c in name if "\u4e00" <= c <= "\u9fff")
    variants = {name.strip().lower()} if len(name.strip()) >= 2 else set()
    if len(han) < 2:
        return variants
    readings = pinyin(han, style=Style.NORMAL, heteronym=True, errors="ignore")
    for combo in itertools.islice(itertools.product(*readings), MAX_NAME_VARIANTS):
        syllables = [s.lower() for s in combo]
        variants.add("".join(syllables))
        variants.add("".join(syllables[1:] + syllables[:1]))
    return {v for v in variants if len(v) >= 2}


def _person_of(user):
    person = getattr(user, "_baomi_person", None)
    if person is not None:
        return person
    if user is None or user.pk is None:
        return None
    from baomi.org.models import Person

    return Person.objects.filter(user_id=user.pk).first()


class PersonalInformationValidator:
    """Not the person's name (characters or pinyin), username or 人员编号 (SEC-2)."""

    def validate(self, password, user=None):
        if user is None:
            return
        lowered = password.lower()
        letters = re.sub(r"[^a-z]", "", lowered)
        person = _person_of(user)
        name = person.name if person is not None else (user.first_name or "")
        for variant in name_variants(name):
            if variant in lowered or (variant.isascii() and variant in letters):
                raise ValidationError(
                    "口令不得包含本人姓名或其拼音（SEC-2：不得使用个人信息）。",
                    code="password_contains_name",
                )
        username = (user.get_username() or "").lower()
        if len(username) >= 3 and username in lowered:
            raise ValidationError(
                "口令不得包含用户名（SEC-2：不得使用个人信息）。", code="password_contains_username"
            )
        number = (getattr(person, "number", "") or "").lower()
        if len(number) >= 3 and number in lowered:
            raise ValidationError(
                "口令不得包含人员编号（SEC-2：不得使用个人信息）。", code="password_contains_number"
            )

    def get_help_text(self):
        return "不得包含本人姓名（汉字或拼音）、用户名或人员编号。"


class PasswordHistoryValidator:
    """Not one of the last N passwords (N = the settings' history count, 5 by default).

    `password_changed` is Django's hook after any User.save() that set a password: the history
    is kept wherever the password was set."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from baomi.accounts.models import PasswordHistory

        count = current_settings().history_count
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[
                :count
            ]
        )
        # The password in force counts even where no history was kept yet (older accounts).
        from django.contrib.auth import get_user_model

        stored = get_user_model().objects.filter(pk=user.pk).values_list("password", flat=True)
        hashes.extend(stored)
        if any(h and check_password(password, h) for h in hashes):
            raise ValidationError(
                f"不得使用最近 {count} 次用过的口令（SEC-2）。", code="password_reused"
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from django.utils import timezone

        from baomi.accounts.models import Account, PasswordHistory
        from baomi.accounts.policy import expiry_from

        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        # When the password was set, and so when it expires — wherever it was set.
        now = timezone.now()
        Account.objects.update_or_create(
            user_id=user.pk,
            defaults={"password_changed_at": now, "password_expires_at": expiry_from(now)},
        )
        keep = max(current_settings().history_count, 1)
        stale = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return f"不得与最近 {current_settings().history_count} 次用过的口令相同。"
