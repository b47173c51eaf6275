"""REV-3: a marking or a listed term found by the automatic check holds a submission meant for
publication or provision until a leader with the review authority decides, with a reason — the
check never records such a scan as passed, and the author is not handed a pre-filled declaration
that the text holds no secret."""

from __future__ import annotations

import pytest

from baomi.lib.errors import Invalid
from baomi.review import actions
from baomi.review.choices import Destination, Outcome, ReviewStatus, Stage
from tests.review.conftest import review_refused
from tests.review.helpers import form, submitted
from tests.review.test_review_api import body, refused_call

pytestmark = pytest.mark.django_db

MARKED = "附件一：某项目进展情况（机密★5年）\n正文略。"


def test_r_rev_3_a_marking_holds_the_item_and_is_not_passed(world):
    w = world
    review = submitted(w, text=MARKED)
    assert review.status == ReviewStatus.HITS_PENDING
    scan_step = review.steps.get(stage=Stage.SCAN)
    assert scan_step.outcome == Outcome.HITS, "a scan with a marking must not be recorded 通过"
    assert {f["marking"] or f["text"] for f in review.last_scan.findings} >= {"机密★5年"}
    # The author cannot go on, nor can the first reviewer, nor a leader sign before the decision.
    with review_refused("REV-3"):
        actions.self_check(w.zhang, review, "本人已自查，不涉及国家秘密。")
    with review_refused("REV-3"):
        actions.approve(w.classifier, review, Stage.FIRST_REVIEW, "同意")
    with review_refused("REV-3"):
        actions.approve(w.leader, review, Stage.LEADER, "同意")


def test_r_rev_3_the_hit_decision_needs_the_authority_and_a_reason(world):
    w = world
    review = submitted(w, text=MARKED)
    # 孙定密 is the named first reviewer but holds no review authority.
    with review_refused("REV-3"):
        actions.approve(w.classifier, review, Stage.HIT_DECISION, "引用公开文件")
    with pytest.raises(Invalid) as missing:
        actions.approve(w.leader, review, Stage.HIT_DECISION, "  ")
    assert "comment" in missing.value.detail
    review.refresh_from_db()
    assert review.status == ReviewStatus.HITS_PENDING
    reason = "命中为已解密的公开文件标题，经核实不涉密"
    review = actions.approve(w.leader, review, Stage.HIT_DECISION, reason)
    assert review.status == ReviewStatus.SELF_CHECK
    decided = review.steps.get(stage=Stage.HIT_DECISION)
    assert (decided.actor, decided.outcome, decided.comment) == (w.leader, Outcome.PASSED, reason)
    actions.self_check(w.zhang, review, "本人已自查。")


def test_r_rev_3_a_listed_term_holds_a_provision_too_and_can_be_sent_back(world):
    w = world
    actions.save_terms(w.clerk, w.unit, ["某型号"])
    review = submitted(
        w,
        text="某型号配套情况说明",
        destination=Destination.OUTSIDE_PARTY,
        destination_detail="XX研究所",
    )
    assert review.status == ReviewStatus.HITS_PENDING
    review = actions.send_back(w.leader, review, Stage.HIT_DECISION, "请删去型号名称")
    assert review.status == ReviewStatus.RETURNED
    # Revised without the term, it goes through on its own.
    review = actions.update_review(w.zhang, review, form(w, text="配套情况说明"))
    assert actions.submit(w.zhang, review).status == ReviewStatus.SELF_CHECK


def test_r_rev_3_the_author_may_revise_a_held_item(world):
    w = world
    review = submitted(w, text=MARKED)
    review = actions.update_review(w.zhang, review, form(w, text="某项目进展情况"))
    assert actions.submit(w.zhang, review).status == ReviewStatus.SELF_CHECK


def test_r_rev_3_api_marking_holds_until_a_decision_with_reason(world, api):
    w = world
    rid = api(w.zhang).post("reviews", body(w, text=MARKED)).json()["id"]
    held = api(w.zhang).post(f"reviews/{rid}/submit").json()
    assert held["status"] == "hits_pending"
    assert held["steps"][0]["outcome"] == "hits"
    assert held["steps"][0]["outcome_display"] != "通过"
    refused_call(
        lambda: api(w.zhang).post(f"reviews/{rid}/self-check", {"statement": "不涉密"}), "REV-3"
    )
    refused_call(
        lambda: api(w.classifier).post(
            f"reviews/{rid}/approve", {"stage": "hit_decision", "comment": "不涉密"}
        ),
        "REV-3",
    )
    no_reason = api(w.leader).post(f"reviews/{rid}/approve", {"stage": "hit_decision"})
    assert no_reason.status_code == 422 and "comment" in no_reason.json()["error"]["detail"]
    decided = api(w.leader).post(
        f"reviews/{rid}/approve", {"stage": "hit_decision", "comment": "公开文件标题，不涉密"}
    )
    assert decided.status_code == 200, decided.content.decode()
    assert decided.json()["status"] == "self_check"


def test_r_rev_3_page_shows_the_hold_without_a_prefilled_declaration(world, as_):
    w = world
    review = submitted(w, text=MARKED)
    page = as_(w.zhang).get(f"/reviews/{review.pk}/").content.decode()
    assert "不涉及国家秘密" not in page
    assert "签署自查声明" not in page
    assert "待领导判定" in page
    leader_page = as_(w.leader).get(f"/reviews/{review.pk}/").content.decode()
    assert 'id="hit-decision"' in leader_page
    refused = as_(w.leader).post(f"/reviews/{review.pk}/approve/", {"stage": "hit_decision"})
    assert refused.status_code == 422
    done = as_(w.leader).post(
        f"/reviews/{review.pk}/approve/", {"stage": "hit_decision", "comment": "公开文件，不涉密"}
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.SELF_CHECK
    page = as_(w.zhang).get(f"/reviews/{review.pk}/").content.decode()
    assert "签署自查声明" in page and "不涉及国家秘密" not in page
