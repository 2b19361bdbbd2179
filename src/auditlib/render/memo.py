"""The audit memo of one unit and year: parts of escaped HTML, in Chinese, rendered from an `AuditRecord` alone.

Render only renders: every flag, colour and recommendation shown comes from the record (its findings, figures
and exhibits), and findings reach the figures, rows and bars they are about through their fingerprints. A memo
rebuilt from the record the store holds is the same memo. What the auditor reads holds nothing of the machinery:
versions, hashes and fingerprints stand in the closing 技术信息 part.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditlib.iorw import write_bytes_atomic
from auditlib.record import (APPROVE, EXPLAIN, RECOMMENDATIONS, RESOLVED, RETURN, SEVERITIES, AuditRecord, Chart,
                             Figure, Finding)
from auditlib.render.html import (KIND_ZH, amount, blank, css_string, esc, lines_text, memo_css, number,
                                  percent, place, rule_label, rule_of, severity_badge, strip_residue, table, td)
from auditlib.render.svg import Reference, Series, bar_chart

PARTS = ("header", "verdict", "figures", "rescoring", "history", "charts", "findings", "outline", "appendix",
         "technical")
FLAGGED_COLOR = "#b3261e"
SERIES_COLORS = {"预算": "#9fb8d6", "支出": "#2f6f9f", "比率": "#b86e00", "分值": "#c9c9c9", "得分": "#2e7d32"}
REFERENCE_COLORS = ("#b86e00", "#c0392b")
LEVEL_ZH = {1: "一级指标", 2: "二级指标", 3: "三级指标"}
RATE_KIND_ZH = {"execution": "执行率", "funding": "到位率"}
SOURCE_ZH = {"table": "评分表", "prose": "正文", "stated": "报告所述", "computed": "按金额计算"}
MEASURE_ZH = {"requested": "申请数", "budget": "预算数", "adjusted_budget": "调整后预算", "received": "到位资金",
              "spent": "支出数", "balance": "结余", "increase": "增加", "decrease": "减少", "amount": "金额"}
NATURE_ZH = {"≥": "≥", "≤": "≤", "=": "＝", "qualitative": "定性"}
STATUS_ZH = {"checked": "✓ 复核未发现问题", "unverified": "未能核实", "missing": ""}
REVIEW_CSS = {"待复核": "pending", "已确认": "confirmed", "已排除": "dismissed"}
RECOMMENDATION_CSS = {APPROVE: "approve", EXPLAIN: "explain", RETURN: "return"}
MAX_COPIED_SHOWN = 30


class Memo:
    """Everything a memo shows, and how to show each part, from one audit record.

    Made from an AuditRecord, or (for callers that hold one) from an audit whose `record(memo=…)` gives it."""

    def __init__(self, source: Any, output_dir: str | Path = "outputs") -> None:
        self.output_dir = Path(output_dir)
        if isinstance(source, AuditRecord):
            self.record = source
        else:
            self.record = source.record(memo=f"{source.unit}-{source.year}.html")
        if not self.record.memo:
            self.record.memo = self.file_name

    @classmethod
    def from_json(cls, path: str | Path, output_dir: str | Path | None = None) -> "Memo":
        """The memo of a stored record (data/<unit>-<year>.json)."""
        path = Path(path)
        record = AuditRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
        return cls(record, output_dir if output_dir is not None else path.parent.parent)

    @property
    def stem(self) -> str:
        """<unit>-<year>: the name of every file of this memo."""
        return f"{self.record.unit}-{self.record.year}"

    @property
    def file_name(self) -> str:
        """The memo's file name in the output folder."""
        return f"{self.stem}.html"

    @property
    def title(self) -> str:
        """The page title: the unit as the report names it, the year, and what the page is."""
        return f"{self.record.display_name} {self.record.year}年度 绩效自评报告审核备忘录"

    # --- files ---

    def save(self) -> Path:
        """Write the audit record to <output_dir>/data/<unit>-<year>.json (atomically)."""
        from auditlib.iorw import write_json_atomic

        return write_json_atomic(self.output_dir / "data" / f"{self.stem}.json", self.record.to_dict())

    def write_parts(self, path: Path) -> Path:
        """Write every part's HTML as JSON, for a notebook to display without recomputing."""
        from auditlib.iorw import write_json_atomic

        return write_json_atomic(path, {part: self.html(part) for part in PARTS})

    def page(self) -> str:
        """The memo as one self-contained HTML page: every part, our stylesheet, no script, nothing fetched,
        exported by nbconvert with auditlib's template from a notebook that shows the parts, as the unit notebook
        does (so a memo saved from the notebook by hand and one made by a batch are the same page)."""
        from auditlib.render.export import parts_to_html

        return parts_to_html([self.html(part) for part in PARTS], self.title)

    def write(self, output_dir: str | Path | None = None) -> dict[str, Path]:
        """Write the HTML memo and the Word memo (审核意见书) to output_dir: <unit>-<year>.html and .docx."""
        from auditlib.render.docx import write_docx

        folder = Path(output_dir) if output_dir is not None else self.output_dir
        html = write_bytes_atomic(folder / self.file_name, self.page().encode("utf-8"))
        return {"memo": html, "docx": write_docx(self.record, folder / f"{self.stem}.docx")}

    # --- parts ---

    def html(self, part: str) -> str:
        """One part of the memo as HTML."""
        if part not in PARTS:
            raise ValueError(f"unknown memo part {part!r}; parts are {', '.join(PARTS)}")
        return f'<div class="auditlib memo-{part}">{getattr(self, "_" + part)()}</div>'

    def full_html(self) -> str:
        """Every part, in order."""
        return "".join(self.html(part) for part in PARTS)

    def show(self, part: str) -> None:
        """Display one part in a notebook."""
        from IPython.display import HTML, display

        display(HTML(self.html(part)))

    def _header(self) -> str:
        record = self.record
        year = record.fiscal_year or record.year
        year_note = "" if record.fiscal_year in (None, record.year) else \
            f"（报告所述年度为{record.fiscal_year}，参数为{record.year}）"
        project = f" · 项目：{esc(record.project_name)}" if record.project_name else ""
        running = css_string(f"{record.display_name} {year}年度 审核备忘录")
        return (f"<style>{memo_css()}@page {{ @top-center {{ content: {running}; }} }}</style>"
                f"<h1>{esc(record.display_name)} {esc(year)}年度绩效自评报告审核备忘录</h1>"
                f'<p class="meta">地区：{blank(place(record.region, record.province)) or "未载明"} · '
                f"年度：{esc(year)}{esc(year_note)} · 类型：{esc(KIND_ZH.get(record.kind))}{project} · "
                f"来源文件：{esc(record.source_name)} · 审核日期：{esc(record.run_date[:10])}</p>")

    def _verdict(self) -> str:
        record = self.record
        counts = record.counts
        badges = "".join(f"<span>{severity_badge(s)} {counts.get(s, 0)}项</span>" for s in SEVERITIES)
        serious = [(i, f) for i, f in enumerate(record.findings) if f.severity != "info"][:3]
        items = "".join(f'<li>{severity_badge(f.severity)} <a href="#{AuditRecord.anchor(i)}">{esc(f.message)}</a>'
                        f'{"（第" + esc(f.line) + "行）" if f.line else ""}</li>' for i, f in serious)
        top = f"<p>最需关注的问题：</p><ol>{items}</ol>" if items else ""
        return (f'<h2>结论</h2><div class="verdict verdict-{RECOMMENDATION_CSS.get(record.recommendation, "")}">'
                f'<p class="verdict-sentence">{esc(record.verdict)}</p>'
                f'<p class="recommendation">审核意见：<strong>{esc(record.recommendation)}</strong>。依据：'
                f'{esc(RECOMMENDATIONS.get(record.recommendation))}</p>'
                f'<p class="counts">{badges}</p>{self._review_summary()}{top}</div>')

    def _review_summary(self) -> str:
        record = self.record
        if not record.findings and not record.resolved:
            return ""
        counts = "，".join(f"{status}{count}项" for status, count in record.review_counts.items())
        resolved = f"；以前的复核决定中有{len(record.resolved)}项所指的问题本次已不再出现（见审核发现后的列表）" \
            if record.resolved else ""
        return f'<p class="review-counts">复核情况：{esc(counts)}{esc(resolved)}。</p>'

    def _flag_links(self, found: list[tuple[int, Finding]]) -> str:
        links = "".join(f'<li><a href="#{AuditRecord.anchor(i)}">⚠ {esc(rule_label(f))}'
                        f'{"（第" + esc(f.line) + "行）" if f.line else ""}</a></li>' for i, f in found)
        return f'<ul class="flags">{links}</ul>' if links else ""

    def _figures(self) -> str:
        rows, flags = [], []
        for figure in self.record.figures:
            verdict = self._flag_links(self.record.figure_findings(figure)) if figure.flagged \
                else esc(STATUS_ZH.get(figure.status, ""))
            rows.append([td(esc(figure.label)), td(_figure_value(figure), True), td(_source_html(figure)),
                         td(esc(figure.reviewed)), td(verdict)])
            flags.append("disagree" if figure.flagged else "")
        note = ("“来源”：报告所述的数字注明所在行和原话；报告没有直接写出、由本次审核按报告所列数字计算的，注明计算所用"
                "的行和算法。“复核”为按报告自身所列数字复核的结果；标出⚠的，是审核发现中针对该数字的问题；"
                "“未能核实”表示报告中没有可与之核对的数字。")
        return (f"<h2>关键数据</h2>{table(['项目', '数值', '来源', '复核', '结论'], rows, classes='figures', row_classes=flags)}"
                f'<p class="note">{esc(note)}</p>')

    def _history(self) -> str:
        comparison = self.record.year_over_year
        if comparison is None:
            return ('<h2>与以前年度比较</h2><p class="note">输出文件夹的审核记录和数据库中没有该单位更早年度的审核，'
                    "无从比较。</p>")
        before, after = f"{comparison.earlier_year}年度", f"{comparison.year}年度"
        source = f"（{comparison.earlier_year}年度数据取自{comparison.source}中该年度最近一次审核）" if comparison.source else ""
        rows, marks = [], []
        for change in comparison.changes:
            rows.append([td(esc(change.label)), td(_value(change.before, change.unit), True),
                         td(_value(change.after, change.unit), True), td(esc(_delta(change)), True)])
            marks.append("changed" if change.changed else "")
        return "".join([f"<h2>与以前年度比较</h2><p>与{esc(before)}相比{esc(source)}：</p>",
                        table(["项目", esc(before), esc(after), "变化"], rows, classes="history", row_classes=marks),
                        _targets_html(comparison, before), _copied_html(comparison, before)])

    def _rescoring(self) -> str:
        """The self-evaluation table re-scored under its rule set: per row claimed against recomputed, with the
        formula; the totals and grades side by side; the rows that could not be re-scored, counted."""
        record = self.record
        head = (f'<h2>按规则集复核评分</h2><p class="note">规则集：{esc(record.rule_set_description or record.rule_set_name)}。'
                f"依据：{esc(record.rule_set_source)}。</p>")
        if not record.rescored:
            return head + '<p class="note">报告中没有可复核的自评表（带分值和得分的绩效指标表或资金执行行）。</p>'
        rows, classes = [], []
        for row in record.rescored:
            links = self._flag_links(record.findings_by_id(row.finding_ids))
            verdict = links or esc("未复核：" + row.not_rescored if row.not_rescored else "一致")
            rows.append([td(esc(row.name)), td(esc("预算执行" if row.kind == "execution" else NATURE_ZH.get(row.nature, ""))),
                         td(esc(number(row.weight)), True), td(esc(number(row.claimed)), True),
                         td(esc(number(row.recomputed)), True), td(esc(row.formula)), td(verdict),
                         td(blank(row.line), True)])
            classes.append("disagree" if links else "")
        claimed = f"{number(record.claimed_table_score)}分" if record.claimed_table_score is not None else "未载明"
        recomputed = f"{number(record.recomputed_score)}分" if record.recomputed_score is not None else "无法汇总"
        excess = record.score_excess
        gap = f"，自评高出{number(excess)}分" if excess and excess > 0 else (f"，自评低{number(-excess)}分" if excess else "")
        summary = (f'<p class="rescoring-totals">表内自评：<strong>{esc(claimed)}</strong>'
                   f'（等级 {esc(record.claimed_table_grade or "未载明")}） · 复核：<strong>{esc(recomputed)}</strong>'
                   f'（等级 {esc(record.recomputed_grade or "—")}）{esc(gap)}</p>')
        skipped = [row for row in record.rescored if row.not_rescored]
        reasons = "、".join(sorted({row.not_rescored for row in skipped}))
        note = (f"共{len(record.rescored)}行，复核{len(record.rescored) - len(skipped)}行，未复核{len(skipped)}行"
                + (f"（{reasons}；汇总时按自评得分计）" if skipped else "") + "。"
                "复核得分按规则集公式和报告所列数值计算；定性指标按达成程度的得分区间复核。")
        return head + summary + table(["指标", "性质", "分值", "自评得分", "复核得分", "计算方法", "结论", "行"], rows,
                                      classes="rescoring", row_classes=classes) + f'<p class="note">{esc(note)}</p>'

    def _charts(self) -> str:
        charts = [_chart_html(chart) for chart in self.record.charts]
        if not charts:
            return '<h2>图表</h2><p class="note">报告中没有可作图的预算行、执行率或指标分值。</p>'
        flagged = any(ids for chart in self.record.charts for ids in chart.flagged)
        note = '<p class="note">红色的条形有审核发现（见下文）。</p>' if flagged else ""
        return "<h2>图表</h2>" + "".join(charts) + note

    def _findings(self) -> str:
        record = self.record
        if not record.findings:
            return '<h2>审核发现</h2><p class="note">无。</p>'
        blocks = "".join(_finding_html(record, index, finding) for index, finding in enumerate(record.findings))
        note = ('<p class="note">每项发现的复核状态：待复核（尚无复核决定）、已确认、已排除。'
                "编号与审核发现表（findings.xlsx）的底稿编号末两位一致。</p>")
        return f'<h2>审核发现</h2><div class="findings">{blocks}</div>{note}{self._resolved_html()}'

    def _resolved_html(self) -> str:
        resolved = self.record.resolved
        if not resolved:
            return ""
        rows = [[td(esc(d.status)), td(esc(rule_label(d))), td(f"<blockquote>{strip_residue(d.quote)}</blockquote>"),
                 td(blank(d.reviewer)), td(blank(_when(d.decided_at))), td(blank(d.note))] for d in resolved]
        return (f"<h3>{esc(RESOLVED)}的复核决定（{len(rows)}项）</h3>"
                '<p class="note">以下复核决定所指的审核发现在本次审核中已不再出现：报告已改正，或该处文字、数字已有改动'
                "（改动后的问题如仍存在，列在上文中，状态为待复核）。</p>"
                + table(["原决定", "问题类型", "原文", "复核人", "时间", "说明"], rows, classes="resolved"))

    def _outline(self) -> str:
        marks: dict[int, list[str]] = {}
        for finding in self.record.findings:
            if (known := rule_of(finding.rule)) is not None and known.outline and finding.line:
                marks.setdefault(finding.line, []).append(rule_label(finding))
        items = []
        for entry in self.record.outline:
            flags = marks.get(entry.line, [])
            mark = "".join(f'<span class="mark bad">⚠ {esc(m)}</span>' for m in flags)
            items.append(f'<li class="depth-{min(entry.depth, 4)}"><span class="{"bad" if flags else ""}">'
                         f'{esc(strip_residue(entry.heading, escape=False))}</span>'
                         f'<span class="mark note">第{entry.line}行 · {entry.chars}字</span>{mark}</li>')
        missing = [f.expected for f in self.record.findings
                   if (known := rule_of(f.rule)) is not None and known.lists_missing_part]
        missing_html = f'<p class="bad">缺少部分：{esc("、".join(map(str, missing)))}</p>' if missing else ""
        body = f'<ul>{"".join(items)}</ul>' if items else '<p class="note">未识别到编号标题。</p>'
        return f'<h2>报告结构</h2><div class="outline">{body}{missing_html}</div>'

    def _appendix(self) -> str:
        tables = "".join(f"<h3>{esc(title)}</h3>{rows_html(self.record.tables.get(key) or [], columns)}"
                         for key, (title, columns) in APPENDIX.items())
        # The extracted rows are for the screen: a printed memo says where they are instead of filling pages.
        return ('<h2>附录：提取的数据</h2><p class="note print-only">从报告中提取的预算行、合计与分项、评分表和绩效指标'
                f'见电子版备忘录（HTML）的本附录。</p><div class="no-print">{tables}</div>')

    def _technical(self) -> str:
        record = self.record
        versions = "，".join(f"{name} {version}" for name, version in record.versions.items() if version)
        rows = [["来源文件", record.source_name], ["文件格式与编码", "，".join(filter(None, [record.source_format, record.encoding]))],
                ["来源文件 SHA-256", record.sha256], ["规则集", f"{record.rule_set_name}（{record.rule_set}）" if record.rule_set else ""],
                ["生成程序", versions], ["生成时间", record.run_date]]
        facts = table(["项目", "内容"], [[td(esc(name)), td(f"<code>{esc(value)}</code>" if "SHA" in name else blank(value))]
                                      for name, value in rows], classes="technical")
        prints = "　".join(f'<span class="fp-item">{i + 1:02d} <code class="fp">{esc(f.fingerprint)}</code></span>'
                          for i, f in enumerate(record.findings))
        prints = f'<p class="fingerprints">各项审核发现的指纹：{prints}</p>' if prints else ""
        return ('<h2>技术信息</h2><p class="note">供复核和存档使用：审核所依据的文件、程序版本，以及各项审核发现的指纹'
                "（指纹在报告其他部分改动后不变，复核决定据此对应到审核发现）。</p>" + facts + prints)


