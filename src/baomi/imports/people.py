"""Importing a people ledger (人员名册/涉密人员登记表) with accounts and 历史认定 (PER-1…PER-3).

Departments the file names that do not exist yet are created (audited, by the 系统管理员 who
imports): the file is the unit's organisation as it stands, and the 系统管理员 is the one who
would create them anyway — refusing would only make them type each name twice. The dry run
lists them, so nothing is created by surprise.

A 涉密等级 comes with the decision that gave it: 审查日期 and 承诺书签订日期 (PER-3) and, where
the ledger has it, the 认定文号 (PER-2). It lands as a proposed 历史认定, which the
安全保密管理员 confirms in one step (`personnel.actions.confirm_historical_clearances`); until
then the person is 非涉密.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from baomi.accounts.actions import generate_one_time_password
from baomi.audit.trail import record
from baomi.classification.choices import CLEARANCE_MAX_LEVEL, Clearance
from baomi.imports.actions import _batch, read_layout, require_people_importer
from baomi.imports.choices import ImportKind
from baomi.imports.columns import Layout, label_of
from baomi.imports.report import ImportReport, Problem, RowsRejected
from baomi.imports.values import fold, parse_date
from baomi.lib.actions import action
from baomi.lib.errors import Invalid
from baomi.org import actions as org
from baomi.org.models import Department, Person, Unit
from baomi.personnel.models import ClearanceDecision

USERNAME_RE = re.compile(r"^[\w.@+-]{2,150}$", re.ASCII)
CLEARANCE_WORDS = {
    "核心": Clearance.CORE,
    "重要": Clearance.IMPORTANT,
    "一般": Clearance.GENERAL,
    "非涉密": Clearance.NONE,
    "无": Clearance.NONE,
    "否": Clearance.NONE,
    **{value: value for value in Clearance.values},
}


@dataclass
class PersonRow:
    row: int
    name: str
    department: str
    post: str
    clearance: str
    number: str
    username: str
    decision_number: str
    vetted_on: date | None
    committed_on: date | None


def parse_clearance(text: str) -> str | None:
    """核心, 核心涉密人员, 重要涉密 …, 非涉密 (or empty), or the code; None when unknown."""
    text = fold(text)
    if not text:
        return Clearance.NONE
    for candidate in (
        text,
        text.removesuffix("人员"),
        text.removesuffix("人员").removesuffix("涉密"),
    ):
        found = CLEARANCE_WORDS.get(candidate) or CLEARANCE_WORDS.get(candidate.lower())
        if found:
            return found
    return None


class _Reader:
    def __init__(self, layout: Layout, unit: Unit):
        self.layout = layout
        self.numbers = set(
            Person.objects.filter(unit=unit).exclude(number="").values_list("number", flat=True)
        )
        self.usernames = {
            u.lower() for u in get_user_model().objects.values_list("username", flat=True)
        }
        self.seen_numbers: dict[str, int] = {}
        self.seen_usernames: dict[str, int] = {}

    def cell(self, cells, name: str):
        index = self.layout.mapping.get(name)
        if index is None or index >= len(cells):
            return ""
        value = cells[index]
        return value if isinstance(value, date) else str(value).strip()

    def column(self, name: str) -> str:
        return self.layout.header_of(name) or label_of(ImportKind.PEOPLE, name)

    def read(self, number: int, cells) -> tuple[PersonRow | None, list[Problem]]:
        problems: list[Problem] = []

        def bad(name: str, message: str, rule: str = "") -> None:
            problems.append(Problem(number, self.column(name), message, rule))

        name = self.cell(cells, "name")
        if not name:
            bad("name", "须填写姓名（SEC-1：每个账号对应一名具体人员）", "SEC-1")
        elif len(name) > 50:
            bad("name", "姓名不能超过 50 个字符")
        department = fold(self.cell(cells, "department"))[:100]
        clearance = parse_clearance(self.cell(cells, "clearance"))
        if clearance is None:
            bad(
                "clearance",
                f"“{self.cell(cells, 'clearance')}”不是涉密等级（核心、重要、一般、非涉密）（PER-1）",
                "PER-1",
            )
        staff_number = fold(self.cell(cells, "number"))
        if staff_number:
            if len(staff_number) > 32:
                bad("number", "人员编号不能超过 32 个字符")
            elif staff_number in self.numbers:
                bad("number", f"人员编号 {staff_number} 已有人使用")
            elif staff_number in self.seen_numbers:
                bad(
                    "number", f"人员编号 {staff_number} 与第{self.seen_numbers[staff_number]}行重复"
                )
            else:
                self.seen_numbers[staff_number] = number
        username = fold(self.cell(cells, "username"))
        if username:
            if not USERNAME_RE.match(username):
                bad("username", "用户名只能由字母、数字和 @ . + - _ 组成（2 至 150 个字符）")
            elif username.lower() in self.usernames:
                bad("username", f"用户名 {username} 已存在（SEC-1：一人一号，不得共用）", "SEC-1")
            elif username.lower() in self.seen_usernames:
                bad(
                    "username",
                    f"用户名 {username} 与第{self.seen_usernames[username.lower()]}行重复（SEC-1）",
                    "SEC-1",
                )
            else:
                self.seen_usernames[username.lower()] = number
        dates = {}
        for field_name in ("vetted_on", "committed_on"):
            try:
                dates[field_name] = parse_date(self.cell(cells, field_name))
            except ValueError as error:
                bad(field_name, str(error))
                dates[field_name] = None
            if dates[field_name] and dates[field_name] > timezone.localdate():
                bad(field_name, "日期晚于今天")
        if clearance not in (None, Clearance.NONE):
            if not dates["vetted_on"] and not any(
                p.column == self.column("vetted_on") for p in problems
            ):
                bad("vetted_on", "涉密人员须有保密审查日期（PER-3：上岗前须经保密审查）", "PER-3")
            if not dates["committed_on"] and not any(
                p.column == self.column("committed_on") for p in problems
            ):
                bad("committed_on", "涉密人员须有保密承诺书签订日期（PER-3）", "PER-3")
        if problems:
            return None, problems
        return (
            PersonRow(
                number,
                name,
                department,
                fold(self.cell(cells, "post"))[:100],
                clearance,
                staff_number,
                username,
                fold(self.cell(cells, "decision_number"))[:100],
                dates["vetted_on"],
                dates["committed_on"],
            ),
            [],
        )


@action("import.people")
def import_people(
    actor: Person,
    unit: Unit,
    *,
    file_name: str,
    data: bytes,
    dry_run: bool,
    corrections: dict | None = None,
) -> ImportReport:
    """Import people, their accounts (one-time passwords, shown once) and their 历史认定."""
    require_people_importer(actor)
    sheet, layout = read_layout(ImportKind.PEOPLE, file_name, data, corrections)
    report = ImportReport(
        ImportKind.PEOPLE, file_name, dry_run, layout.header_row, layout.named_mapping()
    )
    reader = _Reader(layout, unit)
    rows: list[PersonRow] = []
    for offset, cells in enumerate(sheet.rows[layout.header_row :]):
        if all(c in ("", None) for c in cells):
            continue
        report.row_count += 1
        row, problems = reader.read(layout.header_row + offset + 1, cells)
        report.problems.extend(problems)
        if row:
            rows.append(row)
    if report.row_count == 0:
        raise Invalid("文件中表头以下没有数据行。", {"file": ["文件中表头以下没有数据行"]})
    existing = {d.name: d for d in Department.objects.filter(unit=unit)}
    new_departments = sorted({r.department for r in rows if r.department} - set(existing))
    report.notes += [f"将新建部门：{name}" for name in new_departments]
    historical = sum(1 for r in rows if r.clearance != Clearance.NONE)
    if historical:
        report.notes.append(f"{historical} 人的涉密等级作为“历史认定”待安全保密管理员确认")
    report.count = len(rows)
    if report.problems and not dry_run:
        raise RowsRejected(report)
    if dry_run:
        return report
    batch = _batch(actor, unit, ImportKind.PEOPLE, file_name, data, layout, report)
    for name in new_departments:
        existing[name] = org.create_department(actor, unit, name=name)
    for row in rows:
        _create(actor, unit, batch, row, existing, report)
    record(
        "import.people",
        actor,
        batch,
        after={
            "people": report.count,
            "accounts": len(report.accounts),
            "departments_created": new_departments,
            "historical_clearances": historical,
            "file_sha256": batch.file_sha256,
        },
    )
    report.batch = batch
    return report


def _create(actor, unit, batch, row: PersonRow, departments, report: ImportReport) -> None:
    password = generate_one_time_password() if row.username else ""
    person = org.create_person(
        actor,
        unit,
        name=row.name,
        department=departments.get(row.department),
        post=row.post,
        number=row.number,
        username=row.username,
        password=password,
        # SEC-2: a password the system generated is changed at first login.
        must_change_password=True,
    )
    if row.username:
        report.accounts.append((row.username, password))
    if row.clearance == Clearance.NONE:
        return
    decision = ClearanceDecision.objects.create(
        unit=unit,
        person=person,
        previous=Clearance.NONE,
        clearance=row.clearance,
        highest_level=CLEARANCE_MAX_LEVEL[Clearance(row.clearance)],
        reason=f"历史认定（台账导入批次 #{batch.pk}）"
        + (f"，认定文号 {row.decision_number}" if row.decision_number else ""),
        proposed_by=actor,
        proposed_at=timezone.now(),
        historical=True,
        decision_number=row.decision_number,
        vetted_on=row.vetted_on,
        committed_on=row.committed_on,
    )
    record(
        "clearance.import_historical",
        actor,
        decision,
        after={
            "person": person.pk,
            "clearance": row.clearance,
            "decision_number": row.decision_number,
            "import_batch": batch.pk,
        },
    )
