from django.db import models


class IncidentKind(models.TextChoices):
    LOSS = "loss", "涉密载体丢失"
    LEAK = "leak", "泄密"
    MEDIA_MISUSE = "media_misuse", "违规使用存储介质"
    CLASSIFIED_ON_ORDINARY = "classified_on_ordinary", "非涉密设备存储处理涉密信息"
    OTHER = "other", "其他"


class IncidentState(models.TextChoices):
    # CR-14: a stocktake that closed with items missing opens a draft the 保密员 confirms.
    DRAFT = "draft", "待确认（清查发现）"
    OPEN = "open", "处理中"
    REPORTED = "reported", "已上报"
    CLOSED = "closed", "已结案"


class EntryKind(models.TextChoices):
    """What one line of an incident's append-only record is."""

    NOTE = "note", "调查记录"
    REMEDY = "remedy", "补救措施"
    CARRIER_LOST = "carrier_lost", "载体报失"
    CARRIER_FOUND = "carrier_found", "载体找回"
    CONFIRMED = "confirmed", "确认草稿"


# INC-1: the report to the 保密行政管理部门 is due within this many hours of discovery.
REPORT_WITHIN_HOURS = 24

# An incident of this kind marks the carriers linked to it lost (INC-1: lost carriers are marked
# lost); in a leak or a device misuse the carriers concerned are still where they are.
MARKS_CARRIERS_LOST = (IncidentKind.LOSS,)