def _figure_value(figure: Figure) -> str:
    if figure.value is None:
        return '<span class="note">报告未载明</span>'
    return esc(amount(figure.value, figure.unit))


def _source_html(figure: Figure) -> str:
    """报告所述 with its line and words, or 计算 with the lines it is computed from and how."""
    if figure.value is None:
        return ""
    if figure.basis == "computed":
        what = lines_text(figure.lines) + figure.how
        return f'<span class="basis basis-computed">计算</span> {esc(what or "按报告所列金额计算")}'
    where = figure.where
    if where is None:
        return '<span class="basis">报告所述</span>'
    line = f'第{esc(where.line)}行{"（" + esc(where.section) + "）" if where.section else ""}' if where.line else ""
    return (f'<span class="basis basis-stated">报告所述</span> <span class="note">{line}</span>'
            f"<blockquote>{strip_residue(where.quote)}</blockquote>")


def _finding_html(record: AuditRecord, index: int, finding: Finding) -> str:
    """One finding as a block that may break across pages: what, where, the quoted words, its review."""
    where = " · ".join(filter(None, [f"第{finding.line}行" if finding.line and not finding.location else "",
                                     finding.location, finding.section and f"章节 {finding.section}"]))
    review = record.review_of(index)
    who = " · ".join(filter(None, [review.reviewer, review.decided_at[:10], review.note]))
    evidence = strip_residue(finding.evidence)
    return (f'<div class="finding finding-{esc(finding.severity)}" id="{AuditRecord.anchor(index)}">'
            f'<p class="finding-head"><span class="finding-no" title="{esc(record.workpaper_ref(index))}">'
            f"{index + 1:02d}</span> {severity_badge(finding.severity)} "
            f'<span class="rule" title="{esc(finding.rule)}">{esc(rule_label(finding))}</span>'
            f'<span class="finding-where">{esc(where)}</span>'
            f'<span class="status status-{REVIEW_CSS.get(review.status, "pending")}">{esc(review.status)}</span></p>'
            f'<p class="finding-message">{esc(finding.message)}</p>'
            + (f"<blockquote>{evidence}</blockquote>" if evidence else "")
            + (f'<p class="review-note">复核：{esc(who)}</p>' if who else "") + "</div>")


