"""Codes of the education ledgers (EDU-1, PER-4), with their Chinese labels."""

from __future__ import annotations

from django.db import models


class SessionKind(models.TextChoices):
    CONCENTRATED = "concentrated", "集中培训"
    INDUCTION = "induction", "岗前培训"
    SPECIAL = "special", "专题培训"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TRUE_FALSE = "true_false", "判断题"


class QuestionLevel(models.TextChoices):
    """For whom a question is meant: every cleared person, or 重要/核心 staff only."""

    ALL = "all", "全体人员"
    GENERAL = "general", "一般涉密人员"
    IMPORTANT = "important", "重要涉密人员"
    CORE = "core", "核心涉密人员"


class AttemptStatus(models.TextChoices):
    STARTED = "started", "答题中"
    SUBMITTED = "submitted", "已交卷"
