"""What the generated registry is made of: names, departments, subjects and issuers, and the
mixes of level, kind, status and clearance a real registry shows."""

from __future__ import annotations

from baomi.carriers.choices import CarrierKind, EventKind, Status
from baomi.classification.choices import Clearance, Level

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文斌宇浩凯鹏飞鑫波宁琳晨阳"
DEPARTMENTS = (
    "办公室",
    "综合处",
    "政策法规处",
    "发展规划处",
    "财务处",
    "人事处",
    "机要室",
    "保密办",
    "信息中心",
    "督查室",
    "研究室",
    "后勤服务中心",
)
TOPICS = (
    "关于加强{}工作的通知",
    "{}专项检查情况的报告",
    "{}年度工作要点",
    "关于{}有关问题的请示",
    "{}会议纪要",
    "关于印发{}实施方案的通知",
    "{}情况通报",
    "关于{}的批复",
)
SUBJECTS = (
    "保密",
    "安全生产",
    "应急管理",
    "数据安全",
    "国防动员",
    "重大项目",
    "涉密人员管理",
    "网络安全",
    "档案",
    "财政预算",
    "干部考核",
    "科技攻关",
    "边境管理",
    "能源保障",
    "粮食储备",
)
ISSUERS = ("省委办公厅", "省政府办公厅", "国家保密局", "省保密局", "省发展改革委", "本单位")
LEVEL_MIX = {
    Level.TOP_SECRET: 2,
    Level.SECRET: 18,
    Level.CONFIDENTIAL: 45,
    Level.INTERNAL: 27,
    Level.PUBLIC: 8,
}
PERIOD_YEARS = {Level.TOP_SECRET: 30, Level.SECRET: 20, Level.CONFIDENTIAL: 10}
KIND_MIX = {
    CarrierKind.DOCUMENT: 78,
    CarrierKind.TELEGRAM: 4,
    CarrierKind.MEETING_PAPER: 8,
    CarrierKind.NOTEBOOK: 4,
    CarrierKind.OPTICAL_DISC: 3,
    CarrierKind.USB_DRIVE: 3,
}
# The status a carrier ends in, by age: young ones are mostly in use, old ones archived or gone.
YOUNG_MIX = {
    Status.IN_REGISTRY: 60,
    Status.CIRCULATING: 8,
    Status.ON_LOAN: 10,
    Status.TAKEN_OUT: 1.5,
    Status.ARCHIVED: 8,
    Status.SENT: 6,
    Status.RETURNED: 2,
    Status.PENDING_DESTRUCTION: 1,
    Status.DESTROYED: 2,
    Status.LOST: 0.2,
    Status.VOIDED: 0.5,
}
OLD_MIX = {
    Status.IN_REGISTRY: 30,
    Status.CIRCULATING: 1,
    Status.ON_LOAN: 2,
    Status.TAKEN_OUT: 0.3,
    Status.ARCHIVED: 30,
    Status.SENT: 5,
    Status.RETURNED: 5,
    Status.PENDING_DESTRUCTION: 3,
    Status.DESTROYED: 20,
    Status.LOST: 0.2,
    Status.VOIDED: 0.3,
}
FINAL_EVENT = {
    Status.CIRCULATING: EventKind.CIRCULATE,
    Status.ON_LOAN: EventKind.LEND,
    Status.TAKEN_OUT: EventKind.TAKE_OUT,
    Status.ARCHIVED: EventKind.ARCHIVE,
    Status.SENT: EventKind.DISPATCH,
    Status.RETURNED: EventKind.RECALL,
    Status.PENDING_DESTRUCTION: EventKind.LIST_FOR_DESTRUCTION,
    Status.LOST: EventKind.REPORT_LOST,
    Status.VOIDED: EventKind.VOID,
}
OUT_STATUSES = (Status.CIRCULATING, Status.ON_LOAN, Status.TAKEN_OUT)
CLEARANCE_MIX = {
    Clearance.CORE: 10,
    Clearance.IMPORTANT: 30,
    Clearance.GENERAL: 50,
    Clearance.NONE: 10,
}