def _chart_html(chart: Chart) -> str:
    flagged = chart.flagged
    series = [Series(item.name, SERIES_COLORS.get(item.name, "#2f6f9f"), item.values,
                     tuple(FLAGGED_COLOR if index < len(flagged) and flagged[index] else None
                           for index in range(len(item.values))) if flagged else ())
              for item in chart.series]
    references = tuple(Reference(value, label, REFERENCE_COLORS[min(index, 1)])
                       for index, (value, label) in enumerate(chart.references))
    svg = bar_chart(chart.title, list(chart.labels), series, references, chart.value_format, chart.maximum)
    return svg + (f'<p class="note">{esc(chart.note)}</p>' if chart.note else "")


def _targets_html(comparison, before: str) -> str:
    if not comparison.targets_compared:
        return (f'<p class="note">{esc(before)}的审核记录由旧版 auditlib 生成，未保存绩效指标，无法比较指标变化'
                "（重新审核该年度即可）。</p>")
    if comparison.earlier_targets and not comparison.targets:
        return (f'<p class="note">本年度报告中未读到绩效指标（{esc(before)}列有{comparison.earlier_targets}项），'
                "无法比较指标变化。</p>")
    if not comparison.dropped and not comparison.lowered:
        return f'<p class="note">绩效指标：与{esc(before)}相比，没有删去的指标，也没有调低的目标值。</p>' \
            if comparison.earlier_targets else ""
    parts = ["<h3>绩效指标的变化</h3>"]
    if comparison.dropped:
        rows = [[td(esc(target.name)), td(esc(target.planned))] for target in comparison.dropped]
        parts.append(f"<p>{esc(before)}有、本年度不再列出的指标（{len(rows)}项）：</p>"
                     + table(["指标", f"{esc(before)}目标值"], rows, classes="history-dropped"))
    if comparison.lowered:
        rows = [[td(esc(change.name)), td(esc(change.before)), td(esc(change.after)),
                 td("上限提高" if change.direction == "≤" else "目标降低")] for change in comparison.lowered]
        parts.append(f"<p>目标值较{esc(before)}放宽的指标（{len(rows)}项）：</p>"
                     + table(["指标", f"{esc(before)}目标值", "本年度目标值", "变化"], rows, classes="history-lowered"))
    return "".join(parts)


