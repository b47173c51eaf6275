"""REV-1…3 through the JSON API: 403 with the rule id, nothing changed, the refusal audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from baomi.org import actions as org
from baomi.review import actions
from baomi.review.choices import ReviewStatus
from tests.api.helpers import BASE, assert_conforms, assert_error, last_seq
from tests.api.helpers import assert_refusal_audited as audited
from tests.review.conftest import review_state
from tests.review.helpers import approved_review, at_first_review, at_leader
from tests.review.test_review_rules import encrypted_zip

pytestmark = pytest.mark.django_db


def refused_call(call, rule_id: str):
    before, seq = review_state(), last_seq()
    response = call()
    assert_error(response, 403, rule_id)
    assert review_state() == before
    audited(rule_id, seq)
    return response


def body(w, **extra):
    return {
        "title": "关于开展春季植树活动的通知",
        "text": "各处室：定于三月十二日开展植树活动。",
        "destination": "website",
        "department_id": w.office.pk,
        "first_reviewer_id": w.classifier.pk,
        **extra,
    }


def upload(w, person, review_id, name, data):
    token = org.create_token(w.system, person, label="upload")
    return Client().post(
        f"{BASE}reviews/{review_id}/files",
        {"file": _named(name, data)},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _named(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_create_upload_submit_and_review_through_the_api(world, api):
    w = world
    actions.save_terms(w.clerk, w.unit, ["植树"])
    created = api(w.zhang).post("reviews", body(w))
    assert created.status_code == 201, created.content.decode()
    assert_conforms(created, "post", "reviews")
    rid = created.json()["id"]
    assert upload(w, w.zhang, rid, "附件.txt", "秘密★5年 植树".encode()).status_code == 201
    submitted = api(w.zhang).post(f"reviews/{rid}/submit")
    assert submitted.status_code == 200, submitted.content.decode()
    data = submitted.json()
    assert data["status"] == "hits_pending"  # REV-3: hits hold it for a leader's decision
    assert data["scans"][0]["term_list_version"] == 1
    assert {f["kind"] for f in data["scans"][0]["findings"]} == {"term", "marking"}
    decided = api(w.leader).post(
        f"reviews/{rid}/approve", {"stage": "hit_decision", "comment": "示例标志，不涉密"}
    )
    assert decided.json()["status"] == "self_check"
    assert (
        api(w.zhang).post(f"reviews/{rid}/self-check", {"statement": "已自查"}).status_code == 200
    )
    # Every reviewer sees the hits.
    seen = api(w.classifier).get(f"reviews/{rid}")
    assert seen.status_code == 200
    assert_conforms(seen, "get", "reviews/{review_id}")
    assert seen.json()["scans"][0]["hit_count"] >= 3
    first = api(w.classifier).post(f"reviews/{rid}/approve", {"stage": "first_review"})
    assert first.json()["status"] == "leader_review"
    signed = api(w.leader).post(f"reviews/{rid}/approve", {"stage": "leader", "comment": "同意"})
    assert signed.json()["status"] == "approved"
    published = api(w.zhang).post(
        f"reviews/{rid}/publish", {"where": "门户网站", "on": date.today().isoformat()}
    )
    assert published.json()["status"] == "published"
    listed = api(w.leader).get("reviews")
    assert_conforms(listed, "get", "reviews")
    assert listed.json()["count"] == 1


def test_r_rev_1_api_publishing_an_unapproved_item_is_refused(world, api):
    w = world
    review = at_leader(w)
    refused_call(
        lambda: api(w.zhang).post(
            f"reviews/{review.pk}/publish", {"where": "门户网站", "on": date.today().isoformat()}
        ),
        "REV-1",
    )


def test_r_rev_1_api_skipping_a_level_is_refused(world, api):
    w = world
    review = at_first_review(w)
    refused_call(
        lambda: api(w.leader).post(f"reviews/{review.pk}/approve", {"stage": "leader"}), "REV-1"
    )


def test_r_rev_2_api_provision_to_an_outside_party_needs_approval(world, api):
    w = world
    review = at_leader(w, destination="outside_party", destination_detail="XX大学课题组")
    refused_call(
        lambda: api(w.zhang).post(
            f"reviews/{review.pk}/publish", {"where": "XX大学", "on": date.today().isoformat()}
        ),
        "REV-1",
    )


def test_r_per_1_api_reviewer_below_the_level_cannot_see_or_decide(world, api):
    w = world
    refused_call(
        lambda: api(w.zhang).post("reviews", body(w, level="secret", first_reviewer_id=w.li.pk)),
        "PER-1",
    )
    review = at_first_review(w, level="secret")
    org.set_clearance(w.system, w.classifier, "general")
    before = review_state()
    response = api(w.classifier).post(f"reviews/{review.pk}/approve", {"stage": "first_review"})
    assert_error(response, 404, "not_found")
    assert review_state() == before
    assert_error(api(w.classifier).get(f"reviews/{review.pk}"), 404, "not_found")


def test_r_apr_1_api_own_submission_is_refused(world, api):
    w = world
    refused_call(
        lambda: api(w.zhang).post("reviews", body(w, first_reviewer_id=w.zhang.pk)), "APR-1"
    )


def test_r_rev_3_api_failed_scan_cannot_proceed(world, api):
    w = world
    rid = api(w.zhang).post("reviews", body(w)).json()["id"]
    upload(w, w.zhang, rid, "资料.zip", encrypted_zip())
    response = api(w.zhang).post(f"reviews/{rid}/submit")
    assert response.json()["status"] == "scan_failed"
    assert response.json()["scans"][0]["problems"]
    refused_call(
        lambda: api(w.zhang).post(f"reviews/{rid}/self-check", {"statement": "已自查"}), "REV-3"
    )


def test_term_list_api_import_versions_and_current(world, api):
    w = world
    token = org.create_token(w.system, w.clerk, label="t")
    response = Client().post(
        f"{BASE}term-lists/import",
        {"file": _named("terms.txt", "某型号\n代号甲\n".encode())},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content.decode()
    assert response.json()["number"] == 1
    saved = api(w.clerk).post("term-lists/versions", {"terms": ["某型号"], "note": "删一词"})
    assert saved.status_code == 201
    current = api(w.zhang).get("term-lists/current")
    assert current.json() == {"version": 2, "term_count": 1, "terms": ["某型号"]}
    assert [v["number"] for v in api(w.clerk).get("term-lists/versions").json()] == [2, 1]
    assert api(w.clerk).get("term-lists/versions/1").json()["terms"] == ["某型号", "代号甲"]
    denied = api(w.zhang).post("term-lists/versions", {"terms": ["x"]})
    assert_error(denied, 403, "forbidden")


def test_scanner_reads_the_served_terms(world, api):
    """`baomi scan --terms-url` accepts the JSON the endpoint serves."""
    w = world
    actions.save_terms(w.clerk, w.unit, ["某型号", "代号甲"])
    body_json = api(w.zhang).get("term-lists/current").json()
    assert body_json["terms"] == ["某型号", "代号甲"]
    assert isinstance(body_json.get("terms", body_json.get("items", [])), list)


def test_approved_status_visible_in_list_filter(world, api):
    w = world
    approved_review(w)
    response = api(w.leader).get("reviews", {"status": "approved"})
    assert response.json()["count"] == 1
    assert response.json()["results"][0]["status"] == ReviewStatus.APPROVED
    assert response.json()["results"][0]["author"]["name"] == "张三"


def test_bad_input_is_422_in_chinese_and_changes_nothing(world, api):
    from tests.api.helpers import assert_invalid

    w = world
    review = at_first_review(w)
    before = review_state()
    zhang, clerk = api(w.zhang), api(w.clerk)
    assert_invalid(
        zhang.post("reviews", body(w, title="", destination="moon")), "title", "destination"
    )
    # Ids naming nothing the caller may use: 404 naming the field (design.md).
    for field in ("department_id", "first_reviewer_id"):
        unknown = zhang.post("reviews", body(w, **{field: 999999}))
        assert unknown.status_code == 404 and field in unknown.json()["error"]["detail"]
    assert_invalid(zhang.post("reviews", {**body(w), "extra": 1}), "extra")
    assert_invalid(zhang.post(f"reviews/{review.pk}/self-check", {}), "statement")
    assert_invalid(zhang.post(f"reviews/{review.pk}/revise", {}), "title")
    assert_invalid(
        api(w.classifier).post(f"reviews/{review.pk}/approve", {"stage": "boss"}), "stage"
    )
    assert_invalid(
        api(w.classifier).post(f"reviews/{review.pk}/send-back", {"stage": "first_review"}),
        "comment",
    )
    assert_invalid(zhang.post(f"reviews/{review.pk}/publish", {"where": "", "on": "2026-02-30"}))
    assert_invalid(clerk.post("term-lists/versions", {"terms": "某型号"}), "terms")
    assert_invalid(clerk.post("term-lists/import", {}), "file")
    assert_invalid(zhang.post(f"reviews/{review.pk}/files", {}), "file")
    assert_error(zhang.get("reviews/abc"), 404, "not_found")
    assert_error(zhang.post("reviews/99999999/submit"), 404, "not_found")
    assert review_state() == before
