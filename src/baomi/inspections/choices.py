"""Codes of the inspection ledgers (INS-1, INS-2), with their Chinese labels."""

from __future__ import annotations

from django.db import models


class InspectionKind(models.TextChoices):
    SELF = "self", "自查自评"
    HOLIDAY = "holiday", "节前检查"
    SUPERIOR = "superior", "上级检查"
    SPECIAL = "special", "专项检查"


class Holiday(models.TextChoices):
    MAY_DAY = "may_day", "五一"
    NATIONAL_DAY = "national_day", "国庆"
    SPRING_FESTIVAL = "spring_festival", "春节"


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "已计划"
    IN_PROGRESS = "in_progress", "检查中"
    COMPLETED = "completed", "已完成"


class Answer(models.TextChoices):
    UNANSWERED = "", "未检查"
    YES = "yes", "符合"
    NO = "no", "不符合"
    NOT_APPLICABLE = "na", "不适用"


class Severity(models.TextChoices):
    MINOR = "minor", "一般"
    SERIOUS = "serious", "较重"
    CRITICAL = "critical", "严重"


class RectificationStatus(models.TextChoices):
    OPEN = "open", "整改中"
    SUBMITTED = "submitted", "待验证"
    CLOSED = "closed", "已验证关闭"


class AutoCheck(models.TextChoices):
    """Checklist items the system answers from its own ledgers (INS-2)."""

    OVERDUE_LOANS = "overdue_loans", "借阅、传阅、外带逾期未还"
    OUT_OVERNIGHT = "out_overnight", "载体在外过夜（绝密未当日归还、住所未当日带回）"
    TOP_SECRET_OUTSIDE_SAFE = "top_secret_outside_safe", "绝密载体未存放于保险柜"
    UNTRAINED = "untrained", "涉密人员近12个月未参加保密培训"
    CLOSING_CHECKS_MISSING = "closing_checks_missing", "要害部位缺少下班安全检查记录"
    MEETING_PAPERS_OUT = "meeting_papers_out", "涉密会议文件未清退"