def _copied_html(comparison, before: str) -> str:
    copied = comparison.copied
    if not comparison.sentences_compared:
        return (f'<p class="note">{esc(before)}的审核记录由旧版 auditlib 生成，未保存原因和措施的句子，无法比较'
                "是否照抄（重新审核该年度即可）。</p>")
    if not copied:
        return f'<p class="note">原因、问题和措施部分没有与{esc(before)}逐字相同的长句。</p>'
    rows = [[td(blank(item.section)), td(esc(item.line), True), td(f"<blockquote>{strip_residue(item.text)}</blockquote>"),
             td(f"{blank(item.earlier_section)} 第{esc(item.earlier_line)}行")] for item in copied[:MAX_COPIED_SHOWN]]
    more = f"另有{len(copied) - MAX_COPIED_SHOWN}句未列出。" if len(copied) > MAX_COPIED_SHOWN else ""
    return (f"<h3>与{esc(before)}逐字相同的表述（{len(copied)}句）</h3>"
            f'<p class="note">原因、问题和措施部分中与上一年度报告逐字相同的句子（不少于20字），可能是照抄上年，'
            f"请核实其是否仍符合本年度情况。{esc(more)}</p>"
            + table(["章节", "行", "本年度原文", f"{esc(before)}出处"], rows, classes="history-copied"))


