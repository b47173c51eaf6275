"""Sensitive-term lists (import from text and xlsx, versions, the version a scan used) and the
encrypted file store (SEC-5)."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook

from baomi.lib import filestore
from baomi.review import actions
from baomi.review.models import ReviewFile, TermListVersion
from tests.review.conftest import review_refused
from tests.review.helpers import form

pytestmark = pytest.mark.django_db


def xlsx(*values) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["敏感词"])
    for v in values:
        ws.append([v])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_import_text_then_xlsx_makes_versions(world):
    w = world
    text = "# 本单位敏感词\n某型号\n代号甲\n\n某型号\n".encode("gb18030")
    v1 = actions.import_terms(w.clerk, w.unit, filename="terms.txt", data=text)
    assert (v1.number, v1.terms) == (1, ["某型号", "代号甲"])
    v2 = actions.import_terms(
        w.clerk, w.unit, filename="terms.xlsx", data=xlsx("基地位置", "代号甲"), replace=False
    )
    assert (v2.number, v2.terms) == (2, ["某型号", "代号甲", "基地位置"])
    v1.refresh_from_db()
    assert v1.terms == ["某型号", "代号甲"]  # an old version never changes


def test_each_scan_records_the_version_it_used(world):
    w = world
    actions.save_terms(w.clerk, w.unit, ["某型号"])
    first = actions.submit(w.zhang, actions.create_review(w.zhang, form(w, text="某型号")))
    actions.save_terms(w.clerk, w.unit, ["某型号", "代号甲"])
    second = actions.submit(w.zhang, actions.create_review(w.zhang, form(w, text="代号甲")))
    assert first.last_scan.term_version.number == 1
    assert first.last_scan.hit_count == 1
    assert second.last_scan.term_version.number == 2
    assert second.last_scan.hit_count == 1


def test_only_the_clerk_keeps_the_term_list(world):
    w = world
    with review_refused("forbidden"):
        actions.save_terms(w.zhang, w.unit, ["某型号"])
    assert not TermListVersion.objects.exists()


def test_a_bad_xlsx_is_refused_as_input(world):
    w = world
    with pytest.raises(actions.Invalid):
        actions.import_terms(w.clerk, w.unit, filename="x.xlsx", data=b"PK\x03\x04garbage")


def test_r_sec_5_uploads_are_encrypted_at_rest(world):
    w = world
    review = actions.create_review(w.zhang, form(w))
    plaintext = "附件正文：春季植树活动安排".encode()
    attached = actions.attach_file(w.zhang, review, name="安排.txt", data=plaintext)
    on_disk = filestore.raw_path(attached.blob).read_bytes()
    assert plaintext not in on_disk
    assert "春季植树".encode() not in on_disk
    assert actions.read_file(ReviewFile.objects.get(pk=attached.pk)) == plaintext


def test_a_tampered_blob_does_not_decrypt(world):
    w = world
    review = actions.create_review(w.zhang, form(w))
    attached = actions.attach_file(w.zhang, review, name="a.txt", data=b"hello")
    path = filestore.raw_path(attached.blob)
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(filestore.FileStoreError):
        filestore.read(attached.blob)
