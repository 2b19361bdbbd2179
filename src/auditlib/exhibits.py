"""exhibits: what a memo shows beyond the key figures and findings (the outline, the re-scored rows, the charts'
data, the extracted tables), taken from an extraction and its check result as plain record data.

Composed once with the audit record, so a memo is rebuilt from the record alone. Findings reach the rows and
bars they are about through their fingerprints, looked up by the check-table row they were raised on.
"""

from __future__ import annotations

import math
from typing import Any

from auditlib.record import DEFAULT_RATE_LABEL, Chart, ChartSeries, OutlineEntry, RescoredRow

MAX_CHART_ROWS = 20
LEVEL_ZH = {1: "一级指标", 2: "二级指标", 3: "三级指标"}
APPENDIX_TABLES = ("budget_lines", "breakdowns", "scores", "indicators")
RATE_NAMES = {"execution": DEFAULT_RATE_LABEL, "funding": "资金到位率"}


def _rule_tables() -> dict[str, str]:
    from auditlib.check import RULES

    return {rule.id: rule.table for rule in RULES if rule.table}


def findings_on_rows(findings, table: str) -> dict[int, tuple[str, ...]]:
    """The fingerprints of the findings raised on each row (by row_id) of one check table."""
    tables = _rule_tables()
    on: dict[int, list[str]] = {}
    for finding in findings:
        row_id = finding.values.get("row_id") if isinstance(finding.values, dict) else None
        if tables.get(finding.rule) == table and row_id is not None:
            on.setdefault(int(row_id), []).append(finding.fingerprint)
    return {row_id: tuple(ids) for row_id, ids in on.items()}


def _plain(value: Any) -> Any:
    """A frame cell as JSON-ready data: NaN and NA as None, numpy scalars as Python numbers."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def tables_of(extraction) -> dict[str, list[dict[str, Any]]]:
    """The extracted tables the memo's appendix lists, as rows of plain values."""
    frames = extraction.frames()
    return {key: [{column: _plain(value) for column, value in row.items()}
                  for row in frames[key].to_dict(orient="records")] for key in APPENDIX_TABLES}


def outline_of(extraction) -> list[OutlineEntry]:
    """Every heading of the outline, in document order, with its depth."""
    entries: list[OutlineEntry] = []

    def walk(section, depth: int) -> None:
        entries.append(OutlineEntry(section.heading_text, section.line, section.body_chars, depth))
        for child in section.children:
            walk(child, depth + 1)

    for section in extraction.outline.root.children:
        walk(section, 1)
    return entries


def rescored_of(result) -> list[RescoredRow]:
    """The re-scored rows, each with the findings raised on it."""
    rescoring = result.rescoring
    if rescoring is None:
        return []
    on = findings_on_rows(result.findings, "indicator_scores")
    return [RescoredRow(row.name, row.kind, row.nature, row.weight, row.claimed, row.recomputed, row.formula,
                        row.not_rescored, row.evidence.line, on.get(row_id, ()))
            for row_id, row in enumerate(rescoring.rows)]


def rate_name(row: dict[str, Any]) -> str:
    """The report's own name for a rate (资金到位率 …); a name is one only if it ends in 率."""
    label = (row.get("rate_label") or "").strip()
    return label if label.endswith("率") else RATE_NAMES.get(row.get("kind"), DEFAULT_RATE_LABEL)


def charts_of(extraction, result) -> list[Chart]:
    """The memo's charts: budget against spending, the stated rates, and each indicator level's scores."""
    return [chart for chart in (_budget_chart(extraction), _rates_chart(result)) if chart] + _score_charts(extraction)


def _budget_chart(extraction) -> Chart | None:
    lines, left_out, seen = [], [], set()
    for line in extraction.budget_lines:
        budget, spent = line.budget.value_wan if line.budget else None, line.value("spent")
        if not budget or spent is None:
            if budget or spent is not None:
                left_out.append(line.label or f"第{line.evidence.line}行")
            continue
        if (budget, spent) in seen:  # one amount is drawn once, however many sentences repeat it
            continue
        seen.add((budget, spent))
        lines.append(line)
    if not lines:
        return None
    shown = lines[:MAX_CHART_ROWS]
    notes = []
    if len(lines) > len(shown):
        notes.append(f"另有{len(lines) - len(shown)}项未画出（见附录）")
    if left_out:
        notes.append(f"未画出（报告未同时给出预算和支出）：{'、'.join(dict.fromkeys(left_out))}")
    return Chart("budget", "预算与支出（万元）", tuple(line.label or f"第{line.evidence.line}行" for line in shown),
                 (ChartSeries("预算", tuple(line.budget.value_wan for line in shown)),
                  ChartSeries("支出", tuple(line.value("spent") for line in shown))),
                 note="；".join(notes) + ("。" if notes else ""))


def _rates_chart(result) -> Chart | None:
    rates = result.tables.get("rates")
    if rates is None or rates.empty:
        return None
    on = findings_on_rows(result.findings, "rates")
    rows = rates.head(MAX_CHART_ROWS).to_dict(orient="records")
    names = sorted({rate_name(row) for row in rows})
    params = result.params
    note = f"另有{len(rates) - len(rows)}项未画出。" if len(rates) > len(rows) else ""
    return Chart("rates", f"{'、'.join(names)}（%）", tuple(str(row["label"]) for row in rows),
                 (ChartSeries("比率", tuple(round(float(row["value"]) * 100, 2) for row in rows)),),  # as the memo writes it
                 tuple(on.get(int(row["row_id"]), ()) for row in rows),
                 ((params.low_execution_rate * 100, f"{params.low_execution_rate * 100:g}%"),
                  (params.max_rate * 100, f"{params.max_rate * 100:g}%")), note=note)


def _score_charts(extraction) -> list[Chart]:
    charts = []
    items = [i for i in extraction.score_items if i.weight is not None and i.level > 0]
    for level in sorted({i.level for i in items}):
        unique = {}
        for item in items:
            if item.level == level:
                unique.setdefault((item.name, item.weight, item.score), item)
        shown = list(unique.values())[:MAX_CHART_ROWS]
        note = f"另有{len(unique) - len(shown)}项未画出（见附录）。" if len(unique) > len(shown) else ""
        charts.append(Chart(f"scores-{level}", f"{LEVEL_ZH.get(level, f'{level}级指标')}：得分与分值",
                            tuple(i.name for i in shown),
                            (ChartSeries("分值", tuple(i.weight for i in shown)),
                             ChartSeries("得分", tuple(i.score for i in shown))), note=note))
    return charts


def exhibits(extraction, result) -> dict[str, Any]:
    """The record fields a memo shows beyond figures and findings (AuditRecord's last fields)."""
    rescoring, rules = result.rescoring, result.params.rule_set
    return {"claimed_table_grade": rescoring.claimed_grade if rescoring else None,
            "rule_set_description": rules.describe(), "rule_set_source": rules.source,
            "rescored": rescored_of(result), "outline": outline_of(extraction),
            "charts": charts_of(extraction, result), "tables": tables_of(extraction)}