def _when(decided_at: str) -> str:
    """2026-12-01 10:00 from an ISO time (the zone and seconds are in the review file)."""
    return decided_at[:16].replace("T", " ")


def _value(value: Any, unit: str) -> str:
    if value is None:
        return '<span class="note">未载明</span>'
    return esc(amount(value, unit))


def _delta(change) -> str:
    """The change in words: +12.5万元（+10.2%）, +3.1个百分点, 良 → 优."""
    delta = change.delta
    if delta is None:
        if not change.changed:
            return "不变"
        return "本年度未载明" if change.after is None else "上年度未载明" if change.before is None else \
            f"{change.before} → {change.after}"
    if abs(delta) < 1e-9:
        return "不变"
    sign = "+" if delta > 0 else "−"
    if change.unit == "%":
        return f"{sign}{abs(delta) * 100:.2f}".rstrip("0").rstrip(".") + "个百分点"
    text = f"{sign}{number(abs(delta))}{change.unit}".strip()
    if change.unit == "万元" and change.before:
        text += f"（{sign}{abs(delta) / abs(change.before) * 100:.1f}%）"
    return text


def _words(mapping: dict[Any, str]):
    return lambda value: "" if blank(value) == "" else blank(mapping.get(value, value))


def _integer(value: Any) -> str:
    return "" if blank(value) == "" else esc(int(value))


