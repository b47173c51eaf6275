"""Carrier import, row by row: the register form's rules, old numbers, holders, places, dates,
periods already ended, who may import, and what the audit trail shows."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from baomi.audit.models import AuditEvent, Outcome
from baomi.audit.trail import verify
from baomi.carriers import actions as carriers
from baomi.carriers.choices import EventKind, Source, Status
from baomi.carriers.models import CustodyEvent, NumberSequence
from baomi.carriers.registration import Registration
from baomi.classification.choices import Level
from baomi.imports.actions import import_carriers
from baomi.imports.report import RowsRejected
from baomi.lib.alerts import alerts_for
from baomi.lib.errors import Invalid
from baomi.org import actions as org
from baomi.reclassification import actions as reclassification
from baomi.reclassification.selectors import awaiting_import_review
from tests.factories import db_state, last_audit_seq, refused
from tests.imports.ledgers import carrier, table


def run(w, rows, *, dry_run=False, fmt="xlsx", actor=None, **kw):
    return import_carriers(
        actor or w.clerk,
        w.unit,
        file_name=f"台帐.{fmt}",
        data=table(rows, fmt=fmt, **kw),
        dry_run=dry_run,
    )


def test_old_number_kept_and_counter_moved_past_it(world):
    year = timezone.localdate().year
    report = run(world, [carrier(统一编号=f"{year}-0000500", 份数="2")])
    made = list(report.batch.carriers.order_by("copy_no"))
    assert [(c.number, c.copy_no) for c in made] == [(f"{year}-0000500", 1), (f"{year}-0000500", 2)]
    assert NumberSequence.objects.get(unit=world.unit, year=year).last == 500
    # The next registration takes the next number, never the imported one again.
    reg = Registration(
        kind="document",
        title="新收文",
        doc_date=date(2026, 1, 5),
        level=Level.SECRET,
        source=Source.RECEIVED,
        place=world.cabinet,
        issuer="XX省",
        scope_departments=[world.office],
    )
    assert carriers.register(world.clerk, reg)[0].number == f"{year}-0000501"


def test_r_cr_1_number_in_use_is_a_bad_row(world):
    year = timezone.localdate().year
    run(world, [carrier(统一编号=f"{year}-0000007")])
    report = run(world, [carrier(), carrier(统一编号=f"{year}-0000007")], dry_run=True)
    assert report.bad_rows == [3]
    assert "CR-1" in report.lines[0] and "〈统一编号〉" in report.lines[0]


def test_numbers_assigned_when_the_ledger_has_none(world):
    report = run(world, [carrier(份数="3"), carrier()])
    numbers = {c.number for c in report.batch.carriers.all()}
    assert len(numbers) == 2 and report.count == 4


def test_copy_number_column_registers_that_copy(world):
    report = run(
        world, [carrier(统一编号="JY-001", 份号="2"), carrier(统一编号="JY-001", 份号="3-4")]
    )
    assert sorted(report.batch.carriers.values_list("copy_no", flat=True)) == [2, 3, 4]


def test_r_cl_4_combined_marking_column_parsed_like_the_form(world):
    rows = [
        carrier(密级="", 保密期限="", 密级标志="机密★5年"),
        carrier(密级="", 保密期限="", 密级标志="绝密☆启用前"),
        carrier(密级="", 保密期限="", 密级标志="内部"),
    ]
    report = run(world, rows)
    shown = sorted(c.marking for c in report.batch.carriers.all())
    assert shown == ["内部", "机密★5年", "绝密★启用前"]


def test_r_cl_12_internal_with_star_is_a_bad_row(world):
    report = run(world, [carrier(密级="", 保密期限="", 密级标志="内部★5年")], dry_run=True)
    assert report.problems[0].rule_id == "CL-12"
    assert report.lines == [f"第2行 〈密级标志〉：{report.problems[0].message}"]


def test_r_cl_3_period_counts_from_doc_date_received_date_stands_in(world):
    report = run(world, [carrier(成文日期="", 收文日期=date(2020, 6, 1))])
    item = report.batch.carriers.get()
    assert item.doc_date == date(2020, 6, 1)
    assert "收文日期" in item.remarks
    assert any("收文日期" in note for note in report.notes)


def test_r_cl_3_period_above_maximum_is_a_bad_row(world):
    report = run(world, [carrier(保密期限="11年")], dry_run=True)
    assert [p.rule_id for p in report.problems] == ["CL-3"]
    assert "〈保密期限〉" in report.lines[0]


def test_events_carry_the_ledger_date_and_the_recording_time(world):
    report = run(world, [carrier(密级="机密", 保管人="张三")])
    item = report.batch.carriers.get()
    assert timezone.localtime(item.registered_at).date() == date(2024, 3, 5)
    events = list(CustodyEvent.objects.filter(carrier=item).order_by("id"))
    assert [e.kind for e in events] == [EventKind.REGISTER, EventKind.HANDOVER]
    for event in events:
        assert timezone.localtime(event.at).date() == date(2024, 3, 5)
        assert timezone.localtime(event.recorded_at).date() == timezone.localdate()


def test_imported_hand_over_writes_what_one_move_writes(world):
    seq = last_audit_seq()
    report = run(world, [carrier(密级="机密", 保管人="张三", 份数="2")])
    items = list(report.batch.carriers.order_by("copy_no"))
    for item in items:
        event = CustodyEvent.objects.get(carrier=item, kind=EventKind.HANDOVER)
        assert (event.status_before, event.status_after) == (Status.IN_REGISTRY, Status.CIRCULATING)
        assert (event.place_before, event.place_after) == (world.cabinet, None)
        assert (event.holder_before, event.holder_after) == (None, world.zhang)
        assert "张三" in event.note and f"批次 #{report.batch.pk}" in event.note
        assert item.handed_out_at == event.at and item.place is None
    handovers = AuditEvent.objects.filter(seq__gt=seq, event_type="carrier.handover").order_by(
        "seq"
    )
    registers = AuditEvent.objects.filter(seq__gt=seq, event_type="carrier.register")
    assert max(r.seq for r in registers) < min(h.seq for h in handovers)
    assert [h.object_id for h in handovers] == [i.pk for i in items]
    first = handovers[0]
    assert first.before["status"] == Status.IN_REGISTRY and first.before["holder"] is None
    assert first.after == {
        "status": Status.CIRCULATING,
        "holder": world.zhang.pk,
        "holder_name": "张三",
        "place": None,
        "due_date": None,
        "import_batch": report.batch.pk,
    }
    assert verify().ok


def test_r_cr_6_named_holder_listed_and_alerted_until_regularised(world):
    report = run(world, [carrier(密级="机密", 保管人="张三", 承办人="李四")])
    item = report.batch.carriers.get()
    assert item.status == Status.CIRCULATING and item.holder == world.zhang
    assert item.out_request is None and "承办人：李四" in item.remarks
    kinds = [a.kind for a in alerts_for(world.clerk, timezone.localdate())]
    assert "import_held_unapproved" in kinds
    carriers.return_to_registry(world.clerk, item)
    kinds = [a.kind for a in alerts_for(world.clerk, timezone.localdate())]
    assert "import_held_unapproved" not in kinds


def test_handler_is_never_taken_as_the_holder(world):
    report = run(world, [carrier(承办人="张三")])
    item = report.batch.carriers.get()
    assert item.holder is None and item.status == Status.IN_REGISTRY


def test_r_per_1_holder_not_cleared_is_a_bad_row(world):
    report = run(world, [carrier(密级="机密", 保管人="李四")], dry_run=True)
    assert [(p.column, p.rule_id) for p in report.problems] == [("保管人", "PER-1")]


def test_r_cr_4_holder_outside_the_scope_is_a_bad_row(world):
    report = run(world, [carrier(保管人="张三", 知悉范围="财务科")], dry_run=True)
    assert [(p.column, p.rule_id) for p in report.problems] == [("保管人", "CR-4")]


def test_r_cr_15_top_secret_goes_to_the_safe_or_is_refused_elsewhere(world):
    report = run(world, [carrier(密级="绝密", 保密期限="30年")])
    assert report.batch.carriers.get().place == world.safe
    report = run(
        world, [carrier(密级="绝密", 保密期限="30年", 存放位置=world.cabinet.name)], dry_run=True
    )
    assert [(p.column, p.rule_id) for p in report.problems] == [("存放位置", "CR-15")]


def test_default_place_is_the_registrys_first_cabinet_without_a_room(world):
    report = run(world, [carrier()])
    assert report.batch.carriers.get().place == world.cabinet


def test_r_cl_9_period_ended_awaits_review_not_silently_declassified(world):
    today = timezone.localdate()
    report = run(world, [carrier(成文日期=date(2010, 1, 4), 收文日期=date(2010, 1, 8))])
    item = report.batch.carriers.get()
    assert any("CL-9" in note for note in report.notes)
    assert awaiting_import_review(world.unit.pk, today) == [item]
    assert "import_period_ended" in [a.kind for a in alerts_for(world.clerk, today)]
    assert reclassification.run_daily(world.system, today) == []
    item.refresh_from_db()
    assert item.level == Level.CONFIDENTIAL
    # Reviewed by the clerk, it falls under the ordinary rule again (自行解密, CL-9).
    reclassification.review(world.clerk, item, note="已到期，同意解密")
    assert awaiting_import_review(world.unit.pk, today) == []
    assert len(reclassification.run_daily(world.system, today)) == 1


def test_import_is_all_or_nothing_and_reports_every_bad_row(world):
    rows = [carrier(), carrier(密级="特密"), carrier(), carrier(文件资料名称="")]
    before = db_state()
    with pytest.raises(RowsRejected) as error:
        run(world, rows)
    assert error.value.report.bad_rows == [3, 5]
    assert error.value.detail == {"rows": error.value.report.lines}
    assert db_state() == before


def test_audited_as_one_import_event_plus_each_registration(world):
    seq = last_audit_seq()
    report = run(world, [carrier(份数="2"), carrier(密级="机密", 保管人="张三")])
    events = list(AuditEvent.objects.filter(seq__gt=seq).values_list("event_type", "object_id"))
    ids = set(report.batch.carriers.values_list("pk", flat=True))
    assert [e for e in events if e[0] == "import.carriers"] == [
        ("import.carriers", report.batch.pk)
    ]
    assert {i for t, i in events if t == "carrier.register"} == ids
    assert len([e for e in events if e[0] == "carrier.handover"]) == 1
    assert all(c.source == Source.RECEIVED for c in report.batch.carriers.all())
    assert verify().ok, "the chain holds after a bulk import"


def test_r_per_1_registrar_must_cover_the_level(world):
    org.set_clearance(world.system, world.clerk, "important")
    report = run(world, [carrier(密级="绝密", 保密期限="30年")], dry_run=True)
    assert [(p.column, p.rule_id) for p in report.problems] == [("密级", "PER-1")]


def test_r_sec_3_system_administrator_may_not_import_carriers(world):
    with refused("SEC-3"):
        run(world, [carrier()], actor=world.sysadmin)


def test_r_cr_1_staff_may_not_import_carriers(world):
    with refused("CR-1"):
        run(world, [carrier()], actor=world.zhang)


def test_xls_and_utf8_bom_csv(world):
    report = run(world, [carrier(), carrier(密级="机密", 保密期限="")], fmt="xls", title_rows=1)
    assert report.ok and report.count == 2 and report.header_row == 2
    assert report.batch.carriers.filter(doc_date=date(2024, 3, 1)).count() == 2
    report = run(world, [carrier()], fmt="csv", encoding="utf-8-sig")
    assert report.ok and report.count == 1


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("a.xlsx", b"not a spreadsheet at all", "Excel"),
        ("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "加密"),
        ("a.csv", b"", "空"),
        ("a.csv", "甲,乙,丙\n1,2,3\n".encode(), "表头"),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "xls"),
    ],
)
def test_bad_files_are_clear_chinese_errors(world, name, data, says):
    with pytest.raises(Invalid) as error:
        import_carriers(world.clerk, world.unit, file_name=name, data=data, dry_run=True)
    assert says in error.value.message and "file" in error.value.detail
    assert not AuditEvent.objects.filter(
        outcome=Outcome.DONE, event_type="import.carriers"
    ).exists()
