"""A year of activity (2025) through the actions, each on its day (time_machine moves every
clock — the audit rows too, so the people on the roll are dated as well), and some of January
and February 2026 that the 2025 report must not count but must see through: a carrier destroyed
on 15 January 2026 was still held on 31 December 2025.

`EXPECTED` is what the test itself counted while acting — never what the report computes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.carriers import actions as carriers
from baomi.carriers.choices import CarrierKind, Source
from baomi.carriers.registration import Registration
from baomi.classification.choices import Level
from baomi.classification.periods import Period
from baomi.destruction import actions as destruction
from baomi.destruction.models import Method
from baomi.dispatch import actions as dispatch
from baomi.dispatch.choices import Channel
from baomi.incidents import actions as incidents
from baomi.inspections import actions as inspections
from baomi.inspections.choices import Answer, InspectionKind, Severity
from baomi.personnel import actions as personnel
from baomi.reclassification import actions as reclassification
from baomi.training import actions as training
from tests.factories import approved, build_world, person
from tests.lifecycle import approved_list
from tests.personnel.helpers import clear, vet_and_commit, with_head

TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2025
TITLE = "关于二〇二五年某专项工作的通知"
DOWN = {"level": "confidential", "period": {"kind": "years", "years": 10}}


def at(y, m, d, hour=10):
    return time_machine.travel(datetime(y, m, d, hour, tzinfo=TZ), tick=False)


def register(w, level, copies, doc_date):
    made = carriers.register(
        w.clerk,
        Registration(
            kind=CarrierKind.DOCUMENT,
            title=TITLE,
            doc_date=doc_date,
            level=level,
            source=Source.RECEIVED,
            place=w.safe if level == Level.TOP_SECRET else w.cabinet,
            copies=copies,
            issuer="XX省人民政府办公厅",
            doc_number=f"X政办发〔{doc_date.year}〕{doc_date.month}号",
            scope_people=[],
            scope_departments=[w.office],
        ),
    )
    return made


def downgrade(w, carrier, reason):
    request = approved(w, RequestKind.RECLASSIFICATION, [carrier], proposed_change=DOWN)
    return reclassification.reclassify(
        w.clerk,
        carrier,
        request,
        reason=reason,
        level=Level.CONFIDENTIAL,
        period=Period.of_years(10),
    )


def destroy(w, carrier_list):
    dlist = approved_list(w, carrier_list)
    destruction.destroy(
        w.clerk, dlist, method=Method.SHRED, place="机要室", witnesses=[w.zhang, w.classifier]
    )


# (件, 份) per level for the 2025 report, counted here while acting.
EXPECTED = {
    "registered": {"secret": (2, 4), "confidential": (1, 2), "top_secret": (1, 1)},
    "dispatched": {"secret": (1, 1)},
    "destroyed": {"confidential": (1, 1)},
    "reported_lost": {"secret": (1, 1)},
    "lent": {"confidential": (1, 1)},
    "reclassified": {"secret": (1, 1)},
    # A1 (downgraded in 2025) and B1 (destroyed in January 2026) at 秘密; D (downgraded in
    # February 2026) still 机密 on 31 December; C 绝密.
    "held_at_end": {"secret": (1, 1), "confidential": (2, 2), "top_secret": (1, 1)},
    "lost_at_end": {"secret": (1, 1)},
}
# People on the roll on 31 December 2025, by their level then.
EXPECTED_CLEARED = {"core": 2, "important": 3, "general": 0}


def build_year():
    """Returns (world, carriers by name, incident) after the whole history has been played."""
    with at(2025, 1, 6):
        w = build_world()
        with_head(w)
    with at(2025, 3, 3):
        a = register(w, Level.SECRET, 3, date(2025, 3, 1))  # A1 A2 A3
        b = register(w, Level.CONFIDENTIAL, 2, date(2025, 3, 1))  # B1 B2
        (wrong,) = register(w, Level.TOP_SECRET, 1, date(2025, 3, 1))
        carriers.void(w.clerk, wrong, reason="重复登记")  # 作废: never counted
        newcomer = person(w.system, w.unit, "周新", w.office, "none", "")
        vet_and_commit(w, newcomer)
        clear(w, newcomer, "important", "secret")
    with at(2025, 4, 8):
        (c,) = register(w, Level.TOP_SECRET, 1, date(2025, 4, 1))
    with at(2025, 5, 12):
        dispatch.dispatch(
            w.clerk,
            dispatch.DispatchForm(
                carriers=[a[2]],
                recipient_unit="XX县人民政府办公室",
                recipient_person="刘收文",
                channel=Channel.EXCHANGE_STATION,
                couriers=[],
            ),
        )
        session = training.create_session(
            w.clerk,
            title="2025年上半年保密集中培训",
            kind="concentrated",
            held_on=date(2025, 5, 12),
            hours=Decimal("2"),
        )
        training.record_attendance(w.clerk, session, [w.zhang, newcomer, w.classifier])
    with at(2025, 6, 16):
        destroy(w, [b[1]])
        departure = personnel.start_departure(
            w.clerk, w.li, kind="resignation", end_date=date(2025, 6, 16), reason="个人原因辞职"
        )
        personnel.record_reminder_talk(w.clerk, departure, on=date(2025, 6, 16))
        personnel.sign_commitment(w.clerk, w.li, kind="departure", signed_on=date(2025, 6, 16))
        personnel.record_devices_returned(w.clerk, departure, on=date(2025, 6, 16), note="无")
        personnel.complete_departure(w.clerk, departure)
    with at(2025, 7, 7, 9):
        carriers.report_lost(w.clerk, a[1], note="清点时未找到")
        incident = incidents.open_incident(
            w.clerk,
            kind="loss",
            summary="机密文件一份清点时未找到",
            level=Level.SECRET,
            discovered_at=datetime(2025, 7, 7, 8, tzinfo=TZ),
            discovered_where="机要室",
            discovered_by=w.clerk,
        )
    with at(2025, 7, 7, 20):
        incidents.report_to_authority(w.clerk, incident, reference="X保字〔2025〕7号")
    with at(2025, 8, 4):
        trip = personnel.request_travel(
            w.zhang,
            w.zhang,
            destination="新加坡",
            depart_on=date(2025, 8, 14),
            return_on=date(2025, 8, 19),
            purpose="因私旅游",
            approver=w.leader,
        )
        approvals.approve(w.leader, trip.request, comment="同意")
        personnel.record_briefing(w.clerk, trip, on=date(2025, 8, 4))
    with at(2025, 8, 14):
        personnel.record_exit(w.clerk, trip, on=date(2025, 8, 14))
    with at(2025, 8, 20):
        personnel.report_return(w.zhang, trip, on=date(2025, 8, 20), report="行程顺利，无异常。")
    with at(2025, 9, 1):
        downgrade(w, a[0], "情况变化，降为秘密")
    with at(2025, 10, 9):
        (d,) = register(w, Level.SECRET, 1, date(2025, 10, 8))
    with at(2025, 11, 3):
        loan = approved(w, RequestKind.LOAN, [b[0]], due=date(2025, 11, 10))
        carriers.lend(w.clerk, b[0], loan)
    with at(2025, 11, 7):
        carriers.return_to_registry(w.clerk, b[0])
        inspection = inspections.plan_inspection(
            w.clerk,
            inspections.PlanForm(
                unit=w.unit,
                kind=InspectionKind.SELF,
                title="2025年下半年保密自查",
                planned_on=date(2025, 11, 7),
                leader=w.clerk,
            ),
        )
        inspections.start_inspection(w.clerk, inspection)
        fixed = inspections.record_finding(
            w.clerk,
            inspection,
            inspections.FindingForm(
                description="文件柜未上锁",
                severity=Severity.MINOR,
                rule_id="CR-15",
                place=w.cabinet,
            ),
        )
        late = inspections.record_finding(
            w.clerk,
            inspection,
            inspections.FindingForm(
                description="保密室门禁失效",
                severity=Severity.SERIOUS,
                rule_id="CR-15",
                place=w.cabinet,
            ),
        )
        for row in inspection.answers.filter(answer=Answer.UNANSWERED):
            inspections.answer_item(w.clerk, row, result=Answer.YES)
        fixed_rect = inspections.assign_rectification(
            w.clerk, fixed, content="加装锁具", owner=w.zhang, deadline=date(2025, 11, 20)
        )
        late_rect = inspections.assign_rectification(
            w.clerk, late, content="修复门禁", owner=w.zhang, deadline=date(2025, 12, 15)
        )
        inspections.complete_inspection(w.clerk, inspection, summary="发现两个问题，已下达整改。")
    with at(2025, 11, 18):
        inspections.submit_rectification(w.zhang, fixed_rect, report="已加锁")
        inspections.verify_rectification(w.leader, fixed_rect, accepted=True, note="核实无误")
    # --- after 31 December 2025 ------------------------------------------------------------
    with at(2026, 1, 15):
        destroy(w, [b[0]])
        register(w, Level.SECRET, 2, date(2026, 1, 14))
        inspections.submit_rectification(w.zhang, late_rect, report="已修复")
        inspections.verify_rectification(w.leader, late_rect, accepted=True, note="核实无误")
        incidents.open_incident(
            w.clerk,
            kind="leak",
            summary="疑似泄密",
            level=Level.CONFIDENTIAL,
            discovered_at=datetime(2026, 1, 15, 9, tzinfo=TZ),
            discovered_where="办公室",
            discovered_by=w.clerk,
        )
        later = training.create_session(
            w.clerk,
            title="2026年岗前培训",
            kind="induction",
            held_on=date(2026, 1, 15),
            hours=Decimal("1"),
        )
        training.record_attendance(w.clerk, later, [w.zhang])
    with at(2026, 2, 2):
        downgrade(w, d, "降为秘密")
        clear(w, newcomer, "core", "top_secret")  # 周新 was 重要 on 31 December
        person(w.system, w.unit, "吴后来", w.office, "none", "")
    carriers_by_name = {"A": a, "B": b, "C": c, "D": d}
    return w, carriers_by_name, incident
