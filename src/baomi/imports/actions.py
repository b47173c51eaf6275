"""Importing existing ledgers (台帐): carriers by a 保密员, people and accounts by the 系统管理员.

Both are all-or-nothing: every row is checked first (by the register form's own rules for
carriers), every bad row is reported, and only a file without one is written — in one
transaction with one import audit event plus each carrier's (or person's) own events.
A dry run checks and reports and writes nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date

from django.utils import timezone

from baomi.approvals.choices import RequestKind
from baomi.approvals.rules import consume
from baomi.audit.trail import record
from baomi.carriers import custody
from baomi.carriers.actions import due_within_approval
from baomi.carriers.choices import EventKind, Status
from baomi.carriers.models import Carrier, NumberSequence
from baomi.carriers.policies import is_clerk_of
from baomi.carriers.registration import require_registrar
from baomi.carriers.rules import require_clerk, require_may_hold
from baomi.classification.choices import Level
from baomi.imports.carrier_rows import (
    CarrierContext,
    CarrierRow,
    RowProblems,
    advance_for,
    is_blank,
    numbers_in,
    read_row,
)
from baomi.imports.choices import ImportKind
from baomi.imports.columns import Layout, apply_corrections, detect
from baomi.imports.models import ImportBatch
from baomi.imports.readers import BadFile, Sheet, clean_text, read_sheet
from baomi.imports.report import ImportReport, RowsRejected
from baomi.lib import bulk
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation
from baomi.org.choices import SystemRole
from baomi.org.models import Person, Unit


def read_layout(
    kind: str, file_name: str, data: bytes, corrections: dict | None = None
) -> tuple[Sheet, Layout]:
    """The file's rows and the detected (and corrected) columns; Invalid for a bad file."""
    try:
        sheet = read_sheet(file_name, data)
        layout = detect(sheet, kind)
    except BadFile as error:
        raise Invalid(error.message, {"file": [error.message]}) from None
    if corrections:
        layout = apply_corrections(layout, kind, corrections)
    return sheet, layout


# --- carriers --------------------------------------------------------------------------------


def require_carrier_importer(actor: Person, unit: Unit) -> None:
    """A 保密员 of the unit (CR-1); never one of the three system roles (SEC-3)."""
    if actor.has_system_role:
        raise RuleViolation(
            "SEC-3",
            f"{actor.get_system_role_display()}不得接触涉密载体，不能导入载体台账"
            "（SEC-3 三员分立：载体台账由保密员导入）。",
        )
    require_registrar(actor)
    if not is_clerk_of(actor, unit.pk):
        raise Forbidden(f"只有{unit.name}的保密员可以导入该单位的载体台账。")


@action("import.carriers")
def import_carriers(
    actor: Person,
    unit: Unit,
    *,
    file_name: str,
    data: bytes,
    dry_run: bool,
    corrections: dict | None = None,
) -> ImportReport:
    """Import a carriers ledger (CR-1, CL-2, CL-3, CL-4, CL-12, PER-1, CR-15): each row is
    registered as the register form would, keeping old 统一编号; a named holder gets it under
    an imported hand-over event, to be regularised (see `imports.alerts`)."""
    require_carrier_importer(actor, unit)
    sheet, layout = read_layout(ImportKind.CARRIERS, file_name, data, corrections)
    report = ImportReport(
        ImportKind.CARRIERS,
        file_name,
        dry_run,
        header_row=layout.header_row,
        mapping=layout.named_mapping(),
    )
    data_rows = sheet.rows[layout.header_row :]
    ctx = CarrierContext.load(actor, unit, numbers_in(layout, data_rows))
    valid: list[CarrierRow] = []
    for offset, cells in enumerate(data_rows):
        if is_blank(layout, cells):
            continue
        report.row_count += 1
        number = layout.header_row + offset + 1
        try:
            row = read_row(ctx, layout, number, cells)
        except RowProblems as error:
            report.problems.extend(error.problems)
            continue
        valid.append(row)
        report.notes.extend(f"第{number}行：{note}" for note in row.notes)
        report.count += len(row.carriers)
    if report.row_count == 0:
        raise Invalid("文件中表头以下没有数据行。", {"file": ["文件中表头以下没有数据行"]})
    if report.problems and not dry_run:
        raise RowsRejected(report)
    if dry_run:
        return report
    batch = _batch(actor, unit, ImportKind.CARRIERS, file_name, data, layout, report)
    _number(unit, valid)
    _write_carriers(actor, batch, valid)
    record(
        "import.carriers",
        actor,
        batch,
        after={
            "rows": report.row_count,
            "carriers": report.count,
            "held": sum(len(r.carriers) for r in valid if r.holder),
            "period_ended": sum(len(r.carriers) for r in valid if r.period_ended),
            "file_sha256": batch.file_sha256,
        },
    )
    report.batch = batch
    return report


