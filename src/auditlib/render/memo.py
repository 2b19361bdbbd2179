"""The audit memo of one unit and year: parts of escaped HTML, in Chinese, built from plain data."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditlib import __version__
from auditlib.check import CheckParams, CheckResult, check
from auditlib.check.findings import SEVERITIES
from auditlib.extract import Extraction, extract, largest_stated
from auditlib.ingest import read_report
from auditlib.iorw import write_json_atomic
from auditlib.outline import Section
from auditlib.render.html import (KIND_ZH, esc, frame_html, memo_css, pct, severity_badge, table, td, wan)
from auditlib.render.svg import Reference, Series, bar_chart

PARTS = ("header", "verdict", "figures", "charts", "findings", "outline", "appendix")
MAX_CHART_ROWS = 20


def load_registry(project_root: Path) -> dict[str, dict[str, str]]:
    """data/units.csv by unit id (empty when there is none)."""
    path = project_root / "data" / "units.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return {row["unit_id"]: row for row in csv.DictReader(stream)}


@dataclass
class Memo:
    """Everything a memo shows, and how to show each part."""

    unit: str
    year: int
    extraction: Extraction
    result: CheckResult
    registry: dict[str, str] = field(default_factory=dict)
    output_dir: Path = Path("outputs")
    run_date: str = field(default_factory=lambda: dt.datetime.now().strftime("%Y-%m-%d %H:%M"))

    # --- data ---

    @property
    def facts(self):
        """The extracted headline facts."""
        return self.extraction.facts

    def summary(self) -> dict[str, Any]:
        """The JSON record a batch keeps of this memo: source, facts, counts and findings."""
        data = self.extraction.to_dict()
        return {"unit": self.unit, "year": self.year, "auditlib_version": __version__, "run_date": self.run_date,
                "registry": self.registry, "source": data["source"], "facts": data["facts"],
                "counts": self.result.counts(), "findings": [f.to_dict() for f in self.result.findings]}

    def save(self) -> Path:
        """Write the summary JSON to <output_dir>/data/<unit>-<year>.json (atomically)."""
        return write_json_atomic(self.output_dir / "data" / f"{self.unit}-{self.year}.json", self.summary())

    def write_parts(self, path: Path) -> Path:
        """Write every part's HTML as JSON, for a notebook to display without recomputing."""
        return write_json_atomic(path, {part: self.html(part) for part in PARTS})

    # --- parts ---

    def html(self, part: str) -> str:
        """One part of the memo as HTML."""
        if part not in PARTS:
            raise ValueError(f"unknown memo part {part!r}; parts are {', '.join(PARTS)}")
        return f'<div class="auditlib memo-{part}">{getattr(self, "_" + part)()}</div>'

    def full_html(self) -> str:
        """Every part, in order (for a quick look outside a notebook)."""
        return "".join(self.html(part) for part in PARTS)

    def show(self, part: str) -> None:
        """Display one part in a notebook."""
        from IPython.display import HTML, display

        display(HTML(self.html(part)))

    def _header(self) -> str:
        facts, source = self.facts, self.extraction.document.source
        name = self.registry.get("full_name") or facts.unit_name or self.unit
        region = " ".join(filter(None, [self.registry.get("province"), self.registry.get("region") or facts.region]))
        year = facts.fiscal_year or self.year
        year_note = "" if facts.fiscal_year in (None, self.year) else f"（报告所述年度为{facts.fiscal_year}，参数为{self.year}）"
        project = f" · 项目：{esc(facts.project_name)}" if facts.project_name else ""
        return (f"<style>{memo_css()}</style>"
                f"<h1>{esc(name)} {esc(year)}年度绩效自评报告审核备忘录</h1>"
                f'<p class="meta">地区：{esc(region or None)} · 年度：{esc(year)}{esc(year_note) if year_note else ""} · '
                f"类型：{esc(KIND_ZH.get(facts.kind))}{project}<br>"
                f"来源文件：{esc(Path(source.path).name)}（{esc(source.format)}，{esc(source.encoding)}）"
                f"SHA-256：<code>{esc(source.sha256)}</code><br>"
                f"auditlib {esc(__version__)} · 生成时间：{esc(self.run_date)}</p>")

    def _verdict(self) -> str:
        counts = self.result.counts()
        badges = "".join(f"<span>{severity_badge(s)} {counts[s]}项</span>" for s in SEVERITIES)
        serious = [f for f in self.result.findings if f.severity != "info"][:3]
        if not serious:
            return (f'<h2>结论</h2><div class="verdict clean"><p class="counts">{badges}</p>'
                    "<p>未发现需要关注的问题。</p></div>")
        items = "".join(f"<li>{severity_badge(f.severity)} {esc(f.message)}"
                        f'{"（第" + esc(f.line) + "行）" if f.line else ""}</li>' for f in serious)
        return (f'<h2>结论</h2><div class="verdict"><p class="counts">{badges}</p>'
                f"<p>最需关注的问题：</p><ol>{items}</ol></div>")

    def _figures(self) -> str:
        facts, params = self.facts, self.result.params
        recomputed_rate = (facts.spent_wan / facts.budget_wan
                           if facts.spent_wan is not None and facts.budget_wan else None)
        stated_rate = facts.execution_rate if facts.execution_rate_source == "stated" else None
        received_amount = largest_stated(self.extraction.amounts, self.extraction.breakdowns, "received")
        received = received_amount.value_wan if received_amount else None
        expected_grade = params.grade_for(facts.self_score) if facts.self_score is not None else None
        cap = params.score_cap(facts.execution_rate) if facts.execution_rate is not None else None
        rate = facts.execution_rate
        rate_flag = (rate is not None and not params.low_execution_rate <= rate <= params.max_rate) or (
            stated_rate is not None and recomputed_rate is not None and abs(stated_rate - recomputed_rate) > 0.001)
        rows = [
            ("预算数（万元）", wan(facts.budget_wan), "—", False),
            ("到位资金（万元）", wan(received),
             pct(received / facts.budget_wan - 1) if received is not None and facts.budget_wan else "—",
             received is not None and bool(facts.budget_wan)
             and abs(received / facts.budget_wan - 1) > params.large_change),
            ("支出数（万元）", wan(facts.spent_wan), "—", False),
            ("预算执行率", pct(stated_rate), pct(recomputed_rate if recomputed_rate is not None else rate), rate_flag),
            ("自评得分", esc(facts.self_score), f"上限 {cap:.1f}" if cap is not None else "—",
             cap is not None and facts.self_score is not None and facts.self_score > cap + 0.05),
            ("等级", esc(facts.grade), esc(expected_grade),
             facts.grade is not None and expected_grade is not None and facts.grade != expected_grade),
        ]
        flags = [row[3] for row in rows]
        body = [[td(esc(label)), td(stated, True), td(recomputed, True), td("⚠ 不一致或超限" if flag else "")]
                for (label, stated, recomputed, _), flag in zip(rows, flags)]
        note = (f"到位资金“复核”为较预算的变动，超过{params.large_change:.0%}即标出；执行率“复核”为支出数÷预算数，低于{params.low_execution_rate:.0%}或高于{params.max_rate:.0%}即标出；自评得分上限按预算执行率占"
                f"{params.budget_execution_points:g}分、按执行率比例得分计算。")
        return (f"<h2>关键数据</h2>{table(['项目', '报告所述', '复核', ''], body, row_classes=['disagree' if f else '' for f in flags])}"
                f'<p class="note">{esc(note)}</p>')

    def _charts(self) -> str:
        parts = ["<h2>图表</h2>"]
        lines = [line for line in self.extraction.budget_lines
                 if (line.value("budget") or line.value("adjusted_budget")) and line.value("spent") is not None]
        unique = {}
        for line in lines:
            unique.setdefault((line.label, line.value("budget"), line.value("spent")), line)
        lines = list(unique.values())[:MAX_CHART_ROWS]
        if lines:
            labels = [line.label or f"第{line.evidence.line}行" for line in lines]
            budgets = tuple(line.value("adjusted_budget") or line.value("budget") for line in lines)
            spent = tuple(line.value("spent") for line in lines)
            parts.append(bar_chart("预算与支出（万元）", labels, [Series("预算", "#9fb8d6", budgets),
                                                             Series("支出", "#2f6f9f", spent)]))
        rates = self.result.tables.get("rates")
        if rates is not None and not rates.empty:
            shown = rates.head(MAX_CHART_ROWS)
            params = self.result.params
            parts.append(bar_chart(
                "执行率（%）", [str(label) for label in shown["label"]],
                [Series("执行率/到位率", "#b86e00", tuple(float(v) * 100 for v in shown["value"]))],
                (Reference(params.low_execution_rate * 100, f"{params.low_execution_rate * 100:g}%", "#b86e00"),
                 Reference(params.max_rate * 100, f"{params.max_rate * 100:g}%")), value_format="{:.1f}"))
        items = [i for i in self.extraction.score_items if i.weight is not None and i.level > 0]
        if items:
            parts.append(bar_chart(
                "指标得分与分值", [i.name for i in items][:MAX_CHART_ROWS],
                [Series("分值", "#c9c9c9", tuple(i.weight for i in items)[:MAX_CHART_ROWS]),
                 Series("得分", "#2e7d32", tuple(i.score for i in items)[:MAX_CHART_ROWS])]))
        if len(parts) == 1:
            parts.append('<p class="note">报告中没有可作图的预算行、执行率或指标分值。</p>')
        return "".join(parts)

    def _findings(self) -> str:
        findings = self.result.findings
        if not findings:
            return '<h2>审核发现</h2><p class="note">无。</p>'
        rows = [[td(severity_badge(f.severity)), td(f"<code>{esc(f.rule)}</code>"), td(esc(f.message)),
                 td(esc(f.section or None)), td(esc(f.line), True), td(f"<blockquote>{esc(f.evidence or None)}</blockquote>")]
                for f in findings]
        return "<h2>审核发现</h2>" + table(["级别", "规则", "说明", "章节", "行", "原文"], rows, classes="findings")

    def _outline(self) -> str:
        marks: dict[int, list[str]] = {}
        for finding in self.result.findings:
            if finding.rule in ("section.empty", "section.numbering") and finding.line:
                label = "无内容" if finding.rule == "section.empty" else "编号问题"
                marks.setdefault(finding.line, []).append(label)

        def render(section: Section) -> str:
            flags = marks.get(section.line, [])
            mark = "".join(f'<span class="mark bad">⚠ {esc(m)}</span>' for m in flags)
            children = "".join(render(child) for child in section.children)
            nested = f"<ul>{children}</ul>" if children else ""
            return (f'<li><span class="{"bad" if flags else ""}">{esc(section.heading_text)}</span>'
                    f'<span class="mark note">第{section.line}行 · {section.body_chars}字</span>{mark}{nested}</li>')

        tree = "".join(render(section) for section in self.extraction.outline.root.children)
        missing = [f.expected for f in self.result.findings if f.rule == "section.missing"]
        missing_html = (f'<p class="bad">缺少部分：{esc("、".join(map(str, missing)))}</p>' if missing else "")
        body = f"<ul>{tree}</ul>" if tree else '<p class="note">未识别到编号标题。</p>'
        return f'<h2>报告结构</h2><div class="outline">{body}{missing_html}</div>'

    def _appendix(self) -> str:
        frames = self.extraction.frames()
        titles = {"budget_lines": "预算行", "breakdowns": "合计与分项", "scores": "评分表与权重", "indicators": "绩效指标"}
        parts = ["<h2>附录：提取的数据</h2>"]
        for key, title in titles.items():
            parts.append(f"<h3>{esc(title)}</h3>{frame_html(frames[key])}")
        return "".join(parts)


