"""The document itself: not a self-evaluation, cut short, or of a kind that could not be decided."""

from __future__ import annotations

from auditlib.check.reading import is_excerpt, quote, starts_mid_report
from auditlib.check.rule import Params, Rule
from auditlib.extract import Extraction
from auditlib.record import Finding


def not_self_evaluation(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """The document is not a self-evaluation (a 部门决算 or 预算 document, an audit report): say what it is."""
    facts = extraction.facts
    if facts.kind is not None:
        return []
    evidence = facts.evidence.get("kind")
    line = evidence.line if evidence else 1
    return [rule.finding(params, f"该文件不是绩效自评报告（{facts.kind_reason}），未按自评报告审核。",
                     evidence.section if evidence else "", line,
                     evidence.quote if evidence else extraction.outline.root.title)]


def truncated(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """The text starts inside a report or stops mid-sentence: say so, since what is missing may lie outside."""
    if not is_excerpt(extraction):
        return []
    if starts_mid_report(extraction):
        first = extraction.outline.sections[0]
        where, line, what = first.path, first.line, f"从“{first.heading_text}”开始"
    else:
        last = next(line for line in reversed(extraction.document.lines) if line.text)
        # The source line where the text stops, also when page breaks joined it to the lines before.
        where, line = extraction.outline.section_of(extraction.document.lines.index(last)).path, last.source_lines[-1]
        what = "在句中结束"
    return [rule.finding(params, f"文本{what}，可能只是报告的一部分（节选或文件不全）；未检查是否缺少必备部分和自评总分。",
                     where, line, quote(extraction, line))]


def kind_unknown(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """The kind could not be decided: the report is still checked, and the auditor is told so."""
    facts = extraction.facts
    if facts.kind != "unknown":
        return []
    return [rule.finding(params, f"未能确定报告类型（{facts.kind_reason}）；已按绩效自评报告检查，请核实文件性质。",
                     "", 1, extraction.outline.root.title)]


NOT_SELF_EVALUATION = Rule("document.not_self_evaluation", "info", "不是绩效自评报告",
                           "the document is not a self-evaluation", check=not_self_evaluation)
RULES = (
    NOT_SELF_EVALUATION,
    Rule("document.truncated", "info", "文本不完整", "the text stops mid-sentence; absences not judged", check=truncated),
    Rule("document.kind_unknown", "info", "报告类型未能确定", "the kind of report could not be decided; checked anyway",
         check=kind_unknown),
)
