"""A 20-question bank as an xlsx file the way units keep them: a title row above the header,
single choice, multiple choice and true/false questions for 全体 and 重要 staff."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

HEADER = ["序号", "题型", "题目", "选项A", "选项B", "选项C", "选项D", "答案", "适用人员", "专题"]


def bank_rows() -> list[list]:
    rows = []
    for i in range(1, 9):
        rows.append(
            [
                i,
                "单选",
                f"绝密级国家秘密的保密期限一般不超过多少年？（{i}）",
                "10年",
                "20年",
                "30年",
                "长期",
                "C",
                "全体",
                "定密",
            ]
        )
    for i in range(9, 15):
        rows.append(
            [
                i,
                "多选题",
                f"下列哪些载体属于涉密载体？（{i}）",
                "纸介质文件",
                "U盘",
                "光盘",
                "公开报纸",
                "ABC",
                "全体",
                "载体管理",
            ]
        )
    for i in range(15, 19):
        rows.append(
            [
                i,
                "判断",
                f"涉密文件可以横传给其他阅文人。（{i}）",
                "",
                "",
                "",
                "",
                "错",
                "全体",
                "载体管理",
            ]
        )
    for i in range(19, 21):
        rows.append(
            [
                i,
                "判断",
                f"重要涉密人员出国须经审批。（{i}）",
                "",
                "",
                "",
                "",
                "对",
                "重要",
                "人员管理",
            ]
        )
    return rows


def xlsx(rows, *, header=HEADER, title="XX市人民政府办公室保密知识题库") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def right_answers(exam) -> dict[str, str]:
    return {str(q.position): q.answer for q in exam.questions.all()}
