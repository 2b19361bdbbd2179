"""Small HTML helpers; every piece of report text goes through `esc`."""

from __future__ import annotations

import math
import re
from html import escape
from importlib import resources
from typing import Any, Iterable

import pandas as pd

from auditlib.check.catalogue import RULES, Rule, rule
from auditlib.record import SEVERITY_ZH

RULE_NAMES_ZH = {rule.id: rule.zh for rule in RULES}  # for a decision or an older record's finding, with no name
KIND_ZH = {"project": "项目支出绩效自评", "department": "部门整体支出绩效自评", None: "非绩效自评文件"}


# Word and PDF conversion residue a report carries ([bookmark: _Toc123], [image: …]): never quoted as the unit's words.
RESIDUE = re.compile(r"\[(?:bookmark|image|annotation|comment)\s*:[^\]\n]{0,200}\]", re.IGNORECASE)


def rule_of(rule_id: str) -> Rule | None:
    """The catalogue's rule with this id; None for a rule a record of an older auditlib names and this one lacks."""
    try:
        return rule(rule_id)
    except KeyError:
        return None


def rule_label(item: Any) -> str:
    """A finding's (or decision's) rule in Chinese: the name the finding carries (its thresholds filled in),
    else the catalogue's."""
    return getattr(item, "name", "") or RULE_NAMES_ZH.get(getattr(item, "rule", ""), "其他问题")


def strip_residue(text: Any, escape: bool = True) -> str:
    """Report text without conversion residue (escaped for HTML unless escape=False)."""
    if missing(text):
        return ""
    cleaned = RESIDUE.sub("", str(text)).strip()
    return blank(cleaned) if escape else cleaned


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
          row_classes: Iterable[str] | None = None, table_id: str = "", row_ids: Iterable[str] | None = None) -> str:
    """An HTML table from already-escaped cell HTML."""
    head = "".join(f"<th>{header}</th>" for header in headers)
    body = []
    row_classes, row_ids = list(row_classes or []), list(row_ids or [])
    for index, row in enumerate(rows):
        css = f' class="{row_classes[index]}"' if index < len(row_classes) and row_classes[index] else ""
        identity = f' id="{esc(row_ids[index])}"' if index < len(row_ids) and row_ids[index] else ""
        body.append(f"<tr{css}{identity}>" + "".join(row) + "</tr>")
    identity = f' id="{esc(table_id)}"' if table_id else ""
    return f'<table class="{" ".join(filter(None, ["al-table", classes]))}"{identity}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def td(html: str, numeric: bool = False) -> str:
    """A table cell from already-escaped HTML."""
    return f'<td class="num">{html}</td>' if numeric else f"<td>{html}</td>"


def missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA and the empty string: a cell the report leaves blank."""
    if value is None or value is pd.NA or (isinstance(value, str) and not value.strip()):
        return True
    return isinstance(value, float) and math.isnan(value)


def blank(value: Any) -> str:
    """Text for a table cell: escaped, and empty (never None or nan) where there is no value."""
    return "" if missing(value) else escape(str(value), quote=True)


def number(value: Any) -> str:
    """A number as the report would write it (no trailing zeros), blank when missing."""
    if missing(value):
        return ""
    if isinstance(value, (int, float)):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return blank(value)


def place(region: str, province: str = "") -> str:
    """Where a unit is, written once: 浙江省杭州市西湖区, not 浙江省杭州市 浙江省杭州市西湖区."""
    region, province = (region or "").strip(), (province or "").strip()
    if not province or region.startswith(province):
        return region or province
    return f"{province}{region}" if region else province


def amount(value: Any, unit: str) -> str:
    """A figure with its unit, as a Chinese auditor writes it: 12.5万元, 87.25%, 91.5分."""
    if value is None:
        return ""
    if unit == "%":
        return percent(value)
    if unit in ("万元", "分", "项"):
        return f"{number(value)}{unit}"
    return str(value)


def lines_text(lines: tuple[int, ...] | list[int]) -> str:
    """第19–35行 for a run of lines, 第9、21行 for two, 第9行 for one."""
    lines = sorted(set(lines))
    if not lines:
        return ""
    if len(lines) == 1:
        return f"第{lines[0]}行"
    if len(lines) == 2:
        return f"第{lines[0]}、{lines[1]}行"
    return f"第{lines[0]}–{lines[-1]}行"


def percent(value: Any) -> str:
    """A fraction as a percentage to two decimals (trailing zeros dropped), blank when missing."""
    if missing(value):
        return ""
    return f"{float(value) * 100:.2f}".rstrip("0").rstrip(".") + "%"


def css_string(text: str) -> str:
    """Text as a CSS string literal: every character that could end the string or the style escaped."""
    escaped = "".join(c if c.isalnum() or c in " -_·" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def memo_css() -> str:
    """The memo stylesheet, shared by the exported page and the notebook in JupyterLab (scoped under .auditlib)."""
    return resources.files("auditlib").joinpath("templates/auditlib/memo.css").read_text(encoding="utf-8")


def page_css() -> str:
    """The stylesheet of an exported page's body (never sent into JupyterLab)."""
    return resources.files("auditlib").joinpath("templates/auditlib/page.css").read_text(encoding="utf-8")
