from django.db import models


class RequestKind(models.TextChoices):
    """What a request asks for; each kind has its approval path (APR-1…3)."""

    LOAN = "loan", "借阅"
    TAKE_OUT = "take_out", "携带外出"
    COPY = "copy", "复制"
    DISPATCH = "dispatch", "发文"
    DESTRUCTION = "destruction", "销毁"
    ARCHIVE_RETRIEVAL = "archive_retrieval", "档案调阅"
    RECLASSIFICATION = "reclassification", "密级变更/解密"
    SCOPE_WIDENING = "scope_widening", "扩大知悉范围"
    CLEARANCE = "clearance", "涉密等级确定/变更"
    TRAVEL_ABROAD = "travel_abroad", "因私/因公出国（境）"
    DEPARTURE = "departure", "离岗/调动/辞职"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤回"
    CONSUMED = "consumed", "已使用"


class StepOutcome(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "同意"
    REJECTED = "rejected", "不同意"


class PolicyRole(models.TextChoices):
    """Who decides one step of an approval path (APR-2: the person must also hold the authority)."""

    SECRECY_LEADER = "secrecy_leader", "分管保密工作的领导"
    UNIT_HEAD = "unit_head", "单位负责人"
    DEPARTMENT_HEAD = "department_head", "部门负责人"
    ISSUER_CONSENT = "issuer_consent", "记录制文机关书面同意"
    PERSON = "person", "指定人员"
