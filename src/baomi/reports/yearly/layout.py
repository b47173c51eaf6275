"""How the report's flat list of figures is laid out on the page, the PDF and the xlsx: figures
counted by level become one table per section (a row per figure, a column per level); the
others are lines of their own. Nothing is computed here."""

from __future__ import annotations


def section_layout(section: dict) -> dict:
    """{"title", "levels": [(code, label)], "rows": [{"label", "cells": [figure…]}], "lines"}."""
    rows: dict[str, dict] = {}
    levels: dict[str, str] = {}
    lines = []
    for figure in section["figures"]:
        if not figure["level"]:
            lines.append({"label": figure["label"], "text": shown(figure), "key": figure["key"]})
            continue
        levels.setdefault(figure["level"], figure["level_display"])
        group = figure["key"].split(".", 1)[0]
        rows.setdefault(group, {"label": figure["label"], "by_level": {}})
        rows[group]["by_level"][figure["level"]] = figure
    order = list(levels)
    return {
        "section": section["section"],
        "title": section["title"],
        "levels": [(code, levels[code]) for code in order],
        "rows": [
            {
                "label": row["label"],
                "cells": [_cell(row["by_level"].get(code)) for code in order],
            }
            for row in rows.values()
        ],
        "lines": lines,
    }


def _cell(figure: dict | None) -> dict:
    return {"text": shown(figure), "key": figure["key"] if figure else ""}


def layout(report: dict) -> list[dict]:
    return [section_layout(s) for s in report["sections"]]


def sources(report: dict) -> list[dict]:
    """Every figure with the query that yields it, numbered as the appendix prints them."""
    return [
        {
            "no": n,
            "key": f["key"],
            "label": f["label"] + (f"（{f['level_display']}）" if f["level_display"] else ""),
            "text": shown(f),
            "query": f["query"],
        }
        for n, f in enumerate(report["figures"], start=1)
    ]


def shown(figure: dict | None) -> str:
    """A figure as printed: "12" / "3 件 / 7 份" / "85.0%" / "—" when there is nothing to rate."""
    if figure is None or figure["value"] is None:
        return "—"
    if figure["measure"] == "%":
        return f"{figure['value']}%"
    if figure.get("copies") is not None:
        return f"{figure['value']} 件 / {figure['copies']} 份"
    return f"{figure['value']} {figure['measure']}"
