from django.db import models


class MeetingState(models.TextChoices):
    """Where a classified meeting stands; derived from its approval and dates (`Meeting.state`)."""

    PLANNING = "planning", "筹备中"
    PENDING = "pending", "待审批"
    REJECTED = "rejected", "审批未通过"
    APPROVED = "approved", "已批准"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已取消"


class PaperRole(models.TextChoices):
    """What a meeting's carrier is: a paper handed out, or the minutes (会议记录/纪要)."""

    PAPER = "paper", "会议文件"
    MINUTES = "minutes", "会议记录"


# The request kinds the meetings app registers with the approval engine (approvals.kinds).
MEETING_KIND = "meeting"
ATTENDEES_KIND = "meeting_attendees"
