"""Reading a question bank from a spreadsheet (EDU-1): the imports app's readers open the file
(xlsx, xls, csv; encrypted or broken files refused in Chinese), and the header row is found the
way the ledger import finds it — among the first rows, by the names banks use, folded for width,
spaces and a bracketed note.

Columns: 题型 (单选/多选/判断), 题目, 选项A…选项F (or one 选项 column, one choice per line or
separated by "|"), 答案 (B, ACD, 对/错), 适用人员 (全体/一般/重要/核心; empty = 全体), 专题, 解析."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from baomi.imports.columns import fold
from baomi.imports.readers import BadFile, read_sheet
from baomi.training.choices import QuestionKind, QuestionLevel

HEADER_SEARCH_ROWS = 12
LETTERS = "ABCDEF"
COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("题型", "类型", "题目类型"),
    "text": ("题目", "试题", "题干", "试题内容"),
    "options": ("选项",),
    **{f"option_{x}": (f"选项{x}", x) for x in LETTERS},
    "answer": ("答案", "正确答案", "标准答案"),
    "level": ("适用人员", "适用等级", "等级", "难度级别"),
    "topic": ("专题", "知识点", "分类", "主题"),
    "explanation": ("解析", "说明", "答案解析"),
}
KINDS = {
    "单选": QuestionKind.SINGLE,
    "单选题": QuestionKind.SINGLE,
    "单项选择题": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "多选题": QuestionKind.MULTIPLE,
    "多项选择题": QuestionKind.MULTIPLE,
    "判断": QuestionKind.TRUE_FALSE,
    "判断题": QuestionKind.TRUE_FALSE,
    **{k.value: k for k in QuestionKind},
}
LEVELS = {
    "": QuestionLevel.ALL,
    "全体": QuestionLevel.ALL,
    "全体人员": QuestionLevel.ALL,
    "一般": QuestionLevel.GENERAL,
    "重要": QuestionLevel.IMPORTANT,
    "核心": QuestionLevel.CORE,
    **{k.label: k for k in QuestionLevel},
    **{k.value: k for k in QuestionLevel},
}
TRUE_WORDS = {"T", "对", "正确", "√", "是", "TRUE", "Y"}
FALSE_WORDS = {"F", "错", "错误", "×", "否", "FALSE", "N", "X"}


@dataclass
class QuestionRow:
    row: int
    kind: str
    text: str
    options: list[str]
    answer: str
    level: str
    topic: str = ""
    explanation: str = ""


@dataclass
class ReadResult:
    questions: list[QuestionRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "第N行：…"


def normalise_answer(kind: str, answer: str, option_count: int) -> str:
    """The canonical answer ("B", "ACD", "T"/"F") or ValueError with a Chinese message."""
    text = re.sub(r"[\s,，、;；.。]", "", str(answer or "")).upper()
    if kind == QuestionKind.TRUE_FALSE:
        if text in TRUE_WORDS:
            return "T"
        if text in FALSE_WORDS:
            return "F"
        raise ValueError("判断题答案须为“对”或“错”")
    letters = "".join(sorted(set(text)))
    allowed = LETTERS[:option_count]
    if not letters or any(ch not in allowed for ch in letters):
        raise ValueError(f"答案须为选项字母（{allowed or '无选项'}）")
    if kind == QuestionKind.SINGLE and len(letters) != 1:
        raise ValueError("单选题只能有一个答案")
    if kind == QuestionKind.MULTIPLE and len(letters) < 2:
        raise ValueError("多选题至少有两个答案")
    return letters


def _lookup() -> dict[str, str]:
    table = {}
    for name, names in COLUMNS.items():
        for header in names:
            table.setdefault(fold(header), name)
    return table


def _header(rows) -> tuple[int, dict[str, int]]:
    table, best = _lookup(), None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        for col, cell in enumerate(row):
            name = table.get(fold(cell))
            if name and name not in mapping:
                mapping[name] = col
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping)
    if best is None or not {"text", "answer"} <= set(best[1]):
        raise BadFile(
            f"在文件前 {HEADER_SEARCH_ROWS} 行中没有找到表头（应有 题型、题目、选项A…、答案 等列）。"
        )
    return best


def _options(row, mapping) -> list[str]:
    options = []
    for x in LETTERS:
        col = mapping.get(f"option_{x}")
        if col is not None and col < len(row) and str(row[col]).strip():
            options.append(str(row[col]).strip())
    if not options and "options" in mapping and mapping["options"] < len(row):
        parts = re.split(r"[|\n]", str(row[mapping["options"]]))
        options = [re.sub(r"^[A-Fa-f][.、．:：)\s]\s*", "", p.strip()) for p in parts if p.strip()]
    return options


def read_questions(file_name: str, data: bytes) -> ReadResult:
    """Every question row, or the rows' problems; BadFile when the file cannot be read."""
    sheet = read_sheet(file_name, data)
    header, mapping = _header(sheet.rows)
    result = ReadResult()

    def cell(row, name) -> str:
        col = mapping.get(name)
        return str(row[col]).strip() if col is not None and col < len(row) else ""

    for index, row in enumerate(sheet.rows[header + 1 :], start=header + 2):
        if not any(str(c).strip() for c in row):
            continue
        text = cell(row, "text")
        options = _options(row, mapping)
        kind = KINDS.get(fold(cell(row, "kind")))
        if kind is None and not cell(row, "kind"):
            kind = QuestionKind.SINGLE if options else QuestionKind.TRUE_FALSE
        level = LEVELS.get(fold(cell(row, "level")))
        problems = []
        if not text:
            problems.append("题目为空")
        if kind is None:
            problems.append(f"题型“{cell(row, 'kind')}”无法识别（单选、多选、判断）")
        if level is None:
            problems.append(f"适用人员“{cell(row, 'level')}”无法识别（全体、一般、重要、核心）")
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(options) < 2:
            problems.append("选择题至少要有两个选项")
        if kind == QuestionKind.TRUE_FALSE:
            options = []
        answer = ""
        if kind is not None and not problems:
            try:
                answer = normalise_answer(kind, cell(row, "answer"), len(options))
            except ValueError as error:
                problems.append(str(error))
        if len(text) > 2000:
            problems.append("题目过长（最多 2000 字）")
        if problems:
            result.errors.append(f"第{index}行：{'；'.join(problems)}")
            continue
        result.questions.append(
            QuestionRow(
                row=index,
                kind=kind,
                text=text,
                options=[o[:500] for o in options],
                answer=answer,
                level=level,
                topic=cell(row, "topic")[:50],
                explanation=cell(row, "explanation")[:1000],
            )
        )
    return result
