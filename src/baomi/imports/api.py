"""JSON API of ledger imports: `POST imports` (multipart: file, kind, dry_run[, unit,
mapping]), `GET imports`, `GET imports/{id}`, and the 历史认定 the 安全保密管理员 confirms.

Bad rows: a dry run answers **200** with the report (`ok: false`, every problem in `problems`);
an import answers **422** `invalid` with `detail.rows` = one `第N行 〈列〉：原因（规则）` line per
problem — nothing is written. A file that cannot be read is 422 with `detail.file`.
"""

from __future__ import annotations

import json

from ninja import File, Form, Query, Router, Schema, UploadedFile

from baomi.api.schemas import READ_ERRORS, WRITE_ERRORS, Day, Id, PageQuery, paginate
from baomi.approvals.models import Request
from baomi.carriers.models import Carrier
from baomi.carriers.policies import is_clerk_of
from baomi.imports.actions import import_carriers, regularise_with_loan
from baomi.imports.choices import ImportKind
from baomi.imports.models import ImportBatch
from baomi.imports.people import import_people
from baomi.imports.report import ImportReport
from baomi.imports.selectors import batches_visible_to, held_without_approval
from baomi.lib.errors import Forbidden, Invalid, NotFound
from baomi.org.models import Unit
from baomi.personnel.actions.historical import (
    confirm_historical_clearances,
    pending_historical,
    require_secadmin,
)

router = Router()
MAX_FILE_BYTES = 50 << 20

DESCRIPTION = (
    "导入现有台帐（xlsx、xls，或 UTF-8/GBK 编码的 csv）。kind=people：人员及账号（系统管理员）；"
    "kind=carriers：涉密载体（保密员）。dry_run=true 时只检查不写入，总是返回 200 和检查报告"
    "（有问题时 ok=false，problems 列出每一个问题）；正式导入全部成功返回 201，任何一行有问题"
    "则返回 422 invalid，detail.rows 为“第N行 〈列〉：原因（规则）”，且不写入任何数据。"
    "mapping 可纠正自动识别的列：JSON 对象 {字段: 表头文字或列号（从 1 起）或空串（忽略）}。"
)


class ProblemOut(Schema):
    row: int
    column: str
    message: str
    rule_id: str
    text: str


class ImportedAccountOut(Schema):
    username: str
    password: str


class BatchOut(Schema):
    id: int
    unit_id: int
    kind: str
    kind_display: str
    actor_name: str
    at: str
    file_name: str
    file_sha256: str
    header_row: int
    row_count: int
    created_count: int
    mapping: dict
    notes: list[str]


class ReportOut(Schema):
    ok: bool
    dry_run: bool
    kind: str
    file_name: str
    header_row: int
    mapping: dict
    row_count: int
    count: int
    bad_rows: list[int]
    problems: list[ProblemOut]
    # The same problems as the command line prints them: 第N行 〈列〉：原因（规则）.
    lines: list[str]
    notes: list[str]
    batch: BatchOut | None = None
    # Only for a people import: each new account's one-time password, shown this once.
    accounts: list[ImportedAccountOut] = []


class BatchPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[BatchOut]


def batch_out(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk,
        "unit_id": batch.unit_id,
        "kind": batch.kind,
        "kind_display": batch.get_kind_display(),
        "actor_name": batch.actor.name,
        "at": batch.at.isoformat(),
        "file_name": batch.file_name,
        "file_sha256": batch.file_sha256,
        "header_row": batch.header_row,
        "row_count": batch.row_count,
        "created_count": batch.created_count,
        "mapping": batch.mapping,
        "notes": batch.notes,
    }


def report_out(report: ImportReport) -> dict:
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "kind": report.kind,
        "file_name": report.file_name,
        "header_row": report.header_row,
        "mapping": report.mapping,
        "row_count": report.row_count,
        "count": report.count,
        "bad_rows": report.bad_rows,
        "problems": [p.as_dict() for p in sorted(report.problems, key=lambda p: p.row)],
        "lines": report.lines,
        "notes": report.notes,
        "batch": batch_out(report.batch) if report.batch else None,
        "accounts": [{"username": u, "password": p} for u, p in report.accounts],
    }


def parse_mapping(text: str) -> dict | None:
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise Invalid("列对应关系须为 JSON 对象。", {"mapping": ["须为 JSON 对象"]})
    return value


def unit_for(actor, code: str) -> Unit:
    if not code:
        return actor.unit
    unit = Unit.objects.filter(code=code).first() if "\x00" not in code else None
    if unit is None:
        raise Invalid("单位代码无效。", {"unit": [f"没有代码为“{code}”的单位"]})
    return unit


