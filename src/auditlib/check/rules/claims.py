"""What the report claims against what it says elsewhere: the narrative against its own self-evaluation table,
and its claims (targets met, a top grade, all spent, no problem) against what it admits."""

from __future__ import annotations

import re

from auditlib.check.reading import quote
from auditlib.check.rule import Params, Rule, where
from auditlib.check.rules.shared import AMOUNT_TOLERANCE, GRADE_EXCELLENT, LOW_EXECUTION_RATE, SCORE_TOLERANCE
from auditlib.extract import Extraction
from auditlib.record import Finding

# Claims a report makes about itself and admissions of a shortfall, read anywhere in the text. Each entry:
# (pattern, what it says, an example it must match, an example it must not match). A claim or admission
# preceded by a word of intent or negation (力争全面完成, 不存在未完成) is neither.
CLAIMS = (
    (r"(?:全面|全部|均已?|圆满|100%)(?:按期|如期)?完成(?:了)?(?:年度|全年|既定|预期|各项)?(?:绩效)?(?:目标|任务|指标)",
     "targets_met", "全面完成了年度绩效目标", "未能全面完成年度目标"),
    # 全部拨付到位 says the money arrived, not that it was spent: not this claim.
    (r"全(?:面|部|额)(?:拨付)?(?:支付|支出|使用|执行)(?:完毕)?", "fully_spent", "资金已全部拨付使用", "资金全部拨付到位"),
    (r"(?:暂无|没有|不存在|无)[^。；，,]{0,20}问题", "no_problem", "运转正常，暂无问题", "存在以下问题"),
    # 已全部拨付 (paid out in full), not 全部拨付到位 (arrived in full): set against a 拨付 figure below the total.
    (r"全(?:部|额)拨付(?!到位|到账|至|到)", "fully_disbursed", "专项资金300万元已全部拨付，及时安排到项目",
     "专项资金300万元已全部拨付到位"),
)
ADMISSIONS = (
    # The 自评表's column 偏差大或目标未完成原因分析 names where a reason would go: no admission.
    (r"(?:绩效)?目标(?:任务)?未(?:能)?(?:完成|实现|达到|达成)(?!情况|原因分析)", "target_missed",
     "部分绩效目标未完成", "绩效目标未完成情况及原因：无"),
    # A form's block headed 未完成指标 followed by its column titles (指标名称 实际值 偏差率) is the form's, and its
    # rows carry their deviations: no admission by itself.
    # …未完成绩效目标的，应说明原因: a form's instruction for the case, not an admission.
    (r"未(?:能)?(?:完成|实现|达到)(?:预期|既定|年度|全年)?(?:绩效)?(?:目标|任务|指标值?)(?!情况|\s*指标名称|的\s*[，,])",
     "target_missed", "受疫情影响未能完成年度任务", "4.未完成绩效目标的，应说明偏差原因及改进措施"),
    (r"(?:部分|个别|\d+项|\d+个)(?:指标|目标|任务)(?:值)?未(?:完成|达到|达标|实现)", "target_missed",
     "个别指标未达到预期", "各项指标均已达到"),
    (r"未严格(?:按照|执行|遵守|落实)[^。；]*|执行不到位", "weakness",
     "执行过程中未严格按照制度执行", "严格按照制度执行"),
    (r"未(?:将|能)?[^。；，]{0,16}细化分解[^。；]*", "weakness", "未将绩效目标细化分解为具体指标", "已将目标细化分解"),
    (r"无本单位的[^。；]{0,10}(?:办法|制度)", "weakness", "无本单位的资金管理办法", "制定了本单位的资金管理办法"),
    (r"(?:当年|全年|年内|年度)未(?:使用|支出|支付)|执行率(?:为|仅)?\s*0(?:\.0+)?%", "unspent",
     "当年未使用，预算执行率0%", "未使用资金已按规定上缴"),
)
# A claim whose subject is some of the items (其中17个项目全额支付, 部分项目已完成) says nothing of the whole:
# (pattern of the words just before the claim, an example, a counter-example).
SOME_ITEMS = (re.compile(r"(?:\d{1,4}|[一二三四五六七八九十]{1,3})\s*[个项家所]\s*(?:子?项目|任务|单位|学校|工程)?"
                         r"\s*(?:已|均已|均)?\s*$|(?:部分|个别|多数|大部分)\s*(?:项目|任务|资金)?\s*(?:已|均已)?\s*$"),
              "其中，17个项目", "项目资金已")
