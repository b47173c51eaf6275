"""Codes of the yearly assessment (INS-3), with their Chinese labels."""

from __future__ import annotations

from django.db import models


class Target(models.TextChoices):
    """Who a scoring sheet scores: the unit's own departments, or its subordinate units (ORG-4)."""

    DEPARTMENTS = "departments", "本单位各部门"
    UNITS = "units", "下级单位"


class Source(models.TextChoices):
    """Where an item's points come from. Every source but `manual` is computed from the ledgers
    when an assessment is run; the assessor may then adjust any score, with a reason."""

    MANUAL = "manual", "人工评分"
    FINDINGS = "findings", "检查发现问题（一般1、较重2、严重3倍扣分）"
    RECTIFICATION_ON_TIME = "rectification_on_time", "整改按期完成率"
    OVERDUE_LOANS = "overdue_loans", "借阅、传阅、外带逾期归还"
    CLOSING_CHECKS_MISSING = "closing_checks_missing", "要害部位缺少下班检查（工作日）"
    TRAINING_COVERAGE = "training_coverage", "涉密人员年度培训覆盖率"
    DEVICE_CHECKS_OVERDUE = "device_checks_overdue", "互联网计算机季度检查缺失"
    INCIDENTS = "incidents", "失泄密事件"


# Sources that give a share (0..1) of the item's points; the others deduct per occurrence.
RATE_SOURCES = (Source.RECTIFICATION_ON_TIME, Source.TRAINING_COVERAGE)


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "评分中"
    FINAL = "final", "已定稿"


class Decision(models.TextChoices):
    REWARD = "reward", "奖励"
    PENALTY = "penalty", "惩处"
