"""Bad input to every POST endpoint of 保密审查 (`reviews`) and 敏感词表 (`term-lists`): 422
`invalid` naming the field, nothing changed. `CASES` is also read by tests/api (the published
contract). A `Multipart` body is sent as a form upload, as browsers and `baomi scan` do."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baomi.org import actions as org
from baomi.review import actions
from tests.api.helpers import BASE, api_as, assert_invalid, ledger_state
from tests.review.conftest import review_state
from tests.review.helpers import at_first_review

LONG = "长" * 2001


@dataclass(frozen=True)
class Multipart:
    """A multipart/form-data body; `file` is (name, bytes) or absent."""

    fields: dict
    file: tuple[str, bytes] | None = None


def review(**over) -> dict:
    """A complete ReviewIn body with the given fields replaced (ids filled in by the test)."""
    body = {
        "title": "关于开展春季植树活动的通知",
        "text": "各处室：定于三月十二日开展植树活动。",
        "destination": "website",
        "department_id": "{office}",
        "first_reviewer_id": "{classifier}",
    }
    return {**body, **over}


# template → (who, body, fields named in the 422)
CASES = {
    "reviews": (
        "zhang",
        review(
            title="",
            destination="wechat_moments",
            department_id="办公室",
            important="maybe",
            level="ultra",
        ),
        ["title", "destination", "department_id", "important", "level"],
    ),
    "reviews/{review_id}/revise": (
        "zhang",
        review(title="题" * 201, source="源" * 201, first_reviewer_id=999_999),
        ["title", "source"],
    ),
    # No file part at all: the upload names `file`.
    "reviews/{review_id}/files": ("zhang", Multipart({"name": "通知.docx"}), ["file"]),
    "reviews/{review_id}/self-check": ("zhang", {"statement": ""}, ["statement"]),
    "reviews/{review_id}/approve": (
        "classifier",
        {"stage": "boss", "comment": LONG},
        ["stage", "comment"],
    ),
    "reviews/{review_id}/send-back": ("classifier", {"comment": "请修改"}, ["stage"]),
    "reviews/{review_id}/publish": (
        "zhang",
        {"where": "", "on": "2026-02-30"},
        ["where", "on"],
    ),
    "term-lists/versions": (
        "clerk",
        {"terms": "某型号", "note": "说" * 201},
        ["terms", "note"],
    ),
    # A file is attached, but `replace` is not a boolean.
    "term-lists/import": (
        "clerk",
        Multipart({"replace": "maybe"}, file=("terms.txt", "某型号\n".encode())),
        ["replace"],
    ),
}


@pytest.fixture
def scene(world):
    """A review waiting for 孙定密's first review, and a term list with one version."""
    w = world
    actions.save_terms(w.clerk, w.unit, ["某型号"])
    pending = at_first_review(w)
    return w, {"review_id": pending.pk}


def fill(body, w):
    """Put the world's ids into a body built without a world."""
    ids = {"office": w.office.pk, "classifier": w.classifier.pk}
    if isinstance(body, dict):
        return {k: fill(v, w) for k, v in body.items()}
    if isinstance(body, str) and body.startswith("{") and body.strip("{}") in ids:
        return ids[body.strip("{}")]
    return body


def post_multipart(w, person, path: str, body: Multipart):
    token = org.create_token(w.system, person, label="tests")
    data = dict(body.fields)
    if body.file is not None:
        name, content = body.file
        data["file"] = SimpleUploadedFile(name, content, content_type="text/plain")
    return Client().post(BASE + path, data, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("template", list(CASES))
def test_bad_input_is_422_and_changes_nothing(scene, template):
    w, ids = scene
    who, body, fields = CASES[template]
    person = getattr(w, who)
    path = template.format(**ids)
    before, mine = ledger_state(), review_state()
    if isinstance(body, Multipart):
        response = post_multipart(w, person, path, body)
    else:
        response = api_as(w, person).post(path, fill(body, w))
    assert_invalid(response, *fields)
    assert ledger_state() == before and review_state() == mine


def test_an_upload_sent_as_json_names_the_missing_file(scene):
    w, ids = scene
    before = review_state()
    response = api_as(w, w.zhang).post("reviews/{review_id}/files".format(**ids), {})
    assert_invalid(response, "file")
    response = api_as(w, w.clerk).post("term-lists/import", {"replace": True})
    assert_invalid(response, "file")
    assert review_state() == before