def _batch(actor, unit, kind, file_name, data, layout, report) -> ImportBatch:
    return ImportBatch.objects.create(
        unit=unit,
        kind=kind,
        actor=actor,
        at=timezone.now(),
        file_name=clean_text(file_name)[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        header_row=layout.header_row,
        row_count=report.row_count,
        created_count=report.count,
        mapping=layout.named_mapping(),
        notes=report.notes[:1000],
    )


def _number(unit: Unit, rows: list[CarrierRow]) -> None:
    """Kept numbers move their year's counter past them; the rest get new numbers, one per row
    (shared by its copies), taken from this year's counter under its row lock."""
    highest: dict[int, int] = defaultdict(int)
    for row in rows:
        parsed = advance_for(row.number) if row.number else None
        if parsed:
            highest[parsed[0]] = max(highest[parsed[0]], parsed[1])
    for year, last in highest.items():
        sequence, _ = NumberSequence.objects.select_for_update().get_or_create(unit=unit, year=year)
        if sequence.last < last:
            sequence.last = last
            sequence.save(update_fields=["last"])
    missing = [row for row in rows if not row.number]
    if not missing:
        return
    year = timezone.localdate().year
    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(unit=unit, year=year)
    for row in missing:
        sequence.last += 1
        row.number = f"{year}-{sequence.last:07d}"
    sequence.save(update_fields=["last"])


def _write_carriers(actor: Person, batch: ImportBatch, rows: list[CarrierRow]) -> None:
    """Bulk inserts (COPY on PostgreSQL) for the rows and their scopes, each carrier's own
    registration event with its audit row, dated by the ledger; then the hand-over event and
    audit row of each carrier the ledger leaves with a person — the rows one `register` and one
    `move` per carrier would write, in the same order."""
    carriers: list[Carrier] = []
    for row in rows:
        for carrier in row.carriers:
            carrier.number, carrier.import_batch = row.number, batch
            carriers.append(carrier)
    bulk.insert(Carrier, carriers)
    PeopleLink = Carrier.scope_people.through
    DepartmentLink = Carrier.scope_departments.through
    bulk.insert_values(
        PeopleLink,
        [
            {"carrier_id": carrier.pk, "person_id": person.pk}
            for row in rows
            for carrier in row.carriers
            for person in row.registration.scope_people
        ],
    )
    bulk.insert_values(
        DepartmentLink,
        [
            {"carrier_id": carrier.pk, "department_id": department.pk}
            for row in rows
            for carrier in row.carriers
            for department in row.registration.scope_departments
        ],
    )
    custody.enter_ledger_many(actor, carriers, EventKind.REGISTER)
    custody.hand_over_many(
        actor,
        (
            (
                carrier,
                row.holder,
                row.at,
                f"台账导入（批次 #{batch.pk}）：原台账记载由{row.holder.name}保管，"
                "无审批依据，待收回入库或办理借阅审批",
            )
            for row in rows
            if row.holder is not None
            for carrier in row.carriers
        ),
        audit_extra={"import_batch": batch.pk},
    )


# --- people ----------------------------------------------------------------------------------


def require_people_importer(actor: Person) -> None:
    """People and their accounts are the 系统管理员's (SEC-3)."""
    if not (actor.is_automation or actor.system_role == SystemRole.SYSADMIN):
        raise RuleViolation(
            "SEC-3",
            "只有系统管理员可以导入人员和建立账号（SEC-3 三员分立：账号由系统管理员管理）。",
        )


# --- regularising what the ledger left with people --------------------------------------------


@action("carrier.regularise_loan")
def regularise_with_loan(
    actor: Person, carrier: Carrier, request, *, due_date: date | None = None
) -> Carrier:
    """An imported carrier that a person holds on the old ledger's word becomes a loan on an
    approved loan request naming them (CR-6, APR-3) — the other way out is `return` (归还).
    绝密 is never lent (CR-5): it is returned."""
    require_clerk(actor, carrier.unit_id, "规范导入载体的保管")
    carrier = custody.lock(carrier)
    if carrier.import_batch_id is None or carrier.out_request_id is not None:
        raise InvalidState(
            f"载体 {carrier.label} 不是待规范的导入载体。", {"status": carrier.status}
        )
    custody.require_status(carrier, (Status.CIRCULATING,), "按借阅审批规范")
    if carrier.level == Level.TOP_SECRET:
        raise RuleViolation(
            "CR-5", f"绝密载体 {carrier.label} 不得借出机要室，请收回入库（CR-5：随阅随退）。"
        )
    request = consume(request, RequestKind.LOAN, carrier)
    if request.beneficiary_id != carrier.holder_id:
        raise RuleViolation(
            "APR-3",
            f"审批单 #{request.pk} 的借阅人不是载体 {carrier.label} 的现持有人{carrier.holder.name}"
            "（APR-3：批准只覆盖所列人员）。",
        )
    require_may_hold(carrier.holder, carrier)
    due = due_within_approval(carrier, due_date, request)
    custody.move(
        actor,
        carrier,
        EventKind.LEND,
        status=Status.ON_LOAN,
        holder=carrier.holder,
        due_date=due,
        request=request,
        note="导入载体按借阅审批规范为借出",
    )
    return carrier
