"""Demo data for 涉密人员 (called at the end of web.demo.load_demo), all through the actions:
the secrecy organisation, vetting/commitments/training for the cleared staff, a new hire whose
level went the whole PER-2 path, one pending proposal, a trip abroad, and a person in the 脱密期."""

from __future__ import annotations

from datetime import timedelta

from baomi.approvals import actions as approvals
from baomi.carriers.selectors import holdings_of
from baomi.org import actions as org
from baomi.personnel import actions as personnel
from baomi.personnel import organisation

HEADS = {
    "办公室秘书科": "director",
    "机要室": "clerk",
    "档案室": "liu",
    "信息中心": "yang",
    "财务科": "ma",
    "综合科": "he",
}
NO_TRAINING = ("huang", "lin")  # PER-4 alerts: no training in the last 12 months


def load_personnel_demo(demo) -> None:
    people, today, system = demo.people, demo.today, demo.system
    clerk, leader = people["clerk"], people["leader"]
    unit = demo.unit

    organisation.set_committee(
        system, unit, name="保密工作领导小组", office_department=demo.departments["机要室"]
    )
    start = today - timedelta(days=400)
    organisation.add_committee_member(system, unit, leader, role="leader", start_on=start)
    organisation.add_committee_member(
        system, unit, people["director"], role="deputy", start_on=start
    )
    for key in ("classifier", "clerk", "yang"):
        organisation.add_committee_member(system, unit, people[key], role="member", start_on=start)
    organisation.appoint_officer(system, clerk, full_time=True, start_on=start)
    organisation.appoint_officer(system, people["clerk2"], full_time=False, start_on=start)
    for name, key in HEADS.items():
        organisation.set_department_head(system, demo.departments[name], people[key])
        organisation.sign_responsibility_letter(
            system,
            people[key],
            signed_on=start + timedelta(days=10),
            text=f"本人作为{name}负责人，对本部门保密工作负直接责任，严格执行保密法律法规和本单位保密制度，"
            "落实涉密人员、涉密载体和涉密设备管理要求，发生泄密事件承担相应责任。",
            department=demo.departments[name],
        )

    # Everyone cleared: vetting, 保密承诺书, training (a few without: alerts).
    for key, p in people.items():
        if p.clearance == "none" or p.has_system_role:
            continue
        vetted_on = today - timedelta(days=300)
        review = vetted_on + timedelta(days=365 if key != "wu" else 310)  # 吴芳: re-review due soon
        personnel.record_vetting(
            clerk if p != clerk else system,
            p,
            on=vetted_on,
            result="passed",
            findings="政治审查、社会关系审查无异常。",
            next_review_on=review,
        )
        personnel.sign_commitment(
            clerk if p != clerk else system, p, kind="on_post", signed_on=vetted_on
        )
        if key not in NO_TRAINING:
            personnel.record_training(
                clerk if p != clerk else system,
                p,
                on=today - timedelta(days=60),
                hours=4,
                subject="《保守国家秘密法》及实施条例专题培训",
                score=85 + len(p.name) % 10,
            )

    # A new hire through PER-2: proposed by the department, checked by its head, approved.
    newcomer = org.create_person(
        system, unit, name="林晓", department=demo.departments["办公室秘书科"], post="文秘"
    )
    personnel.record_vetting(clerk, newcomer, on=today - timedelta(days=5), result="passed")
    personnel.sign_commitment(clerk, newcomer, kind="on_post", signed_on=today - timedelta(days=4))
    personnel.record_training(
        clerk,
        newcomer,
        on=today - timedelta(days=3),
        hours=2,
        subject="新入职人员保密教育",
        score=90,
    )
    decision = personnel.propose_clearance(
        people["zhang"],
        newcomer,
        clearance="general",
        highest_level="confidential",
        reason="岗位承担秘密级文件的收发登记",
    )
    personnel.check_clearance(people["director"], decision, comment="属实")
    personnel.approve_clearance(leader, decision, comment="同意")

    # A pending proposal: 综合科 asks 一般 for a new colleague; 何平 has not checked yet.
    pending = org.create_person(
        system, unit, name="宋佳", department=demo.departments["综合科"], post="科员"
    )
    personnel.record_vetting(clerk, pending, on=today - timedelta(days=2), result="passed")
    personnel.sign_commitment(clerk, pending, kind="on_post", signed_on=today - timedelta(days=2))
    personnel.propose_clearance(
        people["hu"],
        pending,
        clearance="general",
        highest_level="confidential",
        reason="岗位接触秘密级会议材料",
    )

    # Travel abroad: approved and briefed, leaving next week (someone holding nothing, PER-7).
    traveller = next(
        (
            people[k]
            for k in ("zhang", "wu", "zheng", "ma", "liu")
            if not holdings_of(people[k]).exists()
        ),
        None,
    )
    if traveller is not None:
        trip = personnel.request_travel(
            traveller,
            traveller,
            destination="新加坡",
            depart_on=today + timedelta(days=7),
            return_on=today + timedelta(days=12),
            purpose="因私旅游",
            approver=leader,
        )
        approvals.approve(leader, trip.request, comment="同意，注意保密纪律")
        personnel.record_briefing(clerk, trip, on=today)

    # A person who left and is in the 脱密期 (the first cleared one holding nothing).
    for key in ("chen", "sun", "hu", "huang"):
        p = people[key]
        if holdings_of(p).exists():
            continue
        departure = personnel.start_departure(
            clerk, p, kind="transfer", end_date=today, reason="调往市档案馆工作"
        )
        personnel.record_reminder_talk(clerk, departure, on=today)
        personnel.sign_commitment(clerk, p, kind="departure", signed_on=today)
        personnel.record_devices_returned(
            clerk, departure, on=today, note="办公U盘1个（已登记交回）"
        )
        personnel.complete_departure(clerk, departure)
        break