NOT_A_STATEMENT = re.compile(r"(?:力争|确保|争取|计划|将要|应当|应|要|避免|防止|杜绝|如|若|如果|无|不存在|没有|未发现|不出现|不发生|未能|没能|尚未|未)\s*$")
# Which admission (or figure) contradicts which claim, and how sure the contradiction is: the severity of the rule
# that reports it (claim.contradiction high, claim.contradiction_unclear medium).
CONTRADICTS = {
    ("targets_met", "target_missed"): "high",  # 全面完成目标 against 目标未完成: the report contradicts itself
    ("top_grade", "target_missed"): "medium",  # 优 allows some missed targets: a question
    ("top_grade", "weakness"): "medium",
    ("fully_spent", "unspent"): "medium",  # the spending claimed may be another fund's
    ("fully_spent", "rate_below_full"): "medium",
    ("no_problem", "rate_low"): "medium",
    ("fully_disbursed", "disbursed_part"): "medium",  # 已全部拨付 against 已拨付X万元，执行率97%
}
_CLAIMS = tuple((re.compile(pattern), kind) for pattern, kind, _, _ in CLAIMS)
_ADMISSIONS = tuple((re.compile(pattern), kind) for pattern, kind, _, _ in ADMISSIONS)


def _statements(extraction: Extraction, entries, whole_only: bool = False) -> list[tuple[str, str, int, int, int]]:
    """(kind, words, line, index, start) of each entry's first match per line outside headings that is not a
    statement of intent or a negation (and, when whole_only, not said of some of the items)."""
    headings = {section.index for section in extraction.outline.sections}
    found = []
    lines = extraction.document.lines
    for index, line in enumerate(lines):
        if index in headings or not line.text:
            continue
        following = next((later.text for later in lines[index + 1: index + 3] if later.text), "")
        for pattern, kind in entries:
            match = next((m for m in pattern.finditer(line.text)
                          if not NOT_A_STATEMENT.search(line.text[max(0, m.start() - 4): m.start()])
                          and not (whole_only and SOME_ITEMS[0].search(line.text[max(0, m.start() - 12): m.start()]))
                          and not _title_goes_on(line.text, m.end(), following)), None)
            if match:
                found.append((kind, match.group(0), line.line_at(match.start()), index, match.start()))
    return found


# A form's column title broken over lines (偏差大或 / 目标未完成 / 原因分析) goes on with what it names.
TITLE_GOES_ON = re.compile(r"\s*[|｜]?\s*(?:原因|情况)")
BLANK_TO_END = re.compile(r"[\s|｜\u3000]*$")


def _title_goes_on(text: str, end: int, following: str) -> bool:
    """The words at end of text close its line and the next line goes on with 原因/情况."""
    return bool(BLANK_TO_END.match(text, end)) and bool(TITLE_GOES_ON.match(following))


# A rate whose statement says the money was paid out (已完成拨付X万元，执行率97%) measures the paying out.
DISBURSED = re.compile(r"拨付(?!到位|率)")


def _statement_before(text: str, raw: str) -> str:
    """The sentence of text that ends with raw (a rate as written), up to and including it."""
    end = text.find(raw)
    if end < 0:
        return ""
    end += len(raw)
    start = max(text.rfind(mark, 0, end - len(raw)) for mark in "。！？；") + 1
    return text[start:end]


