"""`POST imports` (multipart: file, kind, dry_run), `GET imports`, `GET imports/{id}`, and the
historical clearances the 安全保密管理员 confirms — the API's error contract throughout."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from baomi.carriers.models import Carrier
from baomi.org.models import Person
from tests.api.helpers import (
    BASE,
    assert_conforms,
    assert_error,
    assert_invalid,
    assert_refused,
    ledger_state,
)
from tests.factories import last_audit_seq
from tests.imports.ledgers import carrier, table
from tests.imports.test_people_import import PEOPLE


def upload(client, kind, rows, *, dry_run, name="台帐.xlsx", data=None, **fields):
    blob = data if data is not None else table(rows, fmt=name.rsplit(".", 1)[1])
    body = {
        "file": SimpleUploadedFile(name, blob),
        "kind": kind,
        "dry_run": "true" if dry_run else "false",
        **fields,
    }
    return client.client.post(BASE + "imports", body, **client._headers())


def test_dry_run_answers_200_with_every_problem(world, api):
    rows = [carrier(), carrier(密级="特密"), carrier(保密期限="30年")]
    response = upload(api(world.clerk), "carriers", rows, dry_run=True)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is False and body["bad_rows"] == [3, 4]
    assert [p["rule_id"] for p in body["problems"]] == ["CL-1", "CL-3"]
    assert body["problems"][0]["text"].startswith("第3行 〈密级〉：")
    assert_conforms(response, "post", "imports")
    assert Carrier.objects.count() == 0


def test_import_with_bad_rows_is_422_listing_them(world, api):
    before = ledger_state()
    response = upload(
        api(world.clerk), "carriers", [carrier(), carrier(文件资料名称="")], dry_run=False
    )
    error = assert_invalid(response, "rows")
    assert error["detail"]["rows"][0].startswith("第3行 〈文件资料名称〉：")
    assert ledger_state() == before


def test_import_answers_201_with_the_batch_then_lists_it(world, api):
    client = api(world.clerk)
    response = upload(client, "carriers", [carrier(份数="2")], dry_run=False)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ok"] and body["count"] == 2 and body["batch"]["created_count"] == 2
    assert_conforms(response, "post", "imports")
    batch_id = body["batch"]["id"]
    listed = client.get("imports")
    assert [b["id"] for b in listed.json()["results"]] == [batch_id]
    assert_conforms(listed, "get", "imports")
    detail = client.get(f"imports/{batch_id}")
    assert detail.json()["mapping"]["title"] == "文件资料名称"
    assert_conforms(detail, "get", "imports/{batch_id}")
    # SEC-3: a carriers batch is not the system administrator's to see.
    assert_error(api(world.sysadmin).get(f"imports/{batch_id}"), 404, "not_found")
    assert api(world.sysadmin).get("imports").json()["count"] == 0


def test_r_sec_3_sysadmin_importing_carriers_refused(world, api):
    before, seq = ledger_state(), last_audit_seq()
    response = upload(api(world.sysadmin), "carriers", [carrier()], dry_run=True)
    assert_refused(response, "SEC-3", before, seq)


def test_r_sec_3_clerk_importing_people_refused(world, api):
    before, seq = ledger_state(), last_audit_seq()
    response = upload(api(world.clerk), "people", PEOPLE, dry_run=False)
    assert_refused(response, "SEC-3", before, seq)


def test_people_import_returns_one_time_passwords_and_secadmin_confirms(world, api):
    response = upload(api(world.sysadmin), "people", PEOPLE, dry_run=False)
    assert response.status_code == 201, response.content
    accounts = response.json()["accounts"]
    assert [a["username"] for a in accounts] == ["zhouliu", "zhengba"]
    secadmin = api(world.secadmin)
    pending = secadmin.get("imports/historical-clearances").json()
    assert sorted(p["person_name"] for p in pending) == ["周六", "郑八"]
    assert_error(api(world.clerk).post("imports/historical-clearances/confirm", {}), 403, "SEC-3")
    confirmed = secadmin.post("imports/historical-clearances/confirm", {})
    assert confirmed.status_code == 200 and len(confirmed.json()) == 2
    assert Person.objects.get(name="周六").clearance == "important"


def test_bad_file_and_bad_mapping_are_422(world, api):
    client = api(world.clerk)
    assert_invalid(upload(client, "carriers", [], dry_run=True, data=b"junk"), "file")
    response = upload(
        client, "carriers", [carrier()], dry_run=True, mapping='{"title": "没有这列"}'
    )
    assert_invalid(response, "title")
    assert_invalid(upload(client, "carriers", [carrier()], dry_run=True, mapping="[1]"), "mapping")
    assert_invalid(upload(client, "animals", [carrier()], dry_run=True), "kind")


def test_mapping_correction_takes_an_unrecognised_column(world, api):
    rows = [{**carrier(), "现保管人员": "张三"}]
    rows[0]["密级"] = "机密"
    response = upload(
        api(world.clerk), "carriers", rows, dry_run=False, mapping='{"holder": "现保管人员"}'
    )
    assert response.status_code == 201, response.content
    assert Carrier.objects.get().holder == world.zhang
