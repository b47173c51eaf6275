"""涉密人员 rules through the actions: PER-1, PER-2, PER-3, PER-5, PER-6, PER-7, CR-13."""

from __future__ import annotations

import pytest

from baomi.approvals import actions as approvals
from baomi.audit.models import AuditEvent
from baomi.carriers import actions as carriers
from baomi.classification.choices import Level
from baomi.org.models import Person
from baomi.personnel import actions as personnel
from baomi.personnel import organisation
from baomi.personnel.choices import DecisionStatus, DepartureStatus, MoveStatus, TravelStatus
from tests.factories import receive
from tests.personnel.helpers import clear, days, hire, refused, today, vet_and_commit, with_head


@pytest.fixture
def w(world):
    return with_head(world)


@pytest.fixture
def newcomer(w):
    return hire(w)


# --- PER-3 ------------------------------------------------------------------------------------


def test_r_per_3_level_without_vetting_is_refused(w, newcomer):
    personnel.sign_commitment(w.clerk, newcomer, kind="on_post", signed_on=today())
    with refused("PER-3") as info:
        personnel.propose_clearance(
            w.zhang, newcomer, clearance="important", highest_level="secret", reason="机要"
        )
    assert "审查" in info.value.message


def test_r_per_3_level_without_commitment_is_refused(w, newcomer):
    personnel.record_vetting(w.clerk, newcomer, on=today(), result="passed")
    with refused("PER-3") as info:
        personnel.propose_clearance(
            w.zhang, newcomer, clearance="general", highest_level="confidential", reason="机要"
        )
    assert "承诺书" in info.value.message


def test_r_per_3_failed_vetting_is_refused_also_at_approval(w, newcomer):
    vet_and_commit(w, newcomer)
    d = personnel.propose_clearance(
        w.zhang, newcomer, clearance="important", highest_level="secret", reason="机要"
    )
    personnel.check_clearance(w.classifier, d)
    personnel.record_vetting(w.clerk, newcomer, on=today(), result="failed", findings="有问题")
    with refused("PER-3"):
        personnel.approve_clearance(w.leader, d)
    newcomer.refresh_from_db()
    assert newcomer.clearance == "none"


# --- PER-2 ------------------------------------------------------------------------------------


def test_per_2_the_three_steps_set_the_level_and_keep_the_history(w, newcomer):
    vet_and_commit(w, newcomer)
    decision = clear(w, newcomer)
    newcomer.refresh_from_db()
    assert newcomer.clearance == "important"
    assert decision.status == DecisionStatus.APPROVED and decision.effective_on == today()
    assert (decision.proposed_by, decision.checked_by, decision.decided_by) == (
        w.zhang,
        w.classifier,
        w.leader,
    )
    events = AuditEvent.objects.filter(object_type="clearancedecision", object_id=decision.pk)
    assert list(events.values_list("event_type", flat=True)) == [
        "clearance.propose",
        "clearance.check",
        "clearance.approve",
    ]
    # A change follows the same path, and the history keeps both.
    d2 = personnel.propose_clearance(
        w.zhang, newcomer, clearance="core", highest_level="top_secret", reason="调任机要岗"
    )
    personnel.check_clearance(w.classifier, d2)
    personnel.approve_clearance(w.leader, d2)
    assert list(newcomer.clearance_decisions.values_list("clearance", flat=True)) == [
        "core",
        "important",
    ]


def test_r_per_2_approval_before_the_heads_check_is_refused(w, newcomer):
    vet_and_commit(w, newcomer)
    d = personnel.propose_clearance(
        w.zhang, newcomer, clearance="important", highest_level="secret", reason="机要"
    )
    with refused("PER-2"):
        personnel.approve_clearance(w.leader, d)
    newcomer.refresh_from_db()
    assert newcomer.clearance == "none"


def test_r_per_2_check_by_someone_not_the_department_head_is_refused(w, newcomer):
    vet_and_commit(w, newcomer)
    d = personnel.propose_clearance(
        w.zhang, newcomer, clearance="important", highest_level="secret", reason="机要"
    )
    with refused("PER-2"):
        personnel.check_clearance(w.li, d)


def test_r_per_2_approval_by_someone_not_the_unit_head_is_refused(w, newcomer):
    vet_and_commit(w, newcomer)
    d = personnel.propose_clearance(
        w.zhang, newcomer, clearance="important", highest_level="secret", reason="机要"
    )
    personnel.check_clearance(w.classifier, d)
    with refused("PER-2"):
        personnel.approve_clearance(w.clerk, d)


def test_r_per_2_proposal_from_another_department_is_refused(w, newcomer):
    vet_and_commit(w, newcomer)
    with refused("PER-2"):
        personnel.propose_clearance(
            w.wang, newcomer, clearance="important", highest_level="secret", reason="机要"
        )