@router.post(
    "",
    response={200: ReportOut, 201: ReportOut, **WRITE_ERRORS},
    summary="导入台帐（或试导入）",
    description=DESCRIPTION,
)
def create_import(
    request,
    file: UploadedFile = File(...),  # noqa: B008
    kind: ImportKind = Form(...),  # noqa: B008
    dry_run: bool = Form(False),
    unit: str = Form(""),
    mapping: str = Form(""),
):
    actor = request.auth
    if file.size and file.size > MAX_FILE_BYTES:
        raise Invalid("文件过大。", {"file": ["文件不能超过 50 MB"]})
    run = import_people if kind == ImportKind.PEOPLE else import_carriers
    report = run(
        actor,
        unit_for(actor, unit),
        file_name=file.name or "",
        data=file.read(),
        dry_run=dry_run,
        corrections=parse_mapping(mapping),
    )
    return (200 if dry_run else 201), report_out(report)


@router.get("", response={200: BatchPage, **READ_ERRORS}, summary="导入批次")
def list_imports(request, query: Query[PageQuery]):
    return paginate(batches_visible_to(request.auth), query, batch_out)


class HistoricalOut(Schema):
    id: int
    person_id: int
    person_name: str
    department_name: str
    clearance: str
    clearance_display: str
    decision_number: str
    vetted_on: str | None
    committed_on: str | None


class ConfirmIn(Schema):
    ids: list[Id] | None = None


def historical_out(d) -> dict:
    return {
        "id": d.pk,
        "person_id": d.person_id,
        "person_name": d.person.name,
        "department_name": d.person.department.name if d.person.department_id else "",
        "clearance": d.clearance,
        "clearance_display": d.get_clearance_display(),
        "decision_number": d.decision_number,
        "vetted_on": d.vetted_on.isoformat() if d.vetted_on else None,
        "committed_on": d.committed_on.isoformat() if d.committed_on else None,
    }


@router.get(
    "/historical-clearances",
    response={200: list[HistoricalOut], **READ_ERRORS},
    summary="待确认的历史认定（安全保密管理员）",
)
def list_historical(request):
    require_secadmin(request.auth)
    return [historical_out(d) for d in pending_historical(request.auth.unit)]


@router.post(
    "/historical-clearances/confirm",
    response={200: list[HistoricalOut], **WRITE_ERRORS},
    summary="一步确认历史认定（全部，或 ids 所列）",
)
def confirm_historical(request, payload: ConfirmIn):
    actor = request.auth
    done = confirm_historical_clearances(actor, actor.unit, decision_ids=payload.ids)
    return [historical_out(d) for d in done]


class HeldOut(Schema):
    carrier_id: int
    label: str
    level: str
    level_display: str
    holder_id: int
    holder_name: str
    handed_out_at: str | None
    import_batch_id: int


class RegulariseIn(Schema):
    request_id: Id
    due_date: Day | None = None


def held_out(c: Carrier) -> dict:
    return {
        "carrier_id": c.pk,
        "label": c.label,
        "level": c.level,
        "level_display": c.get_level_display(),
        "holder_id": c.holder_id,
        "holder_name": c.holder.name,
        "handed_out_at": c.handed_out_at.isoformat() if c.handed_out_at else None,
        "import_batch_id": c.import_batch_id,
    }


def _clerk(actor) -> None:
    if not is_clerk_of(actor, actor.unit_id):
        raise Forbidden("只有本单位保密员可以规范导入载体。")


@router.get(
    "/held",
    response={200: list[HeldOut], **READ_ERRORS},
    summary="导入后由个人保管、无审批的载体（待规范）",
)
def list_held(request):
    _clerk(request.auth)
    return [held_out(c) for c in held_without_approval(request.auth.unit_id)]


@router.post(
    "/held/{carrier_id}/loan",
    response={200: HeldOut, **WRITE_ERRORS},
    summary="按借阅审批把导入载体规范为借出（或用 carriers/{id}/return 收回）",
)
def regularise_loan(request, carrier_id: Id, payload: RegulariseIn):
    actor = request.auth
    _clerk(actor)
    carrier = held_without_approval(actor.unit_id).filter(pk=carrier_id).first()
    loan = Request.objects.filter(pk=payload.request_id, unit_id=actor.unit_id).first()
    if carrier is None or loan is None:
        raise NotFound("")
    carrier = regularise_with_loan(actor, carrier, loan, due_date=payload.due_date)
    return held_out(carrier)


# Last: the catch-all path must not shadow /held and /historical-clearances.
@router.get("/{batch_id}", response={200: BatchOut, **READ_ERRORS}, summary="导入批次详情")
def get_import(request, batch_id: Id):
    batch = batches_visible_to(request.auth).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("")
    return batch_out(batch)
