"""The portfolio index of a batch run: every unit and year, where to look first."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditlib import __version__
from auditlib.check.findings import SEVERITIES
from auditlib.render.html import KIND_ZH, esc, memo_css, pct, severity_badge, table, td
from auditlib.render.svg import Reference, Series, bar_chart

PARTS = ("header", "table", "charts", "outliers", "failures")

# Our own few lines of script: click a column header to sort. No report text is ever placed in a script.
SORT_SCRIPT = """<script>
(function () {
  var table = document.getElementById("portfolio");
  if (!table) { return; }
  table.querySelectorAll("th").forEach(function (th, column) {
    th.classList.add("sortable");
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var ascending = th.getAttribute("data-order") !== "asc";
      th.setAttribute("data-order", ascending ? "asc" : "desc");
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-sort") || a.cells[column].textContent;
        var y = b.cells[column].getAttribute("data-sort") || b.cells[column].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, "zh");
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
</script>"""


def _sortable(html: str, key: Any, numeric: bool = False) -> str:
    value = "" if key is None or (isinstance(key, float) and math.isnan(key)) else key
    css = ' class="num"' if numeric else ""
    return f'<td{css} data-sort="{esc(value)}">{html}</td>'


def _short_name(unit: dict[str, Any]) -> str:
    region = (unit.get("registry") or {}).get("region") or (unit.get("facts") or {}).get("region") or unit["unit"]
    return f"{region} {unit['year']}"


@dataclass
class Portfolio:
    """A batch run's units (each a memo summary, or a failure with its error)."""

    title: str
    units: list[dict[str, Any]]
    run_dir: Path
    run_date: str = field(default_factory=lambda: dt.datetime.now().strftime("%Y-%m-%d %H:%M"))

    @property
    def succeeded(self) -> list[dict[str, Any]]:
        """Units whose memo was written."""
        return [u for u in self.units if u.get("ok")]

    def html(self, part: str) -> str:
        """One part of the index as HTML."""
        if part not in PARTS:
            raise ValueError(f"unknown portfolio part {part!r}; parts are {', '.join(PARTS)}")
        return f'<div class="auditlib portfolio-{part}">{getattr(self, "_" + part)()}</div>'

    def show(self, part: str) -> None:
        """Display one part in a notebook."""
        from IPython.display import HTML, display

        display(HTML(self.html(part)))

    def _header(self) -> str:
        failed = len(self.units) - len(self.succeeded)
        status = f"，其中 {failed} 个处理失败（见文末）" if failed else ""
        return (f"<style>{memo_css()}</style><h1>{esc(self.title)}</h1>"
                f'<p class="meta">共 {len(self.units)} 个单位年度{esc(status)} · auditlib {esc(__version__)} · '
                f"生成时间：{esc(self.run_date)}<br>点击表头可排序；单位名称链接到该单位的审核备忘录。</p>")

    def _table(self) -> str:
        headers = ["单位", "年度", "类型"] + [severity_badge(s) for s in SEVERITIES] + ["执行率", "自评得分", "备忘录"]
        rows = []
        for unit in sorted(self.units, key=lambda u: (-(u.get("counts") or {}).get("high", 0), u["unit"], u["year"] or 0)):
            facts, counts = unit.get("facts") or {}, unit.get("counts") or {}
            name = (unit.get("registry") or {}).get("full_name") or facts.get("unit_name") or unit["unit"]
            memo = unit.get("memo")
            link = f'<a href="{esc(memo)}">打开</a>' if memo else f'<span class="bad">失败：{esc(unit.get("error_type"))}</span>'
            rate = facts.get("execution_rate")
            name_html = f'<a href="{esc(memo)}">{esc(name)}</a>' if memo else esc(name)
            rows.append([_sortable(name_html, name), _sortable(esc(unit["year"]), unit["year"], True),
                         _sortable(esc(KIND_ZH.get(facts.get("kind")) if unit.get("ok") else None), facts.get("kind"))]
                        + [_sortable(esc(counts.get(s, "—")), counts.get(s, -1), True) for s in SEVERITIES]
                        + [_sortable(pct(rate), rate, True), _sortable(esc(facts.get("self_score")), facts.get("self_score"), True),
                           _sortable(link, "1" if memo else "0")])
        return "<h2>各单位</h2>" + table(headers, rows, table_id="portfolio") + SORT_SCRIPT

    def _charts(self) -> str:
        units = [u for u in self.succeeded if (u.get("facts") or {}).get("execution_rate") is not None]
        parts = ["<h2>执行率与自评得分</h2>"]
        if units:
            labels = [_short_name(u) for u in units]
            parts.append(bar_chart("预算执行率（%）", labels,
                                   [Series("执行率", "#b86e00", tuple(u["facts"]["execution_rate"] * 100 for u in units))],
                                   (Reference(90, "90%", "#b86e00"), Reference(100, "100%")), value_format="{:.1f}"))
        scored = [u for u in self.succeeded if (u.get("facts") or {}).get("self_score") is not None]
        if scored:
            parts.append(bar_chart("自评得分", [_short_name(u) for u in scored],
                                   [Series("自评得分", "#2e7d32", tuple(u["facts"]["self_score"] for u in scored))],
                                   (Reference(90, "优 90"),), maximum=100))
        if len(parts) == 1:
            parts.append('<p class="note">没有可比较的执行率或得分。</p>')
        return "".join(parts)

    def _outliers(self) -> str:
        notes = []
        for unit in self.succeeded:
            facts, label = unit.get("facts") or {}, f"{unit['unit']} {unit['year']}"
            rate = facts.get("execution_rate")
            if rate is not None and rate > 1:
                notes.append(f"{label}：执行率 {pct(rate)}，超过100%")
            elif rate is not None and rate < 0.9:
                notes.append(f"{label}：执行率 {pct(rate)}，低于90%")
            rules = {f["rule"] for f in unit.get("findings") or []}
            if "score.above_cap" in rules:
                notes.append(f"{label}：自评得分 {facts.get('self_score')} 高于执行率允许的上限")
            if "claim.contradiction" in rules:
                notes.append(f"{label}：自评结论与报告所述情况矛盾")
        highs = sorted(self.succeeded, key=lambda u: -(u.get("counts") or {}).get("high", 0))
        if highs and (highs[0].get("counts") or {}).get("high"):
            top = highs[0]
            notes.append(f"高风险发现最多：{top['unit']} {top['year']}（{top['counts']['high']}项）")
        items = "".join(f"<li>{esc(note)}</li>" for note in notes) or "<li>无明显异常。</li>"
        return f"<h2>值得先看</h2><ul>{items}</ul>"

    def _failures(self) -> str:
        failed = [u for u in self.units if not u.get("ok")]
        if not failed:
            return ""
        rows = [[td(esc(u["unit"])), td(esc(u["year"]), True), td(esc(u.get("error_type"))),
                 td(f"<blockquote>{esc((u.get('error') or '').splitlines()[0] if u.get('error') else None)}</blockquote>"),
                 td(esc(u.get("notebook")))] for u in failed]
        return "<h2>处理失败</h2>" + table(["单位", "年度", "错误", "说明", "已执行部分的笔记本"], rows)


def portfolio_from_run(run_dir: str | Path, title: str = "绩效自评报告审核总览") -> Portfolio:
    """Read a batch run folder: summary.json and every unit's data/<unit>-<year>.json."""
    run_dir = Path(run_dir)
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    units = []
    for entry in summary:
        unit = dict(entry)
        data_path = run_dir / "data" / f"{entry['unit']}-{entry['year']}.json"
        if entry.get("ok") and data_path.is_file():
            unit.update(json.loads(data_path.read_text(encoding="utf-8")))
        unit["memo"] = Path(entry["outputs"]["memo"]).name if entry.get("outputs", {}).get("memo") else None
        units.append(unit)
    return Portfolio(title, units, run_dir)