def test_r_per_2_nobody_proposes_their_own_level(w):
    vet_and_commit(w, w.li)
    with refused("PER-2"):
        personnel.propose_clearance(
            w.li, w.li, clearance="important", highest_level="secret", reason="我想要"
        )


def test_r_apr_1_the_proposer_cannot_also_approve_the_level(w, newcomer):
    """钱领导 is in 办公室秘书科 and the unit head: proposing and approving would be one person."""
    vet_and_commit(w, newcomer)
    d = personnel.propose_clearance(
        w.leader, newcomer, clearance="important", highest_level="secret", reason="机要"
    )
    personnel.check_clearance(w.classifier, d)
    with refused("APR-1"):
        personnel.approve_clearance(w.leader, d)
    newcomer.refresh_from_db()
    assert newcomer.clearance == "none"


def test_r_per_2_the_secrecy_office_may_propose_for_the_department(w, newcomer):
    vet_and_commit(w, newcomer)
    d = personnel.propose_clearance(
        w.clerk, newcomer, clearance="important", highest_level="secret", reason="机要"
    )
    personnel.check_clearance(w.classifier, d)
    personnel.approve_clearance(w.leader, d)
    newcomer.refresh_from_db()
    assert newcomer.clearance == "important"


# --- PER-1 ------------------------------------------------------------------------------------


def test_r_per_1_level_above_what_the_post_touches_is_refused(w, newcomer):
    vet_and_commit(w, newcomer)
    with refused("PER-1"):
        personnel.propose_clearance(
            w.zhang, newcomer, clearance="core", highest_level="secret", reason="机要"
        )


def test_r_per_1_lowering_a_level_below_what_is_held_is_refused(w):
    vet_and_commit(w, w.zhang)
    carrier = receive(w, level=Level.SECRET)
    carriers.circulate(w.clerk, carrier, w.zhang)
    d = personnel.propose_clearance(
        w.li, w.zhang, clearance="general", highest_level="confidential", reason="调整岗位"
    )
    personnel.check_clearance(w.classifier, d)
    with refused("PER-1") as info:
        personnel.approve_clearance(w.leader, d)
    assert carrier.label in info.value.message


def test_r_per_1_uncleared_newcomer_cannot_hold_a_carrier(w, newcomer):
    carrier = receive(w, level=Level.CONFIDENTIAL)
    with refused("PER-1"):
        carriers.circulate(w.clerk, carrier, newcomer)


# --- PER-5, CR-13 ------------------------------------------------------------------------------


def leaving(w, p, end=None):
    return personnel.start_departure(
        w.clerk, p, kind="resignation", end_date=end or today(), reason="个人原因辞职"
    )


def test_r_cr_13_departure_while_holding_a_carrier_is_refused_listing_it(w):
    carrier = receive(w, level=Level.SECRET)
    carriers.circulate(w.clerk, carrier, w.zhang)
    d = leaving(w, w.zhang)
    personnel.record_reminder_talk(w.clerk, d, on=today())
    personnel.sign_commitment(w.clerk, w.zhang, kind="departure", signed_on=today())
    personnel.record_devices_returned(w.clerk, d, on=today(), note="无")
    with refused("CR-13") as info:
        personnel.complete_departure(w.clerk, d)
    assert carrier.label in info.value.message
    assert info.value.detail == {"carriers": [carrier.label]}
    w.zhang.refresh_from_db()
    assert w.zhang.active and w.zhang.user.is_active


@pytest.mark.parametrize("missing", ["talk", "commitment", "devices"])
def test_r_per_5_departure_without_each_step_is_refused(w, missing):
    d = leaving(w, w.li)
    if missing != "talk":
        personnel.record_reminder_talk(w.clerk, d, on=today())
    if missing != "commitment":
        personnel.sign_commitment(w.clerk, w.li, kind="departure", signed_on=today())
    if missing != "devices":
        personnel.record_devices_returned(w.clerk, d, on=today(), note="U盘一个")
    with refused("PER-5"):
        personnel.complete_departure(w.clerk, d)


def depart(w, p):
    d = leaving(w, p)
    personnel.record_reminder_talk(w.clerk, d, on=today())
    personnel.sign_commitment(w.clerk, p, kind="departure", signed_on=today())
    personnel.record_devices_returned(w.clerk, d, on=today(), note="无")
    return personnel.complete_departure(w.clerk, d)


def test_per_5_departure_withdraws_access_and_sets_the_cooling_off_from_the_settings(w):
    organisation.update_personnel_settings(w.system, w.unit, cooling_off_years={"important": 4})
    d = depart(w, w.zhang)
    zhang = Person.objects.get(pk=w.zhang.pk)
    assert d.status == DepartureStatus.COMPLETED
    assert not zhang.active and not zhang.user.is_active
    assert d.cooling_off_start == today()
    assert d.cooling_off_end == today().replace(year=today().year + 4)
    assert zhang.on_cooling_off_until == d.cooling_off_end
    personnel.extend_cooling_off(
        w.clerk,
        d,
        until=d.cooling_off_end.replace(year=d.cooling_off_end.year + 1),
        reason="涉及重大事项",
    )
    zhang.refresh_from_db()
    assert zhang.on_cooling_off_until.year == today().year + 5


