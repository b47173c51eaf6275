from django.db import models


class IncidentKind(models.TextChoices):
    LOSS = "loss", "涉密载体丢失"
    LEAK = "leak", "泄密"
    MEDIA_MISUSE = "media_misuse", "违规使用存储介质"
    CLASSIFIED_ON_ORDINARY = "classified_on_ordinary", "非涉密设备存储处理涉密信息"
    OTHER = "other", "其他"


class IncidentState(models.TextChoices):
    OPEN = "open", "处理中"
    REPORTED = "reported", "已上报"
    CLOSED = "closed", "已结案"


# INC-1: the report to the 保密行政管理部门 is due within this many hours of discovery.
REPORT_WITHIN_HOURS = 24
