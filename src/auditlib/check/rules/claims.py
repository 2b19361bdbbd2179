"""What the report claims against what it says elsewhere: the narrative against its own self-evaluation table,
and a top grade against a failing the text admits."""

from __future__ import annotations

import re

from auditlib.check.reading import quote
from auditlib.check.rule import Params, Rule, where
from auditlib.check.rules.shared import AMOUNT_TOLERANCE, GRADE_EXCELLENT, SCORE_TOLERANCE
from auditlib.extract import Extraction
from auditlib.record import Finding

ADMISSIONS = (
    r"未严格(?:按照|执行|遵守|落实)[^。；]*",
    r"执行不到位",
    r"未(?:将|能)?[^。；，]{0,16}细化分解[^。；]*",
    r"(?:绩效)?目标未(?:完成|实现|达到)[^。；]*",
    r"未(?:完成|实现|达到)(?:预期|既定|年度)?(?:绩效)?目标",
    r"无本单位的[^。；]{0,10}(?:办法|制度)",
)


def claim_contradiction(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A top grade (or score) claimed while the text admits a failing."""
    facts = extraction.facts
    top_grade = facts.grade == "优"
    top_score = facts.self_score is not None and facts.self_score >= params.grade_excellent
    if not (top_grade or top_score):
        return []
    claim = f"等级“{facts.grade}”" if top_grade else f"得分{facts.self_score:g}分"
    headings = {section.index for section in extraction.outline.sections}
    findings = []
    for index, line in enumerate(extraction.document.lines):
        if index in headings:
            continue
        for pattern in ADMISSIONS:
            match = re.search(pattern, line.text)
            if match:
                number = line.line_at(match.start())
                findings.append(rule.finding(params, f"报告自评为{claim}，但文中承认“{match.group(0)[:40]}”，结论与所述情况矛盾。",
                    extraction.outline.section_of(index).path, number, quote(extraction, number),
                    stated=facts.grade or facts.self_score, admission=match.group(0)))
                break
    return findings


def _narrative_vs_table(ending: str):
    def message(row: dict, p) -> str:
        return (f"正文所述{row['figure']}为{row['narrative']}，但同一文件的自评表（第{int(row['table_line'])}行）"
                f"为{row['table']}{ending}")
    return message


RULES = (
    Rule("claim.vs_table", "high", "正文所述得分或等级与自评表不符",
         "the narrative's score or grade differs from its own self-evaluation table",
         params=(SCORE_TOLERANCE,), tolerance_unit="分",
         table="table_claims", predicate=lambda t, p: where(t, t["family"] == "score", t["gap"]),
         limit=lambda p: p.score_tolerance, message=_narrative_vs_table("。"),
         numbers=lambda r, p: (r["table"], r["narrative"], p.score_tolerance)),
    Rule("claim.vs_table_money", "medium", "正文所述金额或执行率与自评表不符",
         "the narrative's budget, spending or rate differs from its own self-evaluation table",
         params=(AMOUNT_TOLERANCE,), tolerance_unit="万元",
         table="table_claims", predicate=lambda t, p: where(t, t["family"] == "money", t["gap"]),
         limit=lambda p: p.amount_tolerance, message=_narrative_vs_table("；请核实口径是否一致。"),
         numbers=lambda r, p: (r["table"], r["narrative"], p.amount_tolerance)),
    Rule("claim.contradiction", "high", "自评结论与所述情况矛盾", "the text admits a failing while claiming a top grade",
         params=(GRADE_EXCELLENT,), figure="grade", check=claim_contradiction),
)
