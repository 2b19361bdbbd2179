"""The portfolio index of a batch run: every unit and year ranked by risk, where to look first.

Render only renders: the ranking is the audit record's documented risk score, and every coloured cell and
listed problem is a finding of that unit's record (auditlib.compose), never a rule of the index's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditlib.record import (EXECUTION_WEIGHT, PENDING, SCORE_EXCESS_WEIGHT, SEVERITIES, SEVERITY_WEIGHTS,
                             SEVERITY_ZH, AuditRecord)
from auditlib.render.html import (KIND_ZH, blank, esc, memo_css, number, percent, rule_label, severity_badge,
                                  table, td)
from auditlib.render.memo import FLAGGED_COLOR
from auditlib.render.svg import Series, bar_chart

PARTS = ("header", "priority", "table", "rescoring", "charts", "failures")

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

RISK_RULE = (f"风险分 = 高风险发现×{SEVERITY_WEIGHTS['high']:g} + 中风险×{SEVERITY_WEIGHTS['medium']:g} + "
             f"低风险×{SEVERITY_WEIGHTS['low']:g} + 自评得分超出执行率允许上限的分数×{SCORE_EXCESS_WEIGHT:g} + "
             f"执行率偏离100%的幅度（每100个百分点）×{EXECUTION_WEIGHT:g}")


def _sortable(html: str, key: Any, numeric: bool = False, flagged: bool = False, title: str = "") -> str:
    classes = " ".join(filter(None, ["num" if numeric else "", "flagged" if flagged else ""]))
    css = f' class="{classes}"' if classes else ""
    hint = f' title="{esc(title)}"' if title else ""
    return f'<td{css}{hint} data-sort="{blank(key)}">{html}</td>'


def _absent(figure) -> str:
    """A figure the report does not state: blank, unless a finding is about its absence."""
    return "未给出" if figure is not None and figure.flagged else ""


def _review_note(record: AuditRecord, index: int) -> str:
    """（已确认，张三） after a finding an auditor has decided on; nothing while it is 待复核."""
    review = record.review_of(index)
    return "" if review.pending else f'<span class="note">（{esc(review.status)}，{esc(review.reviewer)}）</span>'


def _label(record: AuditRecord) -> str:
    return f"{record.region or record.display_name} {record.year}"


def ranked(records: list[AuditRecord]) -> list[AuditRecord]:
    """Audited units by risk score, highest first (then by name); failures last."""
    return sorted(records, key=lambda r: (not r.ok, -(r.risk.total if r.risk else 0), r.unit, r.year or 0))


@dataclass
class Portfolio:
    """A batch run's audit records (each a unit's audit, or a failure with its error)."""

    title: str
    records: list[AuditRecord]
    run_dir: Path
    run_date: str = field(default_factory=lambda: dt.datetime.now().strftime("%Y-%m-%d %H:%M"))

    @property
    def succeeded(self) -> list[AuditRecord]:
        """Units whose audit was made."""
        return [r for r in self.records if r.ok]

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
        failed = len(self.records) - len(self.succeeded)
        status = f"，其中 {failed} 个处理失败（见文末）" if failed else ""
        return (f"<style>{memo_css()}@page {{ size: A4 landscape; margin: 12mm; }}</style><h1>{esc(self.title)}</h1>"
                f'<p class="meta">共 {len(self.records)} 个单位年度{esc(status)} · '
                f"生成时间：{esc(self.run_date)}<br>各单位按风险分从高到低排列；点击表头可重新排序；"
                f"单位名称链接到该单位的审核备忘录。</p>")

    def _priority(self) -> str:
        """Every unit with a high finding, and each of its high findings one click from its row in the memo."""
        items = []
        for record in ranked(self.succeeded):
            highs = record.high_findings
            if not highs:
                continue
            links = "".join(f'<li><a href="{esc(record.finding_link(i))}" title="{esc(record.workpaper_ref(i))} · {esc(f.rule)}">'
                            f"{esc(rule_label(f))}</a>：{esc(f.message)}{_review_note(record, i)}</li>"
                            for i, f in highs)
            items.append(f'<li class="unit"><a href="{esc(record.memo)}"><strong>{esc(record.display_name)} '
                         f"{esc(record.year)}年度</strong></a> · 风险分 {esc(record.risk.total if record.risk else '')}"
                         f" · {esc(record.recommendation)} · 高风险发现{len(highs)}项<ul>{links}</ul></li>")
        body = f'<ul class="priority">{"".join(items)}</ul>' if items else '<p class="note">没有单位有高风险发现。</p>'
        return f"<h2>值得先看：有高风险发现的单位</h2>{body}"

    def _table(self) -> str:
        headers = (["排名", "单位", "年度", "类型", "审核意见", "风险分"] + [severity_badge(s) for s in SEVERITIES]
                   + [PENDING, "执行率", "自评得分", "得分上限", "复核得分", "备忘录"])
        rows = []
        for rank, record in enumerate(ranked(self.records), start=1):
            if not record.ok:
                failure = f'<span class="bad">处理失败：{esc(record.error_type)}</span>'
                rows.append([_sortable("", 10**6), _sortable(esc(record.unit), record.unit),
                             _sortable(blank(record.year), record.year, True), _sortable("", ""),
                             _sortable(failure, "")] + [_sortable("", -1, True)] * (len(SEVERITIES) + 6)
                            + [_sortable("", "0")])
                continue
            memo = esc(record.memo)
            rate, score = record.figure("rate"), record.figure("score")
            counts = record.review_counts
            pending = counts[PENDING]
            reviewed = "，".join(f"{status}{count}项" for status, count in counts.items())
            rows.append([
                _sortable(esc(rank), rank, True),
                _sortable(f'<a href="{memo}">{esc(record.display_name)}</a>', record.display_name),
                _sortable(esc(record.year), record.year, True),
                _sortable(esc(KIND_ZH.get(record.kind)), record.kind),
                _sortable(esc(record.recommendation), record.recommendation),
                _sortable(esc(record.risk.total if record.risk else ""), record.risk.total if record.risk else "", True),
                *[_sortable(esc(record.counts.get(s, 0)), record.counts.get(s, 0), True) for s in SEVERITIES],
                _sortable(esc(pending), pending, True, title=reviewed),
                _sortable(esc(percent(record.execution_rate)) or _absent(rate), record.execution_rate, True,
                          bool(rate and rate.flagged), record.rate_label),
                _sortable(esc(number(record.self_score)) or _absent(score), record.self_score, True,
                          bool(score and score.flagged)),
                _sortable(esc(number(record.score_cap)), record.score_cap, True),
                _sortable(esc(number(record.recomputed_score)), record.recomputed_score, True,
                          bool(record.figure("recomputed") and record.figure("recomputed").flagged),
                          record.rule_set_name),
                _sortable(f'<a href="{memo}">打开</a>', "1"),
            ])
        note = (f'<p class="note">{esc(RISK_RULE)}。标红的执行率或得分，是该单位审核发现所指的数字；'
                f"级别：{esc('、'.join(SEVERITY_ZH[s] for s in SEVERITIES))}；待复核：尚无复核决定的审核发现数"
                "（鼠标悬停可见已确认、已排除数）。</p>")
        return "<h2>各单位</h2>" + table(headers, rows, table_id="portfolio") + note + SORT_SCRIPT

    def _rescoring(self) -> str:
        """Units ranked by how much the score they claimed exceeds the one their rule set gives."""
        rescored = sorted((r for r in self.succeeded if r.score_excess is not None),
                          key=lambda r: (-r.score_excess, r.unit, r.year or 0))
        if not rescored:
            return '<h2>自评得分与复核得分</h2><p class="note">没有单位的报告含可复核的自评表。</p>'
        rows = [[td(esc(rank)), td(f'<a href="{esc(r.memo)}">{esc(r.display_name)}</a>'), td(esc(r.year), True),
                 td(esc(r.rule_set_name)), td(esc(number(r.claimed_table_score)), True),
                 td(esc(number(r.recomputed_score)), True), td(esc(number(r.score_excess)), True),
                 td(esc(f"{r.grade or '—'} → {r.recomputed_grade or '—'}")), td(esc(r.not_rescored_rows), True)]
                for rank, r in enumerate(rescored, start=1)]
        classes = ["disagree" if r.score_excess > 0 else "" for r in rescored]
        return ("<h2>自评得分与复核得分</h2>"
                + table(["排名", "单位", "年度", "规则集", "表内自评得分", "复核得分", "自评高出", "等级（自评→复核）",
                         "未复核行数"], rows, classes="rescoring", row_classes=classes)
                + '<p class="note">按自评得分高出复核得分的分数从高到低排列；复核得分按各单位参数文件所指定的规则集计算。</p>')

    def _charts(self) -> str:
        parts = ["<h2>执行率与自评得分</h2>"]
        for key, title, value_of, values_format in (
                ("rate", "执行率（%）",
                 lambda r: round(r.execution_rate * 100, 2) if r.execution_rate is not None else None, "{:g}"),
                ("score", "自评得分与执行率允许的上限", lambda r: r.self_score, "{:g}")):
            shown = [r for r in self.succeeded if value_of(r) is not None]
            left_out = [r for r in self.succeeded if value_of(r) is None]
            if shown:
                colors = tuple(FLAGGED_COLOR if (r.figure(key) and r.figure(key).flagged) else None for r in shown)
                series = [Series("执行率" if key == "rate" else "自评得分", "#b86e00" if key == "rate" else "#2e7d32",
                                 tuple(value_of(r) for r in shown), colors)]
                if key == "score":
                    series.append(Series("得分上限", "#c9c9c9", tuple(r.score_cap for r in shown)))
                parts.append(bar_chart(title, [_label(r) for r in shown], series, value_format=values_format,
                                       maximum=100 if key == "score" else None))
            if left_out:
                what = "执行率" if key == "rate" else "自评得分"
                parts.append(f'<p class="note">未列入“{esc(title)}”（报告未给出{what}）：'
                             f"{esc('、'.join(_label(r) for r in left_out))}。</p>")
        parts.append('<p class="note">红色的条形，是该单位审核发现所指的数字。</p>')
        return "".join(parts)

    def _failures(self) -> str:
        failed = [r for r in self.records if not r.ok]
        if not failed:
            return ""
        rows = [[td(esc(r.unit)), td(blank(r.year), True), td(esc(r.error_type)),
                 td(f"<blockquote>{blank(r.error.splitlines()[0] if r.error else '')}</blockquote>"),
                 td(blank(Path(r.notebook).name if r.notebook else ""))] for r in failed]
        return "<h2>处理失败</h2>" + table(["单位", "年度", "错误", "说明", "已执行部分的笔记本"], rows)


def portfolio_from_run(run_dir: str | Path, title: str = "绩效自评报告审核总览") -> Portfolio:
    """The index of a batch run folder (its audit records)."""
    from auditlib.store import load_run

    return Portfolio(title, load_run(Path(run_dir)), Path(run_dir))
