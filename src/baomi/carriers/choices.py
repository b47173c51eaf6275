from django.db import models


class Status(models.TextChoices):
    """The custody states of design.md."""

    IN_REGISTRY = "in_registry", "在库"
    CIRCULATING = "circulating", "传阅中"
    ON_LOAN = "on_loan", "借出"
    TAKEN_OUT = "taken_out", "携带外出"
    # DEV-1: a classified computer or medium in daily use by its 责任人 — not a loan: no due
    # date, no same-day return, not in a safe while in use.
    ASSIGNED = "assigned", "在用"
    # CR-2: a paper brought back from a meeting elsewhere, declared by the person who holds it
    # and not yet registered by the office — not to be used (circulated, lent, copied) until then.
    DECLARED = "declared", "已申报"
    SENT = "sent", "已发出"
    RETURNED = "returned", "已清退"
    ARCHIVED = "archived", "已归档"
    PENDING_DESTRUCTION = "pending_destruction", "待销毁"
    DESTROYED = "destroyed", "已销毁"
    LOST = "lost", "丢失"
    VOIDED = "voided", "已作废"


# Where the carrier is: in a place of the registry, with a person, or out of custody.
AT_PLACE = (Status.IN_REGISTRY, Status.ARCHIVED, Status.PENDING_DESTRUCTION)
WITH_HOLDER = (
    Status.CIRCULATING,
    Status.ON_LOAN,
    Status.TAKEN_OUT,
    Status.ASSIGNED,
    Status.DECLARED,
)
# Out with a holder until a due date (loans, take-outs, circulation): what the due alerts chase.
DUE_BACK = (Status.CIRCULATING, Status.ON_LOAN, Status.TAKEN_OUT)
TERMINAL = (Status.SENT, Status.RETURNED, Status.DESTROYED, Status.VOIDED)
LIVE = (*AT_PLACE, *WITH_HOLDER)


class CarrierKind(models.TextChoices):
    DOCUMENT = "document", "纸质文件"
    TELEGRAM = "telegram", "密码电报"
    MEETING_PAPER = "meeting_paper", "会议文件"
    NOTEBOOK = "notebook", "保密笔记本"
    COMPUTER = "computer", "涉密计算机"
    USB_DRIVE = "usb_drive", "U盘"
    OPTICAL_DISC = "optical_disc", "光盘"
    HARD_DISK = "hard_disk", "移动硬盘"
    MEMORY_CARD = "memory_card", "存储卡"
    TAPE = "tape", "磁带"
    EQUIPMENT = "equipment", "设备"
    OTHER = "other", "其他"


# DEV-1: the carrier kinds that are classified devices (their ledger is in `devices`).
DEVICE_KINDS = (
    CarrierKind.COMPUTER,
    CarrierKind.USB_DRIVE,
    CarrierKind.HARD_DISK,
    CarrierKind.MEMORY_CARD,
    CarrierKind.OPTICAL_DISC,
    CarrierKind.EQUIPMENT,
)

# CR-15: kept only in a safe, whatever its level.
SAFE_ONLY_KINDS = (CarrierKind.TELEGRAM,)


class Source(models.TextChoices):
    RECEIVED = "received", "收文"
    PRODUCED = "produced", "本单位制发"
    COPY = "copy", "复制"
    OUTSIDE_MEETING = "outside_meeting", "外出会议带回"


class PlaceKind(models.TextChoices):
    ROOM = "room", "机要室"
    CABINET = "cabinet", "文件柜"
    SAFE = "safe", "保险柜"
    READING_ROOM = "reading_room", "阅览室"
    ARCHIVE = "archive", "档案室"


class EventKind(models.TextChoices):
    REGISTER = "register", "登记"
    CIRCULATE = "circulate", "传阅"
    ACKNOWLEDGE = "acknowledge", "签收"
    RETURN = "return", "归还"
    LEND = "lend", "借出"
    TAKE_OUT = "take_out", "携带外出"
    COPY = "copy", "复制"
    RELOCATE = "relocate", "移库"
    AMEND = "amend", "更正"
    VOID = "void", "作废"
    REPORT_LOST = "report_lost", "报失"
    FOUND = "found", "找回"
    SLIP = "slip", "传阅单"
    DISPATCH = "dispatch", "发出"
    RECEIPT = "receipt", "对方签收"
    RECALL = "recall", "清退"
    ARCHIVE = "archive", "归档"
    RETRIEVE = "retrieve", "调阅出库"
    LIST_FOR_DESTRUCTION = "list_for_destruction", "列入销毁清单"
    UNLIST = "unlist", "移出销毁清单"
    DESTROY = "destroy", "销毁"
    HANDOVER = "handover", "交接"
    STOCKTAKE = "stocktake", "清查核对"
    RECLASSIFY = "reclassify", "密级变更"
    DECLASSIFY = "declassify", "解密"
    ASSIGN = "assign", "配发在用"
    DECLARE = "declare", "申报带回"
