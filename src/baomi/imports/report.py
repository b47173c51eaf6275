"""What an import (or its dry run) tells the user: every bad row, what it decided, what it made.

A problem reads `第N行 〈column〉：why（rule id）` — N is the spreadsheet's own row number and
the column is spelled as the file's header spells it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from baomi.lib.errors import Invalid


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str
    rule_id: str = ""

    @property
    def text(self) -> str:
        message = self.message
        if self.rule_id and self.rule_id not in message:
            message = f"{message}（{self.rule_id}）"
        return f"第{self.row}行 〈{self.column}〉：{message}"

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "rule_id": self.rule_id,
            "text": self.text,
        }


@dataclass
class ImportReport:
    """The outcome of reading a file: the rows it would import, or why not."""

    kind: str
    file_name: str
    dry_run: bool
    header_row: int = 0
    mapping: dict[str, str] = field(default_factory=dict)
    row_count: int = 0  # data rows read (blank lines not counted)
    count: int = 0  # carriers (or people) the import makes
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    batch: object | None = None
    # People imports: (username, one-time password) of each new account, shown once.
    accounts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})

    @property
    def lines(self) -> list[str]:
        return [p.text for p in sorted(self.problems, key=lambda p: p.row)]


class RowsRejected(Invalid):
    """The import refused because rows are bad: nothing was written. `report` lists them all."""

    def __init__(self, report: ImportReport):
        super().__init__(
            f"有 {len(report.bad_rows)} 行不符合要求，未导入任何数据，请修改后重新导入。",
            {"rows": report.lines},
        )
        self.report = report