def _unsigned(value: Any) -> str:
    """An amount whose direction its label already says (减少44.99, not 减少-44.99)."""
    return number(abs(value)) if isinstance(value, (int, float)) else number(value)


def _text(value: Any) -> str:
    return "" if blank(value) == "" else strip_residue(str(value))


APPENDIX: dict[str, tuple[str, dict[str, tuple[str, Any]]]] = {
    "budget_lines": ("预算行", {
        "label": ("项目", _text), "requested_wan": ("申请数（万元）", number), "budget_wan": ("预算数（万元）", number),
        "adjusted_budget_wan": ("调整后预算（万元）", number), "received_wan": ("到位资金（万元）", number),
        "spent_wan": ("支出数（万元）", number), "balance_wan": ("结余（万元）", number),
        "stated_rate": ("所述比率", percent), "rate_label": ("报告用语", blank),
        "rate_kind": ("比率类型", _words(RATE_KIND_ZH)), "section": ("章节", blank), "line": ("行", _integer)}),
    "breakdowns": ("合计与分项", {
        "total_label": ("合计项", _text), "total_measure": ("合计口径", _words(MEASURE_ZH)),
        "total_wan": ("合计（万元）", _unsigned), "part_label": ("分项", _text),
        "part_measure": ("分项口径", _words(MEASURE_ZH)), "part_wan": ("分项（万元）", _unsigned),
        "stated_count": ("所称项数", _integer), "section": ("章节", blank), "line": ("行", _integer)}),
    "scores": ("评分表与权重", {
        "name": ("指标", _text), "level": ("层级", _words({0: "合计", **LEVEL_ZH})), "parent": ("上级指标", _text),
        "weight": ("分值", number), "score": ("得分", number), "grade": ("等级", blank),
        "source": ("出处", _words(SOURCE_ZH)), "section": ("章节", blank), "line": ("行", _integer)}),
    "indicators": ("绩效指标", {
        "level1": ("一级指标", _text), "level2": ("二级指标", _text), "name": ("三级指标", _text),
        "planned": ("年度指标值", _text), "achieved": ("实际完成值", _text), "weight": ("分值", number),
        "score": ("得分", number), "section": ("章节", blank), "line": ("行", _integer)}),
}
NUMERIC_FORMATS = (number, percent, _unsigned, _integer)


