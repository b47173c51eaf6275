"""The demo office's people, places and document titles (data only; see `baomi.web.demo`)."""

from __future__ import annotations

from dataclasses import dataclass

from baomi.carriers.choices import CarrierKind, PlaceKind

DEMO_PASSWORD = "Baomi-Demo-2026!"
PROVINCE_NAME, PROVINCE_CODE = "XX省保密局", "P01"
UNIT_NAME, UNIT_CODE = "XX市人民政府办公室", "C01"
DEPARTMENTS = ("办公室秘书科", "机要室", "档案室", "信息中心", "财务科", "综合科")
PLACES = (
    ("机要室保险柜1号", PlaceKind.SAFE),
    ("机要室保险柜2号", PlaceKind.SAFE),
    ("机要室文件柜A", PlaceKind.CABINET),
    ("机要室文件柜B", PlaceKind.CABINET),
    ("阅览室", PlaceKind.READING_ROOM),
    ("档案室密集架", PlaceKind.ARCHIVE),
)


@dataclass(frozen=True)
class PersonSpec:
    key: str
    name: str
    department: str | None
    post: str
    clearance: str = "none"
    username: str = ""
    roles: tuple[str, ...] = ()
    system_role: str = ""
    role_text: str = ""  # what the accounts table says


PEOPLE = (
    PersonSpec(
        "clerk",
        "赵红梅",
        "机要室",
        "保密员",
        "core",
        "baomiyuan",
        ("is_registry_clerk",),
        role_text="保密员（机要室）",
    ),
    PersonSpec(
        "leader",
        "钱建国",
        "办公室秘书科",
        "副主任（分管保密工作）",
        "core",
        "lingdao",
        ("is_unit_head",),
        role_text="分管保密工作的领导（审批人）",
    ),
    PersonSpec(
        "classifier",
        "孙立新",
        "办公室秘书科",
        "科长（定密责任人）",
        "important",
        "dingmi",
        ("is_classifier",),
        role_text="定密责任人",
    ),
    PersonSpec(
        "zhang", "张三", "办公室秘书科", "秘书", "important", "zhangsan", role_text="工作人员"
    ),
    PersonSpec("li", "李四", "办公室秘书科", "科员", "general", "lisi", role_text="工作人员"),
    PersonSpec("wang", "王五", "综合科", "科员", "none", "wangwu", role_text="工作人员（非涉密）"),
    PersonSpec(
        "sysadmin",
        "郑浩",
        "信息中心",
        "系统管理员",
        username="sysadmin",
        system_role="sysadmin",
        role_text="系统管理员",
    ),
    PersonSpec(
        "secadmin",
        "冯敏",
        "信息中心",
        "安全保密管理员",
        username="secadmin",
        system_role="secadmin",
        role_text="安全保密管理员",
    ),
    PersonSpec(
        "auditor",
        "陈静",
        "信息中心",
        "安全审计员",
        username="auditor",
        system_role="auditor",
        role_text="安全审计员",
    ),
    # Without a login: the rest of the office.
    PersonSpec("director", "周明", "办公室秘书科", "办公室主任", "core"),
    PersonSpec("clerk2", "王丽", "机要室", "机要秘书", "core", roles=("is_registry_clerk",)),
    PersonSpec("wu", "吴芳", "办公室秘书科", "副科长", "important"),
    PersonSpec("zheng", "郑伟", "办公室秘书科", "科员", "general"),
    PersonSpec("liu", "刘洋", "档案室", "档案管理员", "important"),
    PersonSpec("chen", "陈晨", "档案室", "科员", "general"),
    PersonSpec("yang", "杨帆", "信息中心", "主任", "important"),
    PersonSpec("huang", "黄磊", "信息中心", "网络管理员", "general"),
    PersonSpec("zhao", "赵敏", "信息中心", "技术员", "none"),
    PersonSpec("ma", "马超", "财务科", "科长", "important"),
    PersonSpec("sun", "孙丽", "财务科", "会计", "general"),
    PersonSpec("zhu", "朱琳", "财务科", "出纳", "none"),
    PersonSpec("he", "何平", "综合科", "科长", "important"),
    PersonSpec("hu", "胡军", "综合科", "科员", "general"),
    PersonSpec("lin", "林涛", "综合科", "科员", "general"),
    PersonSpec("guo", "郭婷", "综合科", "科员", "none"),
)

