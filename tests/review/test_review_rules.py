"""REV-1…3 through the actions: scan first, three levels in order, never one's own, never above
one's level, only approved items published; provision to outsiders the same way."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from baomi.audit.models import AuditEvent
from baomi.classification.choices import Level
from baomi.org import actions as org
from baomi.review import actions
from baomi.review.choices import REVIEW_AUTHORITY, Destination, ReviewStatus, Stage
from baomi.review.models import ReviewScan
from baomi.review.selectors import reviews_visible_to
from tests.review.conftest import review_refused
from tests.review.helpers import approved_review, at_first_review, at_leader, form, submitted

pytestmark = pytest.mark.django_db


def encrypted_zip() -> bytes:
    # A zip member with the "encrypted" flag set: the scanner reports it as not checkable.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("secret.txt", b"x" * 100)
    data = bytearray(buffer.getvalue())
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(sig)
        flag = at + (6 if sig == b"PK\x03\x04" else 8)
        data[flag] |= 1
    return bytes(data)


def test_full_path_self_check_first_review_leader_then_publish(world):
    w = world
    review = approved_review(w)
    assert review.status == ReviewStatus.APPROVED
    stages = list(review.steps.values_list("stage", "outcome"))
    assert stages == [
        (Stage.SCAN, "passed"),
        (Stage.SELF_CHECK, "passed"),
        (Stage.FIRST_REVIEW, "passed"),
        (Stage.LEADER, "passed"),
    ]
    published = actions.publish(w.zhang, review, where="门户网站·通知公告", on=date.today())
    assert published.status == ReviewStatus.PUBLISHED
    assert AuditEvent.objects.filter(event_type="review.publish", outcome="done").exists()


def test_r_rev_1_publishing_an_unapproved_item_is_refused(world):
    w = world
    review = at_leader(w)
    with review_refused("REV-1"):
        actions.publish(w.zhang, review, where="门户网站", on=date.today())


def test_r_rev_1_skipping_a_level_is_refused(world):
    w = world
    review = at_first_review(w)  # waiting for the department's first review
    with review_refused("REV-1"):
        actions.approve(w.leader, review, Stage.LEADER, "同意")


def test_r_rev_1_first_review_before_self_check_is_refused(world):
    w = world
    review = submitted(w)
    with review_refused("REV-1"):
        actions.approve(w.classifier, review, Stage.FIRST_REVIEW, "同意")


def test_r_rev_1_important_item_needs_the_unit_head(world):
    w = world
    deputy = org.create_person(
        w.system, w.unit, name="周副主任", department=w.office, post="副主任"
    )
    org.set_clearance(w.system, deputy, "important")
    org.grant_approval_authority(w.secadmin, deputy, REVIEW_AUTHORITY, Level.SECRET)
    review = at_first_review(w, important=True)
    review = actions.approve(w.classifier, review, Stage.FIRST_REVIEW, "同意")
    review = actions.approve(deputy, review, Stage.LEADER, "同意")
    assert review.status == ReviewStatus.UNIT_HEAD_REVIEW
    with review_refused("REV-1"):
        actions.publish(w.zhang, review, where="门户网站", on=date.today())
    with review_refused("REV-1"):
        actions.approve(deputy, review, Stage.UNIT_HEAD, "同意")
    review = actions.approve(w.leader, review, Stage.UNIT_HEAD, "同意")
    assert review.status == ReviewStatus.APPROVED


def test_r_rev_1_leader_without_review_authority_is_refused(world):
    w = world
    review = at_leader(w)
    with review_refused("REV-1"):
        actions.approve(w.clerk, review, Stage.LEADER, "同意")


def test_r_per_1_reviewer_below_the_items_level_is_refused(world):
    w = world
    review = at_first_review(w, level=Level.SECRET)
    org.set_clearance(w.system, w.classifier, "general")  # 孙定密 now 一般: below 机密
    w.classifier.refresh_from_db()
    with review_refused("PER-1"):
        actions.approve(w.classifier, review, Stage.FIRST_REVIEW, "同意")
    assert not reviews_visible_to(w.classifier).filter(pk=review.pk).exists()


def test_r_per_1_naming_a_first_reviewer_below_the_level_is_refused(world):
    w = world
    with review_refused("PER-1"):
        actions.create_review(w.zhang, form(w, level=Level.SECRET, first_reviewer=w.li))


def test_r_apr_1_own_submission_cannot_be_reviewed(world):
    w = world
    with review_refused("APR-1"):
        actions.create_review(w.zhang, form(w, first_reviewer=w.zhang))
    # The leader submits; the first reviewer passes it; the leader may not sign his own.
    review = at_first_review(w, author=w.leader, first_reviewer=w.zhang)
    review = actions.approve(w.zhang, review, Stage.FIRST_REVIEW, "同意")
    with review_refused("APR-1"):
        actions.approve(w.leader, review, Stage.LEADER, "同意")


def test_send_back_then_resubmit_scans_again(world):
    w = world
    review = at_leader(w)
    review = actions.send_back(w.leader, review, Stage.LEADER, "第二段涉及内部工作安排，请删除")
    assert review.status == ReviewStatus.RETURNED
    review = actions.update_review(w.zhang, review, form(w, text="已删除有关内容。"))
    review = actions.submit(w.zhang, review)
    assert review.status == ReviewStatus.SELF_CHECK
    assert review.round == 2
    assert ReviewScan.objects.filter(review=review).count() == 2


def test_r_rev_2_provision_to_an_outside_party_goes_the_same_way(world):
    w = world
    review = at_first_review(
        w, destination=Destination.OUTSIDE_PARTY, destination_detail="XX大学课题组"
    )
    with review_refused("REV-1"):
        actions.approve(w.leader, review, Stage.LEADER, "同意")
    with review_refused("REV-1"):
        actions.publish(w.zhang, review, where="XX大学课题组", on=date.today())
    review = actions.approve(w.classifier, review, Stage.FIRST_REVIEW, "同意")
    review = actions.approve(w.leader, review, Stage.LEADER, "同意")
    review = actions.publish(w.zhang, review, where="XX大学课题组", on=date.today())
    assert review.status == ReviewStatus.PUBLISHED
    assert review.steps.filter(stage=Stage.SCAN).exists()


def test_r_rev_3_scan_runs_before_any_human_review_and_hits_are_kept(world):
    w = world
    actions.save_terms(w.clerk, w.unit, ["某型号", "代号"])
    review = actions.create_review(w.zhang, form(w, text="某型号试验安排"))
    actions.attach_file(w.zhang, review, name="附件.txt", data="秘密★5年\n代号甲".encode())
    with review_refused("REV-3"):
        actions.self_check(w.zhang, review, "已自查")
    review = actions.submit(w.zhang, review)
    scan = review.last_scan
    assert scan.ok and scan.term_version.number == 1
    found = {(f["file"], f["kind"], f["text"]) for f in scan.findings}
    assert ("正文", "term", "某型号") in found
    assert ("附件.txt", "marking", "秘密★5年") in found
    assert ("附件.txt", "term", "代号") in found
    assert review.steps.order_by("id").first().stage == Stage.SCAN


def test_r_rev_3_a_submission_whose_scan_failed_cannot_proceed(world):
    w = world
    review = actions.create_review(w.zhang, form(w))
    actions.attach_file(w.zhang, review, name="资料.zip", data=encrypted_zip())
    review = actions.submit(w.zhang, review)
    assert review.status == ReviewStatus.SCAN_FAILED
    assert review.last_scan.problems and not review.last_scan.ok
    with review_refused("REV-3"):
        actions.self_check(w.zhang, review, "已自查")
    with review_refused("REV-3"):
        actions.approve(w.classifier, review, Stage.FIRST_REVIEW, "同意")
    # Taking the unreadable file off and resubmitting scans again.
    actions.remove_file(w.zhang, review, review.files.get())
    review = actions.submit(w.zhang, review)
    assert review.status == ReviewStatus.SELF_CHECK


def test_r_rev_1_publish_refused_for_a_returned_item(world):
    w = world
    review = at_first_review(w)
    review = actions.send_back(w.classifier, review, Stage.FIRST_REVIEW, "请补充信息来源")
    with review_refused("REV-1"):
        actions.publish(w.zhang, review, where="门户网站", on=date.today())
