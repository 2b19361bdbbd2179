"""Small HTML helpers; every piece of report text goes through `esc`."""

from __future__ import annotations

import math
from html import escape
from importlib import resources
from typing import Any, Iterable

import pandas as pd

from auditlib.check.findings import SEVERITY_ZH

KIND_ZH = {"project": "项目支出绩效自评", "department": "部门整体支出绩效自评", None: "非绩效自评文件"}


def esc(value: Any) -> str:
    """Text for HTML: escaped, with None shown as a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return escape(str(value), quote=True)


def wan(value: float | None) -> str:
    """An amount in 万元, or a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def pct(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage, or a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:.{digits}f}%"


def severity_badge(severity: str) -> str:
    """A coloured severity label."""
    return f'<span class="sev sev-{esc(severity)}">{esc(SEVERITY_ZH.get(severity, severity))}</span>'


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], classes: str = "",
          row_classes: Iterable[str] | None = None, table_id: str = "") -> str:
    """An HTML table from already-escaped cell HTML."""
    head = "".join(f"<th>{header}</th>" for header in headers)
    body = []
    row_classes = list(row_classes or [])
    for index, row in enumerate(rows):
        css = f' class="{row_classes[index]}"' if index < len(row_classes) and row_classes[index] else ""
        body.append(f"<tr{css}>" + "".join(row) + "</tr>")
    identity = f' id="{esc(table_id)}"' if table_id else ""
    return f'<table class="{classes}"{identity}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def td(html: str, numeric: bool = False) -> str:
    """A table cell from already-escaped HTML."""
    return f'<td class="num">{html}</td>' if numeric else f"<td>{html}</td>"


def frame_html(frame: pd.DataFrame, drop: tuple[str, ...] = ("quote",)) -> str:
    """A DataFrame as an escaped HTML table (for the appendix)."""
    if frame.empty:
        return '<p class="note">（无）</p>'
    shown = frame.drop(columns=[c for c in drop if c in frame.columns])
    return shown.to_html(index=False, escape=True, na_rep="—", border=0, classes="data")


def memo_css() -> str:
    """The memo stylesheet, shared by the exported page and the notebook in JupyterLab."""
    return resources.files("auditlib").joinpath("templates/auditlib/memo.css").read_text(encoding="utf-8")