def test_per_5_default_lengths_are_3_2_1_years(w):
    for p, years in ((w.clerk, 3), (w.zhang, 2), (w.li, 1)):
        actor = w.system if p == w.clerk else w.clerk
        d = personnel.start_departure(actor, p, kind="retirement", end_date=today(), reason="退休")
        personnel.record_reminder_talk(actor, d, on=today())
        personnel.sign_commitment(actor, p, kind="departure", signed_on=today())
        personnel.record_devices_returned(actor, d, on=today(), note="无")
        d = personnel.complete_departure(actor, d)
        assert d.cooling_off_end.year - today().year == years


# --- PER-6 ------------------------------------------------------------------------------------


def test_r_per_6_core_staff_may_not_resign_during_the_cooling_off(w):
    d = personnel.start_departure(
        w.system, w.clerk, kind="post_change", end_date=today(), reason="调岗"
    )
    personnel.record_reminder_talk(w.system, d, on=today())
    personnel.sign_commitment(w.system, w.clerk, kind="departure", signed_on=today())
    personnel.record_devices_returned(w.system, d, on=today(), note="无")
    personnel.complete_departure(w.system, d)
    with refused("PER-6"):
        personnel.request_move(
            w.system, w.clerk, kind="resignation", reason="辞职", approver=w.leader
        )


def test_r_per_6_a_move_without_approval_is_refused_then_done_with_commitment_and_note(w):
    depart(w, w.zhang)
    move = personnel.request_move(
        w.clerk, w.zhang, kind="resignation", reason="另谋他职", approver=w.leader
    )
    with refused("PER-6"):
        personnel.complete_move(
            w.clerk, move, signed_on=today(), commitment_text="继续保守秘密", note="脱密期辞职"
        )
    approvals.approve(w.leader, move.request, comment="同意")
    move = personnel.complete_move(
        w.clerk,
        move,
        signed_on=today(),
        commitment_text="继续保守秘密",
        note="脱密期辞职，已签承诺书",
    )
    assert move.status == MoveStatus.COMPLETED
    assert move.commitment.kind == "after_transfer"
    assert w.zhang.personnel_notes.get().text.startswith("脱密期辞职")


# --- PER-7 ------------------------------------------------------------------------------------


def travel(w, p=None):
    return personnel.request_travel(
        p or w.zhang,
        p or w.zhang,
        destination="新加坡",
        depart_on=days(10),
        return_on=days(15),
        purpose="因私旅游",
        approver=w.leader,
    )


def test_r_per_7_holding_a_carrier_does_not_block_the_request_only_the_exit(w):
    """PER-7 asks that no carrier goes abroad: holdings must be back before the exit, not
    before the request."""
    carrier = receive(w, level=Level.SECRET)
    carriers.circulate(w.clerk, carrier, w.zhang)
    t = travel(w)
    approvals.approve(w.leader, t.request, comment="同意")
    personnel.record_briefing(w.clerk, t, on=today())
    with refused("PER-7") as info:
        personnel.record_exit(w.clerk, t, on=today())
    assert carrier.label in info.value.message
    carriers.return_to_registry(w.clerk, carrier)
    assert personnel.record_exit(w.clerk, t, on=today()).status == TravelStatus.ABROAD


def test_r_per_7_briefing_before_approval_is_refused(w):
    t = travel(w)
    with refused("PER-7"):
        personnel.record_briefing(w.clerk, t, on=today())


def test_r_per_7_leaving_without_the_briefing_is_refused(w):
    t = travel(w)
    approvals.approve(w.leader, t.request, comment="同意")
    with refused("PER-7"):
        personnel.record_exit(w.clerk, t, on=today())


def test_r_per_7_leaving_while_holding_a_carrier_is_refused(w):
    t = travel(w)
    approvals.approve(w.leader, t.request, comment="同意")
    personnel.record_briefing(w.clerk, t, on=today())
    carriers.circulate(w.clerk, receive(w, level=Level.SECRET), w.zhang)
    with refused("PER-7"):
        personnel.record_exit(w.clerk, t, on=today())


def test_per_7_approved_briefed_abroad_reported(w):
    t = travel(w)
    approvals.approve(w.leader, t.request, comment="同意")
    personnel.record_briefing(w.clerk, t, on=today())
    personnel.record_exit(w.clerk, t, on=today())
    t = personnel.report_return(w.zhang, t, on=today(), report="行程中未发生涉密情况。")
    assert t.status == TravelStatus.REPORTED
