"""The audit memo of one unit and year: parts of escaped HTML, in Chinese, rendered from an `Audit`.

Render only renders: every flag, colour and recommendation shown comes from the audit record (findings, the
check tables they were read from, and the decisions auditlib.audit documents), never from a rule of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditlib.compose import Audit, rate_name, rule_table
from auditlib.record import APPROVE, EXPLAIN, RECOMMENDATIONS, RESOLVED, RETURN, SEVERITIES, AuditRecord, Figure
from auditlib.iorw import write_json_atomic
from auditlib.outline import Section
from auditlib.render.html import (KIND_ZH, RULE_NAMES_ZH, blank, css_string, esc, frame_html, memo_css, number,
                                  percent, severity_badge, table, td)
from auditlib.render.svg import Reference, Series, bar_chart

PARTS = ("header", "verdict", "figures", "rescoring", "history", "charts", "findings", "outline", "appendix")
MAX_CHART_ROWS = 20
FLAGGED_COLOR = "#b3261e"
LEVEL_ZH = {1: "一级指标", 2: "二级指标", 3: "三级指标"}
RATE_KIND_ZH = {"execution": "执行率", "funding": "到位率"}
SOURCE_ZH = {"table": "评分表", "prose": "正文", "stated": "报告所述", "computed": "按金额计算"}
MEASURE_ZH = {"requested": "申请数", "budget": "预算数", "adjusted_budget": "调整后预算", "received": "到位资金",
              "spent": "支出数", "balance": "结余", "increase": "增加", "decrease": "减少", "amount": "金额"}
NATURE_ZH = {"≥": "≥", "≤": "≤", "=": "＝", "qualitative": "定性"}
STATUS_ZH = {"checked": "✓ 复核未发现问题", "unverified": "未能核实", "missing": ""}
REVIEW_CSS = {"待复核": "pending", "已确认": "confirmed", "已排除": "dismissed"}
MAX_COPIED_SHOWN = 30


def rule_name(rule: str) -> str:
    """A rule's Chinese name, its id kept in a tooltip (never as visible text)."""
    return f'<span class="rule" title="{esc(rule)}">{esc(RULE_NAMES_ZH.get(rule, "其他问题"))}</span>'


def _figure_value(figure: Figure) -> str:
    if figure.value is None:
        return '<span class="note">报告未载明</span>'
    if figure.unit == "%":
        return esc(percent(figure.value))
    if figure.unit == "万元":
        return f"{esc(number(figure.value))} 万元"
    if figure.unit == "分":
        return f"{esc(number(figure.value))} 分"
    return esc(figure.value)


def _where_html(figure: Figure) -> str:
    where = figure.where
    if figure.value is None or where is None:
        return ""
    line = f'<span class="note">第{esc(where.line)}行{" · " + esc(where.section) if where.section else ""}</span>' \
        if where.line else ""
    return f"{line}<blockquote>{blank(where.quote)}</blockquote>"


