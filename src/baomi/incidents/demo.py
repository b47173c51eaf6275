"""The demo office's incidents (INC-1) and emergency preparedness (INC-2), through the actions:
a loss from last month reported in time, investigated and closed by the committee; a leak
found yesterday and not yet reported on (its 24-hour alert shows); a plan and a drill."""

from __future__ import annotations

from datetime import timedelta

from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier
from baomi.incidents import actions, preparedness
from baomi.incidents.choices import EntryKind, IncidentKind
from baomi.lib import clock

PLAN_TEXT = """一、适用范围：本单位发生或可能发生涉密载体丢失、泄密等事件。
二、报告：发现人立即报告保密办；保密办 24 小时内报告市保密行政管理部门，同时报告单位负责人。
三、处置：立即组织查找，封存相关场所和设备，通知制文机关，采取补救措施防止扩散。
四、调查：保密委员会组织调查，查明原因，认定责任，提出处理意见。
五、总结：事件结案后一个月内完成整改并组织一次警示教育。"""


def load_incidents_demo(demo) -> None:
    people, now = demo.people, demo.now
    clerk, leader, zhang = people["clerk"], people["leader"], people["zhang"]
    lost = Carrier.objects.filter(unit=demo.unit, status=Status.LOST).order_by("pk").first()
    if lost is not None:
        discovered = now - timedelta(days=40)
        with clock.at(discovered + timedelta(hours=1)):
            incident = actions.open_incident(
                clerk,
                kind=IncidentKind.LOSS,
                summary="借阅文件在外出途中遗失",
                level=lost.level,
                discovered_at=discovered,
                discovered_where="高铁站候车室",
                discovered_by=zhang,
                carriers=[lost],
                information="文件所载为本单位年度重点工作安排",
                how="借阅人携带外出办事，候车时公文包遗失",
                harm="可能造成所载秘密信息泄露",
                remedies="立即报警并向车站失物招领处登记；通知制文机关",
            )
        with clock.at(discovered + timedelta(hours=6)):
            actions.report_to_authority(
                clerk, incident, reference="电话报告市保密局值班室，已补书面报告"
            )
        with clock.at(discovered + timedelta(days=3)):
            actions.add_entry(
                clerk,
                incident,
                kind=EntryKind.NOTE,
                text="调取车站监控，未见他人拿取；借阅人未按规定经批准携带外出",
            )
        with clock.at(discovered + timedelta(days=20)):
            actions.close_incident(
                leader,
                incident,
                cause="借阅人未经批准携带涉密文件外出，保管不善",
                responsibility="借阅人负直接责任，给予通报批评并取消年度评优；保密办加强携带外出审批",
                responsible_person=zhang,
            )
    with clock.at(now - timedelta(hours=29)):
        actions.open_incident(
            zhang,
            kind=IncidentKind.LEAK,
            summary="工作群中发现转发的内部文件截图",
            level="confidential",
            discovered_at=now - timedelta(hours=30),
            discovered_where="某工作微信群",
            discovered_by=zhang,
            how="截图含秘密级文件页面",
            remedies="已要求撤回并删除",
        )
    plan = preparedness.record_plan(
        clerk,
        title="失泄密事件应急预案",
        version="2026版",
        approved_on=demo.today - timedelta(days=200),
        content=PLAN_TEXT,
    )
    preparedness.record_drill(
        clerk,
        held_on=demo.today - timedelta(days=90),
        scenario="模拟会后清点发现一份机密级会议材料缺失",
        participants=[clerk, leader, zhang, people["director"]],
        findings="报告环节用时 40 分钟，已明确值班联系人；会议材料回收清单需打印备用",
        plan=plan,
    )