ISSUERS = (
    ("国务院办公厅", "国办发"),
    ("中共XX省委办公厅", "X委办发"),
    ("XX省人民政府办公厅", "X政办发"),
    ("XX省保密局", "X保发"),
    ("国家保密局", "国保发"),
    ("XX省公安厅", "X公通"),
    ("XX省财政厅", "X财预"),
    ("中共XX市委办公室", "X市委办发"),
    ("XX省发展和改革委员会", "X发改办"),
    ("XX省自然资源厅", "X自然资发"),
)
OWN_ISSUER, OWN_PREFIX = "XX市人民政府办公室", "X市政办发"

# (title, departments in scope). The first ones are real-looking fixed titles.
TITLES = (
    ("关于做好2026年度保密自查自评工作的通知", ("办公室秘书科", "机要室")),
    ("关于印发《XX省国家秘密载体管理办法》的通知", ("办公室秘书科", "机要室", "档案室")),
    ("2026年全省保密工作要点", ("办公室秘书科", "机要室")),
    ("关于春节期间加强值班和保密工作的通知", ("办公室秘书科", "综合科")),
    ("关于进一步加强涉密计算机和移动存储介质管理的通知", ("信息中心", "机要室")),
    ("XX市国民经济和社会发展第十五个五年规划纲要（征求意见稿）", ("办公室秘书科",)),
    ("关于重大项目选址论证情况的报告", ("办公室秘书科", "综合科")),
    ("关于防汛抗旱应急预案修订的通知", ("综合科", "办公室秘书科")),
    ("关于2026年度财政预算执行情况的报告", ("财务科", "办公室秘书科")),
    ("关于开展网络安全攻防演练的实施方案", ("信息中心",)),
    ("全省保密检查情况通报", ("办公室秘书科", "机要室")),
    ("关于国有企业改革重点任务分工的意见", ("办公室秘书科", "综合科")),
    ("关于征地拆迁补偿标准调整的请示", ("综合科", "财务科")),
    ("关于行政区划调整方案的意见", ("办公室秘书科",)),
    ("关于干部考察有关情况的报告", ("办公室秘书科",)),
    ("关于重要会议安全保卫工作方案", ("综合科", "办公室秘书科")),
    ("关于年度涉密人员保密教育培训的通知", ("办公室秘书科", "机要室", "档案室")),
    ("关于核定2026年度保密津贴标准的通知", ("财务科", "机要室")),
    ("关于档案移交和鉴定销毁工作的通知", ("档案室", "机要室")),
    ("关于电子政务内网升级改造的技术方案", ("信息中心",)),
)
SUBJECTS = (
    "加强重要敏感信息管理",
    "做好重大活动期间安全稳定",
    "开展安全生产大检查",
    "规范涉密会议管理",
    "落实意识形态工作责任制",
    "推进数字政府建设",
    "做好换届选举准备",
    "加强应急值守",
    "开展专项督查",
    "做好国庆期间值班",
    "优化营商环境",
    "做好重要物资储备",
    "加强边境管控",
    "推进城市更新",
    "开展审计整改",
    "加强地方债务管理",
    "做好粮食安全保障",
    "开展打击走私专项行动",
    "加强涉密载体清查",
    "做好信访维稳",
    "推进重点项目建设",
    "加强要害部门部位管理",
    "规范公文处理",
    "开展反间谍宣传教育",
)
GENRES = ("通知", "意见", "报告", "通报", "请示", "函", "实施方案", "会议纪要")
SUBJECT_SCOPES = (
    ("办公室秘书科",),
    ("办公室秘书科", "综合科"),
    ("综合科",),
    ("财务科", "办公室秘书科"),
    ("信息中心", "办公室秘书科"),
    ("办公室秘书科", "档案室"),
)
MEDIA_TITLES = {
    CarrierKind.USB_DRIVE: (
        "重大项目可行性研究报告（电子版）",
        "2026年度保密检查资料（电子版）",
        "市政府常务会议材料（电子版）",
    ),
    CarrierKind.OPTICAL_DISC: (
        "全市基础测绘成果数据光盘",
        "2026年度预算编制数据光盘",
        "应急指挥系统数据备份光盘",
    ),
    CarrierKind.HARD_DISK: ("电子政务内网备份数据",),
    CarrierKind.NOTEBOOK: ("保密笔记本",),
    CarrierKind.MEETING_PAPER: (
        "全省保密工作会议材料",
        "市政府常务会议讨论稿",
        "全市经济形势分析会材料",
    ),
}
CATALOG_BASIS = "《XX市人民政府办公室国家秘密事项目录》第{n}条"
