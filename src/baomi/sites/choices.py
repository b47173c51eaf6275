from django.db import models


class SiteKind(models.TextChoices):
    """要害部门部位 the seeds name (SITE-1)."""

    REGISTRY = "registry", "机要室"
    ARCHIVE = "archive", "档案室"
    FINANCE = "finance", "财务室"
    PRINT_ROOM = "print_room", "文印室"
    MACHINE_ROOM = "machine_room", "计算机机房"
    EXCHANGE = "exchange", "机要交换站"
    CRYPTO = "crypto", "密码室"
    OTHER = "other", "其他"


class IdKind(models.TextChoices):
    ID_CARD = "id_card", "居民身份证"
    WORK_CARD = "work_card", "工作证"
    OFFICER_CARD = "officer_card", "军官证"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他证件"


class KeyKind(models.TextChoices):
    ROOM = "room", "房门钥匙"
    SAFE = "safe", "保险柜钥匙"
    CABINET = "cabinet", "文件柜钥匙"
    OTHER = "other", "其他"


class KeyEventKind(models.TextChoices):
    ISSUE = "issue", "登记保管"
    HANDOVER = "handover", "移交"
    LOST = "lost", "丢失"
    COPIED = "copied", "复制"
    RETIRED = "retired", "停用"


class CheckKind(models.TextChoices):
    DAILY = "daily", "每日下班检查"
    HOLIDAY = "holiday", "节假日前检查"


# SITE-3: what the last person out checks; (field, label on the terminal).
CHECK_ITEMS = (
    ("power_off", "电源已关闭"),
    ("alarm_on", "报警装置已设防"),
    ("windows_closed", "门窗已关好"),
    ("doors_locked", "铁门已锁"),
    ("safes_locked", "保险柜已锁"),
)