@dataclass
class Memo:
    """Everything a memo shows, and how to show each part."""

    audit: Audit
    output_dir: Path = Path("outputs")
    record: AuditRecord = field(init=False)

    def __post_init__(self) -> None:
        self.record = self.audit.record(memo=self.file_name)

    @property
    def file_name(self) -> str:
        """The memo's file name in the output folder."""
        return f"{self.audit.unit}-{self.audit.year}.html"

    @property
    def title(self) -> str:
        """The page title: the unit as the report names it, the year, and what the page is."""
        return f"{self.record.display_name} {self.audit.year}年度 绩效自评报告审核备忘录"

    # --- data ---

    @property
    def extraction(self):
        """The extraction the audit was made from."""
        return self.audit.extraction

    @property
    def result(self):
        """The check result: findings and check tables."""
        return self.audit.result

    def save(self) -> Path:
        """Write the audit record to <output_dir>/data/<unit>-<year>.json (atomically)."""
        path = self.output_dir / "data" / f"{self.audit.unit}-{self.audit.year}.json"
        return write_json_atomic(path, self.record.to_dict())

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
        record, registry = self.record, self.audit.registry
        region = " ".join(filter(None, [registry.get("province"), record.region]))
        year = record.fiscal_year or self.audit.year
        year_note = "" if record.fiscal_year in (None, self.audit.year) else \
            f"（报告所述年度为{record.fiscal_year}，参数为{self.audit.year}）"
        project = f" · 项目：{esc(record.project_name)}" if record.project_name else ""
        running = css_string(f"{record.display_name} {year}年度 审核备忘录")
        library_versions = "，".join(f"{esc(name)} {esc(version)}" for name, version in record.versions.items() if version)
        return (f"<style>{memo_css()}@page {{ @top-center {{ content: {running}; }} }}</style>"
                f"<h1>{esc(record.display_name)} {esc(year)}年度绩效自评报告审核备忘录</h1>"
                f'<p class="meta">地区：{blank(region)} · 年度：{esc(year)}{esc(year_note)} · '
                f"类型：{esc(KIND_ZH.get(record.kind))}{project}<br>"
                f"来源文件：{esc(record.source_name)}（{esc(record.source_format)}，{esc(record.encoding)}）"
                f" SHA-256：<code>{esc(record.sha256)}</code><br>"
                f"{library_versions} · 生成时间：{esc(record.run_date)}</p>")

    def _verdict(self) -> str:
        record = self.record
        counts = record.counts
        badges = "".join(f"<span>{severity_badge(s)} {counts.get(s, 0)}项</span>" for s in SEVERITIES)
        css = {APPROVE: "approve", EXPLAIN: "explain", RETURN: "return"}.get(record.recommendation, "")
        serious = [(i, f) for i, f in enumerate(record.findings) if f.severity != "info"][:3]
        items = "".join(f'<li>{severity_badge(f.severity)} <a href="#{AuditRecord.anchor(i)}">{esc(f.message)}</a>'
                        f'{"（第" + esc(f.line) + "行）" if f.line else ""}</li>' for i, f in serious)
        top = f"<p>最需关注的问题：</p><ol>{items}</ol>" if items else ""
        return (f'<h2>结论</h2><div class="verdict verdict-{css}">'
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
        where = f"；复核记录见 {record.review_file}" if record.review_file else ""
        return f'<p class="review-counts">复核情况：{esc(counts)}{esc(resolved)}{esc(where)}。</p>'

    def _figures(self) -> str:
        findings = self.record.findings
        rows, flags = [], []
        for figure in self.record.figures:
            if figure.flagged:
                links = "".join(f'<li><a href="#{AuditRecord.anchor(i)}" title="{esc(findings[i].rule)}">⚠ '
                                f'{esc(RULE_NAMES_ZH.get(findings[i].rule, ""))}'
                                f'{"（第" + esc(findings[i].line) + "行）" if findings[i].line else ""}</a></li>'
                                for i in map(self.record.index_of, figure.findings) if i is not None)
                verdict = f'<ul class="flags">{links}</ul>'
            else:
                verdict = esc(STATUS_ZH.get(figure.status, ""))
            reviewed = esc(figure.reviewed)
            rows.append([td(esc(figure.label)), td(_figure_value(figure), True), td(_where_html(figure)),
                         td(reviewed, True), td(verdict)])
            flags.append("disagree" if figure.flagged else "")
        note = ("“原文”为报告中该数字所在的行和原话；“复核”为按报告自身所列数字复核的结果；"
                "标出⚠的，是审核发现中针对该数字的问题（点击查看）；“未能核实”表示报告中没有可与之核对的数字。")
        return (f"<h2>关键数据</h2>{table(['项目', '报告所述', '原文', '复核', '结论'], rows, classes='figures', row_classes=flags)}"
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
        parts = [f"<h2>与以前年度比较</h2><p>与{esc(before)}相比{esc(source)}：</p>",
                 table(["项目", esc(before), esc(after), "变化"], rows, classes="history", row_classes=marks)]
        parts.append(self._targets_html(comparison, before))
        parts.append(self._copied_html(comparison, before))
        return "".join(parts)

    @staticmethod
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

    @staticmethod
    def _copied_html(comparison, before: str) -> str:
        copied = comparison.copied
        if not comparison.sentences_compared:
            return (f'<p class="note">{esc(before)}的审核记录由旧版 auditlib 生成，未保存原因和措施的句子，无法比较'
                    "是否照抄（重新审核该年度即可）。</p>")
        if not copied:
            return f'<p class="note">原因、问题和措施部分没有与{esc(before)}逐字相同的长句。</p>'
        rows = [[td(blank(item.section)), td(esc(item.line), True), td(f"<blockquote>{esc(item.text)}</blockquote>"),
                 td(f"{blank(item.earlier_section)} 第{esc(item.earlier_line)}行")] for item in copied[:MAX_COPIED_SHOWN]]
        more = f"另有{len(copied) - MAX_COPIED_SHOWN}句未列出。" if len(copied) > MAX_COPIED_SHOWN else ""
        return (f"<h3>与{esc(before)}逐字相同的表述（{len(copied)}句）</h3>"
                f'<p class="note">原因、问题和措施部分中与上一年度报告逐字相同的句子（不少于20字），可能是照抄上年，'
                f"请核实其是否仍符合本年度情况。{esc(more)}</p>"
                + table(["章节", "行", "本年度原文", f"{esc(before)}出处"], rows, classes="history-copied"))
    def _rescoring(self) -> str:
        """The self-evaluation table re-scored under its rule set: per row claimed against recomputed, with the
        formula; the totals and grades side by side; the rows that could not be re-scored, counted."""
        rescoring, record = self.result.rescoring, self.record
        rules = self.result.params.rule_set
        head = (f"<h2>按规则集复核评分</h2><p class=\"note\">规则集：{esc(rules.describe())}。依据：{esc(rules.source)}。</p>")
        if rescoring is None or not rescoring.rows:
            return head + '<p class="note">报告中没有可复核的自评表（带分值和得分的绩效指标表或资金执行行）。</p>'
        flags: dict[int, list[int]] = {}
        for index, finding in enumerate(record.findings):
            if rule_table(finding.rule) == "indicator_scores" and finding.values.get("row_id") is not None:
                flags.setdefault(int(finding.values["row_id"]), []).append(index)
        rows, classes = [], []
        for row_id, row in enumerate(rescoring.rows):
            links = "".join(f'<li><a href="#{AuditRecord.anchor(i)}" title="{esc(record.findings[i].rule)}">⚠ '
                            f'{esc(RULE_NAMES_ZH.get(record.findings[i].rule, ""))}</a></li>' for i in flags.get(row_id, []))
            verdict = f'<ul class="flags">{links}</ul>' if links else esc("未复核：" + row.not_rescored if row.not_rescored else "一致")
            rows.append([td(esc(row.name)), td(esc("预算执行" if row.kind == "execution" else NATURE_ZH.get(row.nature, ""))),
                         td(esc(number(row.weight)), True), td(esc(number(row.claimed)), True),
                         td(esc(number(row.recomputed)), True), td(esc(row.formula)), td(verdict),
                         td(blank(row.evidence.line), True)])
            classes.append("disagree" if links else "")
        claimed = f"{number(rescoring.claimed_total)}分" if rescoring.claimed_total is not None else "未载明"
        recomputed = f"{number(rescoring.recomputed_total)}分" if rescoring.recomputed_total is not None else "无法汇总"
        excess = rescoring.excess
        gap = f"，自评高出{number(excess)}分" if excess and excess > 0 else (f"，自评低{number(-excess)}分" if excess else "")
        summary = (f'<p class="rescoring-totals">表内自评：<strong>{esc(claimed)}</strong>'
                   f'（等级 {esc(rescoring.claimed_grade or "未载明")}） · 复核：<strong>{esc(recomputed)}</strong>'
                   f'（等级 {esc(rescoring.recomputed_grade or "—")}）{esc(gap)}</p>')
        skipped = rescoring.not_rescored
        reasons = "、".join(sorted({row.not_rescored for row in skipped}))
        note = (f"共{len(rescoring.rows)}行，复核{len(rescoring.rows) - len(skipped)}行，未复核{len(skipped)}行"
                + (f"（{reasons}；汇总时按自评得分计）" if skipped else "") + "。"
                "复核得分按规则集公式和报告所列数值计算；定性指标按达成程度的得分区间复核。")
        return head + summary + table(["指标", "性质", "分值", "自评得分", "复核得分", "计算方法", "结论", "行"], rows,
                                      classes="rescoring", row_classes=classes) + f'<p class="note">{esc(note)}</p>'

    def _charts(self) -> str:
        parts = ["<h2>图表</h2>"]
        parts += self._budget_chart()
        parts += self._rates_chart()
        parts += self._score_charts()
        if len(parts) == 1:
            parts.append('<p class="note">报告中没有可作图的预算行、执行率或指标分值。</p>')
        return "".join(parts)

    def _budget_chart(self) -> list[str]:
        lines, left_out, seen = [], [], set()
        for line in self.extraction.budget_lines:
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
            return []
        shown = lines[:MAX_CHART_ROWS]
        labels = [line.label or f"第{line.evidence.line}行" for line in shown]
        chart = bar_chart("预算与支出（万元）", labels, [
            Series("预算", "#9fb8d6", tuple(line.budget.value_wan for line in shown)),
            Series("支出", "#2f6f9f", tuple(line.value("spent") for line in shown))])
        notes = []
        if len(lines) > len(shown):
            notes.append(f"另有{len(lines) - len(shown)}项未画出（见附录）")
        if left_out:
            notes.append(f"未画出（报告未同时给出预算和支出）：{'、'.join(dict.fromkeys(left_out))}")
        return [chart] + [f'<p class="note">{esc("；".join(notes))}。</p>' if notes else ""]

    def _rates_chart(self) -> list[str]:
        rates = self.result.tables.get("rates")
        if rates is None or rates.empty:
            return []
        flagged = {f.values.get("row_id") for f in self.record.findings if rule_table(f.rule) == "rates"}
        shown = rates.head(MAX_CHART_ROWS)
        names = sorted({rate_name(row) for row in shown.to_dict(orient="records")})
        params = self.result.params
        colors = tuple(FLAGGED_COLOR if row_id in flagged else None for row_id in shown["row_id"])
        chart = bar_chart(f"{'、'.join(names)}（%）", [str(label) for label in shown["label"]],
                          [Series("比率", "#b86e00", tuple(float(v) * 100 for v in shown["value"]), colors)],
                          (Reference(params.low_execution_rate * 100, f"{params.low_execution_rate * 100:g}%", "#b86e00"),
                           Reference(params.max_rate * 100, f"{params.max_rate * 100:g}%")), value_format="{:.1f}")
        note = "红色的比率有审核发现（见下表）。" if any(colors) else ""
        if len(rates) > len(shown):
            note += f"另有{len(rates) - len(shown)}项未画出。"
        return [chart, f'<p class="note">{esc(note)}</p>' if note else ""]

    def _score_charts(self) -> list[str]:
        parts = []
        items = [i for i in self.extraction.score_items if i.weight is not None and i.level > 0]
        for level in sorted({i.level for i in items}):
            unique = {}
            for item in items:
                if item.level == level:
                    unique.setdefault((item.name, item.weight, item.score), item)
            shown = list(unique.values())[:MAX_CHART_ROWS]
            parts.append(bar_chart(f"{LEVEL_ZH.get(level, f'{level}级指标')}：得分与分值", [i.name for i in shown],
                                   [Series("分值", "#c9c9c9", tuple(i.weight for i in shown)),
                                    Series("得分", "#2e7d32", tuple(i.score for i in shown))]))
            if len(unique) > len(shown):
                parts.append(f'<p class="note">另有{len(unique) - len(shown)}项未画出（见附录）。</p>')
        return parts

    def _findings(self) -> str:
        record = self.record
        if not record.findings:
            return '<h2>审核发现</h2><p class="note">无。</p>'
        # The number is the last part of the workpaper reference (unit-year-number) shown in full in the workbook.
        rows = [[td(f'<span title="{esc(record.workpaper_ref(i))}">{i + 1:02d}</span>'), td(severity_badge(f.severity)),
                 td(rule_name(f.rule)),
                 td(esc(f.message)), td(blank(f.section)), td(blank(f.location or f.line), not f.location),
                 td(f"<blockquote>{blank(f.evidence)}</blockquote>"), td(_review_html(record, i))]
                for i, f in enumerate(record.findings)]
        ids = [AuditRecord.anchor(i) for i in range(len(record.findings))]
        note = ('<p class="note">复核状态：待复核（尚无复核决定）、已确认、已排除；指纹用于记录复核决定'
                "（auditlib review --finding 指纹 --confirm|--dismiss --reviewer 姓名），报告其他部分改动后不变。</p>")
        return ("<h2>审核发现</h2>" + table(["编号", "级别", "问题类型", "说明", "章节", "行或位置", "原文", "复核"], rows,
                                          classes="findings", row_ids=ids) + note + self._resolved_html())

    def _resolved_html(self) -> str:
        resolved = self.record.resolved
        if not resolved:
            return ""
        rows = [[td(f'<code class="fp">{esc(d.fingerprint)}</code>'), td(esc(d.status)), td(esc(RULE_NAMES_ZH.get(d.rule, d.rule))),
                 td(f"<blockquote>{blank(d.quote)}</blockquote>"), td(blank(d.reviewer)), td(blank(_when(d.decided_at))),
                 td(blank(d.note))] for d in resolved]
        return (f"<h3>{esc(RESOLVED)}的复核决定（{len(rows)}项）</h3>"
                '<p class="note">以下复核决定所指的审核发现在本次审核中已不再出现：报告已改正，或该处文字、数字已有改动'
                "（改动后的问题如仍存在，列在上表中，状态为待复核）。</p>"
                + table(["指纹", "原决定", "问题类型", "原文", "复核人", "时间", "说明"], rows, classes="resolved"))

    def _outline(self) -> str:
        marks: dict[int, list[str]] = {}
        for finding in self.record.findings:
            if finding.rule in ("section.empty", "section.numbering") and finding.line:
                marks.setdefault(finding.line, []).append(RULE_NAMES_ZH[finding.rule])

        def render(section: Section) -> str:
            flags = marks.get(section.line, [])
            mark = "".join(f'<span class="mark bad">⚠ {esc(m)}</span>' for m in flags)
            children = "".join(render(child) for child in section.children)
            nested = f"<ul>{children}</ul>" if children else ""
            return (f'<li><span class="{"bad" if flags else ""}">{esc(section.heading_text)}</span>'
                    f'<span class="mark note">第{section.line}行 · {section.body_chars}字</span>{mark}{nested}</li>')

        tree = "".join(render(section) for section in self.extraction.outline.root.children)
        missing = [f.expected for f in self.record.findings if f.rule in ("section.missing", "section.missing_unended")]
        missing_html = (f'<p class="bad">缺少部分：{esc("、".join(map(str, missing)))}</p>' if missing else "")
        body = f"<ul>{tree}</ul>" if tree else '<p class="note">未识别到编号标题。</p>'
        return f'<h2>报告结构</h2><div class="outline">{body}{missing_html}</div>'

    def _appendix(self) -> str:
        frames = self.extraction.frames()
        parts = ["<h2>附录：提取的数据</h2>"]
        for key, (title, columns) in APPENDIX.items():
            parts.append(f"<h3>{esc(title)}</h3>{frame_html(frames[key], columns)}")
        return "".join(parts)


def _review_html(record: AuditRecord, index: int) -> str:
    """A finding's review status, who decided when and why, and its fingerprint."""
    review = record.review_of(index)
    who = " · ".join(filter(None, [review.reviewer, review.decided_at[:10]]))
    parts = [f'<span class="status status-{REVIEW_CSS.get(review.status, "pending")}">{esc(review.status)}</span>']
    if who:
        parts.append(f'<br><span class="note">{esc(who)}</span>')
    if review.note:
        parts.append(f'<br><span class="review-note">{esc(review.note)}</span>')
    parts.append(f'<br><code class="fp" title="指纹">{esc(record.findings[index].fingerprint)}</code>')
    return "".join(parts)


def _when(decided_at: str) -> str:
    """2026-12-01 10:00 from an ISO time (the zone and seconds are in the review file)."""
    return decided_at[:16].replace("T", " ")


def _value(value: Any, unit: str) -> str:
    if value is None:
        return '<span class="note">未载明</span>'
    if unit == "%":
        return esc(percent(value))
    if unit in ("万元", "分"):
        return f"{esc(number(value))} {esc(unit)}"
    return esc(value)


def _delta(change) -> str:
    """The change in words: +12.5 万元 (+10.2%), +3.1 个百分点, 良 → 优."""
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
        return f"{sign}{abs(delta) * 100:.2f}".rstrip("0").rstrip(".") + " 个百分点"
    text = f"{sign}{number(abs(delta))} {change.unit}".strip()
    if change.unit == "万元" and change.before:
        text += f"（{sign}{abs(delta) / abs(change.before) * 100:.1f}%）"
    return text


def _words(mapping: dict[Any, str]):
    return lambda value: "" if blank(value) == "" else blank(mapping.get(value, value))


def _integer(value: Any) -> str:
    return "" if blank(value) == "" else esc(int(value))


APPENDIX: dict[str, tuple[str, dict[str, tuple[str, Any]]]] = {
    "budget_lines": ("预算行", {
        "label": ("项目", blank), "requested_wan": ("申请数（万元）", number), "budget_wan": ("预算数（万元）", number),
        "adjusted_budget_wan": ("调整后预算（万元）", number), "received_wan": ("到位资金（万元）", number),
        "spent_wan": ("支出数（万元）", number), "balance_wan": ("结余（万元）", number),
        "stated_rate": ("所述比率", percent), "rate_label": ("报告用语", blank),
        "rate_kind": ("比率类型", _words(RATE_KIND_ZH)), "section": ("章节", blank), "line": ("行", _integer)}),
    "breakdowns": ("合计与分项", {
        "total_label": ("合计项", blank), "total_measure": ("合计口径", _words(MEASURE_ZH)),
        "total_wan": ("合计（万元）", number), "part_label": ("分项", blank),
        "part_measure": ("分项口径", _words(MEASURE_ZH)), "part_wan": ("分项（万元）", number),
        "stated_count": ("所称项数", _integer), "section": ("章节", blank), "line": ("行", _integer)}),
    "scores": ("评分表与权重", {
        "name": ("指标", blank), "level": ("层级", _words({0: "合计", **LEVEL_ZH})), "parent": ("上级指标", blank),
        "weight": ("分值", number), "score": ("得分", number), "grade": ("等级", blank),
        "source": ("出处", _words(SOURCE_ZH)), "section": ("章节", blank), "line": ("行", _integer)}),
    "indicators": ("绩效指标", {
        "level1": ("一级指标", blank), "level2": ("二级指标", blank), "name": ("三级指标", blank),
        "planned": ("年度指标值", blank), "achieved": ("实际完成值", blank), "weight": ("分值", number),
        "score": ("得分", number), "section": ("章节", blank), "line": ("行", _integer)}),
}


@dataclass(frozen=True)
class RenderedMemo:
    """A memo already rendered by a batch worker: its parts' HTML, shown as they are."""

    parts: dict[str, str]

    @classmethod
    def load(cls, path: str | Path) -> "RenderedMemo":
        """Read the parts a worker wrote with Memo.write_parts."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def html(self, part: str) -> str:
        """One part of the memo as HTML."""
        return self.parts[part]

    def show(self, part: str) -> None:
        """Display one part in a notebook."""
        from IPython.display import HTML, display

        display(HTML(self.html(part)))
