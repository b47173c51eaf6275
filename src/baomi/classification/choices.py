"""Levels, categories and periods of classification (CL-1, CL-2, CL-3)."""

from django.db import models


class Level(models.TextChoices):
    """密级, ranked for access checks (CL-1): 绝密 > 机密 > 秘密 > 内部 > 公开."""

    TOP_SECRET = "top_secret", "绝密"
    SECRET = "secret", "机密"
    CONFIDENTIAL = "confidential", "秘密"
    INTERNAL = "internal", "内部"
    PUBLIC = "public", "公开"


LEVEL_RANK = {
    Level.PUBLIC: 0,
    Level.INTERNAL: 1,
    Level.CONFIDENTIAL: 2,
    Level.SECRET: 3,
    Level.TOP_SECRET: 4,
}


class Authority(models.TextChoices):
    """定密权限 of a unit (CL-11). Most units have none (无): they only derive classifications
    from what they receive, and may themselves mark no more than 内部 work secrets."""

    TOP_SECRET = "top_secret", "绝密"
    SECRET = "secret", "机密"
    CONFIDENTIAL = "confidential", "秘密"
    NONE = "none", "无"


def authority_max_level(authority: str) -> Level:
    """The highest level a unit with this 定密权限 may originate (CL-11)."""
    return Level.INTERNAL if authority == Authority.NONE else Level(authority)


STATE_SECRET_LEVELS = (Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET)


def rank(level: str) -> int:
    return LEVEL_RANK[Level(level)]


def is_state_secret(level: str) -> bool:
    return Level(level) in STATE_SECRET_LEVELS


class Category(models.TextChoices):
    """What kind of secret (CL-1); only `state` carries ★ markings (CL-12)."""

    STATE = "state", "国家秘密"
    WORK = "work", "工作秘密"
    COMMERCIAL = "commercial", "商业秘密"
    PRIVACY = "privacy", "个人隐私"


class PeriodKind(models.TextChoices):
    """保密期限的形式 (CL-2)."""

    YEARS = "years", "年"
    MONTHS = "months", "月"
    DATE = "date", "日期"
    INDEFINITE = "indefinite", "长期"
    CONDITION = "condition", "条件"


# CL-3: default maximum periods in years, counted from the marked date of issue.
MAX_PERIOD_YEARS = {
    Level.TOP_SECRET: 30,
    Level.SECRET: 20,
    Level.CONFIDENTIAL: 10,
}


class Clearance(models.TextChoices):
    """涉密等级 of a person (PER-1)."""

    CORE = "core", "核心"
    IMPORTANT = "important", "重要"
    GENERAL = "general", "一般"
    NONE = "none", "非涉密"


# PER-1: the highest level each clearance covers.
CLEARANCE_MAX_LEVEL = {
    Clearance.CORE: Level.TOP_SECRET,
    Clearance.IMPORTANT: Level.SECRET,
    Clearance.GENERAL: Level.CONFIDENTIAL,
    Clearance.NONE: Level.INTERNAL,
}


def clearance_covers(clearance: str, level: str) -> bool:
    return rank(CLEARANCE_MAX_LEVEL[Clearance(clearance)]) >= rank(level)