def _rate_admissions(extraction: Extraction, params: Params) -> list[tuple[str, str, int, int, int]]:
    """Stated execution rates as admissions: below 100% (not all spent), below the low bound (a problem)."""
    found = []
    lines = extraction.document.lines
    for rate in extraction.rates:
        if rate.kind != "execution":
            continue
        index = next((i for i, line in enumerate(lines) if rate.evidence.line in line.source_lines), -1)
        if rate.value + rate.half_width < params.low_execution_rate:
            found.append(("rate_low", f"执行率{rate.raw}", rate.evidence.line, index, -1))
        if rate.value + rate.half_width < 1:
            found.append(("rate_below_full", f"执行率{rate.raw}", rate.evidence.line, index, -1))
            statement = _statement_before(lines[index].text if index >= 0 else "", rate.raw)
            paid = DISBURSED.search(statement)
            if paid:
                clause_start = max(statement.rfind(mark, 0, paid.start()) for mark in "，,：:") + 1
                found.append(("disbursed_part", statement[clause_start:], rate.evidence.line, index, -1))
    facts = extraction.facts
    evidence = facts.evidence.get("execution_rate")
    if facts.execution_rate is not None and evidence and facts.execution_rate < params.low_execution_rate \
            and not any(kind == "rate_low" for kind, *_ in found):
        spent, budget = facts.execution_spent_wan, facts.budget_wan
        detail = f"（{spent:g}÷{budget:g}）" if spent is not None and budget else ""
        index = next((i for i, line in enumerate(lines) if evidence.line in line.source_lines), -1)
        found.append(("rate_low", f"执行率{facts.execution_rate * 100:.1f}%{detail}", evidence.line, index, -1))
    return found


def claim_contradiction(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A claim (全面完成目标, a top grade, 全部拨付, 暂无问题) against an admission or a figure of the same report
    (目标未完成, 执行不到位, 当年未使用, an execution rate below 90%), at most one per admission. The rule reports
    the contradictions CONTRADICTS rates at its severity: only a completion claim against a missed target is
    certain (high); the rest are questions (medium)."""
    facts = extraction.facts
    claims = _statements(extraction, _CLAIMS, whole_only=True)
    if facts.grade == "优" or (facts.self_score is not None and facts.self_score >= params.grade_excellent):
        evidence = facts.evidence.get("grade") or facts.evidence.get("self_score")
        words = f"等级“{facts.grade}”" if facts.grade == "优" else f"得分{facts.self_score:g}分"
        claims.append(("top_grade", words, evidence.line if evidence else None, -1, -1))
    if not claims:
        return []
    admissions = _statements(extraction, _ADMISSIONS) + _rate_admissions(extraction, params)
    findings, seen = [], set()
    for admission_kind, admitted, line, index, start in admissions:
        for claim_kind, claimed, claim_line, claim_index, claim_start in claims:
            level = CONTRADICTS.get((claim_kind, admission_kind))
            if level is None or line in seen or (index == claim_index and abs(start - claim_start) < len(claimed)):
                continue
            seen.add(line)
            if level == rule.severity:
                claim_at = f"（第{claim_line}行）" if claim_line else ""
                section = extraction.outline.section_of(index).path if index >= 0 else ""
                findings.append(rule.finding(
                    params, f"报告称“{claimed}”{claim_at}，但文中又写“{admitted[:40]}”（第{line}行），前后矛盾"
                    + ("。" if level == "high" else "，请核实。"), section, line, quote(extraction, line),
                    stated=(facts.grade or facts.self_score) if claim_kind == "top_grade" else claimed,
                    admission=admitted[:40], claim_line=claim_line))
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
    Rule("claim.contradiction", "high", "自评结论与所述情况矛盾",
         "targets claimed all met while the same report admits a target missed",
         params=(GRADE_EXCELLENT, LOW_EXECUTION_RATE), figure="grade", check=claim_contradiction),
    Rule("claim.contradiction_unclear", "medium", "自评结论与所述情况可能矛盾（请核实）",
         "a claim (a top grade, all spent, no problem) against an admission or figure of the same report "
         "(a target missed, a weakness, money unspent, a low execution rate)",
         params=(GRADE_EXCELLENT, LOW_EXECUTION_RATE), figure="grade", check=claim_contradiction),
)
