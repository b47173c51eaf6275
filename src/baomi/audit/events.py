"""Chinese names of the audit event types: the one table every page, export and API answer uses.

The event type stays a stable English code in the chain (it is hashed, SEC-4); what a user reads is
its label. A test greps the code base for every event type written (`@action("…")`,
`record("…")`, export `event_type="…"`) and fails when one has no label here.
"""

from __future__ import annotations

from baomi.carriers.choices import EventKind

EVENT_LABELS: dict[str, str] = {
    # 载体 (CR-*): the custody verbs, also written as `carrier.<EventKind>` by carriers.custody
    **{f"carrier.{kind.value}": f"载体{kind.label}" for kind in EventKind},
    "carrier.read": "查阅载体（机密/绝密）",
    "carrier.change_scope": "变更知悉范围",
    "carrier.decide_unclear": "决定密级不明事项",
    "carrier.declassify_expired": "期满自行解密",
    "carrier.reclassify": "密级变更",
    "carrier.report_unclear": "报告密级不明事项",
    "carrier.review_classification": "定密年度审核",
    "carrier.export": "导出载体台账",
    "carrier.return_batch": "批量归还",
    "carrier.labels": "打印载体标签",
    # 审批 (APR-*)
    "request.create": "提交审批申请",
    "request.approve": "批准申请",
    "request.reject": "驳回申请",
    "request.withdraw": "撤回申请",
    "request.export": "导出审批台账",
    "policy.set": "设置审批路径",
    "policy.install_defaults": "安装默认审批路径",
    # 传阅单、发文、清退
    "slip.create": "创建传阅单",
    "slip.send_next": "传阅单送下一位",
    "slip.acknowledge": "传阅单签收",
    "slip.return": "传阅单退回机要室",
    "slip.cancel": "撤销传阅单",
    "dispatch.receipt": "发文对方签收",
    "dispatch.export": "导出发文/清退单",
    "recall.set_schedule": "设置清退周期",
    # 归档、调阅
    "dossier.create": "建立卷宗",
    "dossier.marking": "卷宗密级重算",
    "dossier.remove_item": "移出卷宗",
    "dossier.read": "查阅卷宗（机密/绝密）",
    "dossier.export": "导出卷宗目录",
    "retrieval.request": "申请调阅",
    # 销毁
    "destruction.create": "建立销毁清单",
    "destruction.add": "加入销毁清单",
    "destruction.unlist": "移出销毁清单",
    "destruction.check": "逐件核对",
    "destruction.submit": "提交销毁审批",
    "destruction.destroy": "监销销毁",
    "destruction.export": "导出销毁清单",
    # 交接
    "handover.open": "开始交接",
    "handover.confirm": "交接确认",
    "handover.complete": "完成交接",
    "handover.cancel": "撤销交接",
    "handover.export": "导出交接清单",
    # 清查
    "stocktake.start": "开始清查",
    "stocktake.scan": "清查扫描",
    "stocktake.close": "结束清查",
    "stocktake.report_lost": "清查报失",
    "stocktake.export": "导出清查表",
    # 单位与人员 (ORG-*, PER-*)
    "unit.create": "建立单位",
    "unit.update_settings": "修改单位设置",
    "unit.update_personnel_settings": "修改脱密期/津贴设置",
    "unit.statistics": "查看保密工作统计",
    "department.create": "建立部门",
    "department.set_head": "设置部门负责人",
    "committee.set": "设立保密委员会",
    "committee.add_member": "增补保密委员会成员",
    "committee.end_member": "免去保密委员会成员",
    "officer.appoint": "任命保密员",
    "person.create": "建立人员",
    "person.set_clearance": "设置涉密等级",
    "person.grant_role": "授予业务角色",
    "person.grant_approval_authority": "授予审批权限",
    "person.assign_system_role": "指定系统角色",
    "person.change_post": "调整岗位",
    "personnel.ledger_export": "导出涉密人员登记表",
    "personnel.allowance_export": "导出保密津贴发放表",
    "clearance.propose": "提出涉密等级",
    "clearance.check": "部门审核涉密等级",
    "clearance.approve": "批准涉密等级",
    "clearance.reject": "驳回涉密等级",
    "vetting.record": "登记保密审查",
    "commitment.sign": "签订保密承诺书",
    "responsibility_letter.sign": "签订保密责任书",
    "training.record": "登记保密教育",
    "departure.start": "开始离岗",
    "departure.reminder_talk": "离岗提醒谈话",
    "departure.devices_returned": "设备已退还",
    "departure.extend": "延长脱密期",
    "departure.complete": "完成离岗",
    "move.request": "申请调动",
    "move.complete": "完成调动",
    "travel.request": "申请出国（境）",
    "travel.briefing": "行前保密提醒",
    "travel.exit": "出境登记",
    "travel.report": "回国报告",
    # 保密审查
    "review.create": "建立保密审查",
    "review.update": "修改保密审查",
    "review.attach_file": "上传审查材料",
    "review.remove_file": "删除审查材料",
    "review.self_check": "自动检查",
    "review.submit": "提交保密审查",
    "review.approve": "审查通过",
    "review.send_back": "审查退回",
    "review.publish": "登记发布",
    "term_list.save": "保存敏感词表",
    "term_list.import": "导入敏感词表",
    # 系统
    "token.create": "签发 API 令牌",
    "audit.export": "导出审计记录",
    "reports.statistics_export": "导出统计报表",
}


def event_label(event_type: str) -> str:
    """The Chinese name of an event type; an unknown code (a newer event) shows as itself."""
    return EVENT_LABELS.get(event_type, event_type)


def event_types_labelled(text: str) -> list[str]:
    """The event types whose code or Chinese name contains `text` (the audit page's filter)."""
    needle = text.strip().lower()
    return [code for code, label in EVENT_LABELS.items() if needle in code or needle in label]