def build_memo(unit: str, year: int, extraction: Extraction, params: CheckParams | None = None,
               registry: dict[str, str] | None = None, output_dir: Path | str = "outputs") -> Memo:
    """Check an extraction and wrap it as a memo."""
    return Memo(unit, year, extraction, check(extraction, params), registry or {}, Path(output_dir))


@dataclass(frozen=True)
class RenderedMemo:
    """A memo already rendered by a batch worker: its parts' HTML, shown as they are."""

    parts: dict[str, str]

    @classmethod
    def load(cls, path: str | Path) -> "RenderedMemo":
        """Read the parts a worker wrote with Memo.write_parts."""
        import json

        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def html(self, part: str) -> str:
        """One part of the memo as HTML."""
        return self.parts[part]

    def show(self, part: str) -> None:
        """Display one part in a notebook."""
        from IPython.display import HTML, display

        display(HTML(self.html(part)))


def memo_for(unit: str, year: int, report_path: str, thresholds: dict | None = None, output_dir: str = "outputs",
             project_root: str = ".", rendered: str = "") -> Memo | RenderedMemo:
    """The notebook's entry: the parts a batch worker rendered, or (run by hand) read, check and save now."""
    if rendered:
        return RenderedMemo.load(rendered)
    memo = memo_from_params(unit, year, report_path, thresholds, output_dir, project_root)
    memo.save()
    return memo


def memo_from_params(unit: str, year: int, report_path: str, thresholds: dict | None = None,
                     output_dir: str = "outputs", project_root: str = ".") -> Memo:
    """Read, extract and check one unit's report as a notebook's parameters describe it."""
    root = Path(project_root).resolve()
    path = Path(report_path)
    path = path if path.is_absolute() else root / path
    output = Path(output_dir)
    output = output if output.is_absolute() else root / output
    registry = load_registry(root).get(unit, {})
    return build_memo(unit, int(year), extract(read_report(path)), CheckParams.from_mapping(thresholds),
                      registry, output)