def rows_html(rows: list[dict[str, Any]], columns: dict[str, tuple[str, Any]]) -> str:
    """Selected columns of plain rows as an escaped HTML table with Chinese headers; columns maps a column to
    (header, cell formatter). Empty cells stay blank; a column with no value at all is left out."""
    if not rows:
        return '<p class="note">（无）</p>'
    shown = [(column, header, fmt) for column, (header, fmt) in columns.items()
             if any(blank(row.get(column)) != "" for row in rows)]
    body = [[td(fmt(row.get(column)), numeric=fmt in NUMERIC_FORMATS) for column, _, fmt in shown] for row in rows]
    return table([esc(header) for _, header, _ in shown], body, classes="data")


@dataclass(frozen=True)
class RenderedMemo:
    """A memo already rendered by a batch worker: its parts' HTML, shown as they are, and its record."""

    parts: dict[str, str]
    record_path: Path | None = None
    output_dir: Path = field(default=Path("outputs"))

    @classmethod
    def load(cls, path: str | Path, output_dir: str | Path | None = None) -> "RenderedMemo":
        """Read the parts a worker wrote with Memo.write_parts (<out>/notebooks/<unit>-<year>.parts.json); the
        record beside them is <out>/data/<unit>-<year>.json."""
        path = Path(path)
        out = Path(output_dir) if output_dir else path.parent.parent
        record = out / "data" / (path.name.removesuffix(".parts.json") + ".json")
        return cls(json.loads(path.read_text(encoding="utf-8")), record, out)

    def html(self, part: str) -> str:
        """One part of the memo as HTML (a part the worker's version did not render is empty)."""
        return self.parts.get(part, "")

    def show(self, part: str) -> None:
        """Display one part in a notebook."""
        from IPython.display import HTML, display

        display(HTML(self.html(part)))

    def write(self, output_dir: str | Path | None = None) -> dict[str, Path]:
        """The HTML and Word memos, from the record the worker stored (the same files Memo.write makes)."""
        return Memo.from_json(self.record_path, self.output_dir).write(output_dir or self.output_dir)
