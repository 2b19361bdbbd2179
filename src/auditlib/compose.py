"""compose: one unit and year's audit record, composed in one place from what the steps below produced.

Pure: `Audit` holds a unit-year's extraction, check result, registry entry, the auditors' decisions and the
year before (a `YearBasis`), all read by auditlib.pipeline; `Audit.record()` composes the `AuditRecord`
(auditlib.record) that the CLI, the notebook, the batch, the store and render use.

Everything an auditor sees flagged is decided here from findings and check tables, never recomputed by render:

- key figures (`Figure`): each headline figure is joined to the check-table row that checked it, and flagged by
  exactly the findings raised on that row (named by their fingerprints);
- the recommendation (`RECOMMENDATIONS`): 建议退回修改 when any high finding stands (the report's own figures or
  words contradict it), else 需补充说明 when a medium finding stands or the document is not a self-evaluation,
  else 可予认可 (only editorial points, if any);
- the risk score (`risk_score`): severity-weighted findings (high 10, medium 3, low 1, info 0), plus 2 points per
  point the claimed self-score exceeds the cap its execution rate allows (the `report` check table's cap_gap),
  plus 10 points per 100 percentage points the headline execution rate is away from 100%.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from auditlib.exhibits import rate_name
from auditlib.record import (APPROVE, DEFAULT_RATE_LABEL, EXECUTION_WEIGHT, EXPLAIN, RETURN, SCORE_EXCESS_WEIGHT,
                             SEVERITY_WEIGHTS, AuditRecord, Figure, Risk, Where, plain_number)
from auditlib.vocabulary import KINDS

if TYPE_CHECKING:  # heavy imports stay lazy: `auditlib --help` must not load pandas
    from auditlib.check import CheckResult
    from auditlib.extract import Extraction
    from auditlib.record import Decision, Finding, YearBasis

KIND_ZH = {key: kind.name for key, kind in KINDS.items() if key not in (None, "unknown")}  # a known kind
NOT_SELF_EVALUATION = "document.not_self_evaluation"
# the text rules about the claimed grade or score (certain, and a question)
CLAIM_CONTRADICTIONS = ("claim.contradiction", "claim.contradiction_unclear")
# headline rates no sentence states: auditlib divided (one sentence, two places, or spending summed from lines)
COMPUTED_SOURCES = ("computed", "paired", "mixed", "summed")


@dataclass
class Audit:
    """One unit and year's audit: extraction, check result, registry entry, versions and run time."""

    unit: str
    year: int
    extraction: Extraction
    result: CheckResult
    registry: dict[str, str] = field(default_factory=dict)
    run_date: str = field(default_factory=lambda: dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    decisions: dict[str, Decision] = field(default_factory=dict)  # auditors' decisions by fingerprint
    review_file: str = ""  # where the decisions were read (relative to the project)
    earlier: YearBasis | None = None  # the most recent earlier year of the same unit, to compare with
    versions: dict[str, str] = field(default_factory=dict)  # of auditlib and the libraries that shape a finding

    @property
    def facts(self):
        """The extracted headline facts (each with its evidence in facts.evidence)."""
        return self.extraction.facts

    @property
    def findings(self) -> list[Finding]:
        """The findings, most serious first."""
        return self.result.findings

    @property
    def tables(self):
        """The check tables the findings were read from."""
        return self.result.tables

    @property
    def outline(self):
        """The report's section tree."""
        return self.extraction.outline

    @property
    def source(self):
        """Where the report came from: path, SHA-256, encoding, format."""
        return self.extraction.document.source

    @property
    def unit_name(self) -> str:
        """The unit's name as the report writes it, else as the registry does."""
        return self.facts.unit_name or self.registry.get("full_name") or ""

    def record(self, memo: str = "", notebook: str = "") -> AuditRecord:
        """The typed summary the store, the index and the workbook read."""
        from auditlib.history import basis_of, compare, passages_of, targets_of
        from auditlib.review import apply_decisions

        facts, source = self.facts, self.source
        counts = self.result.counts()
        figures = key_figures(self)
        recommendation = recommend(self.findings)
        rate = next((f for f in figures if f.key == "rate"), None)
        report = self.tables.get("report")
        cap = plain_number(report["score_cap"].iloc[0]) if report is not None and not report.empty else None
        reviews, resolved = apply_decisions(self.findings, self.decisions)
        record = AuditRecord(
            unit=self.unit, year=self.year, unit_name=self.unit_name,
            region=self.registry.get("region") or facts.region or "", fiscal_year=facts.fiscal_year,
            kind=facts.kind, project_name=facts.project_name, self_score=facts.self_score, grade=facts.grade,
            score_cap=round(cap, 2) if cap is not None else None, execution_rate=facts.execution_rate,
            execution_rate_source=facts.execution_rate_source,
            rate_label=rate.label if rate else DEFAULT_RATE_LABEL, budget_wan=facts.budget_wan,
            spent_wan=facts.spent_wan, source_name=Path(source.path).name, source_path=source.path,
            sha256=source.sha256, encoding=source.encoding, source_format=source.format, counts=counts,
            findings=list(self.findings), figures=figures, recommendation=recommendation,
            verdict=verdict_sentence(self.unit_name, self.year, facts.kind, self.findings, recommendation),
            risk=risk_score(self), versions=dict(self.versions), run_date=self.run_date, memo=memo, notebook=notebook,
            reviews=reviews, resolved=resolved, review_file=self.review_file,
            targets=targets_of(self.extraction.indicators), passages=passages_of(self.extraction),
            **_rescoring_fields(self.result.rescoring, self.result.params), **self._exhibits())
        if self.earlier is not None:
            record.year_over_year = compare(self.earlier, basis_of(record))
        return record

    def _exhibits(self) -> dict[str, Any]:
        from auditlib.exhibits import exhibits

        return {"province": self.registry.get("province") or "", **exhibits(self.extraction, self.result)}


def _rescoring_fields(rescoring, params) -> dict[str, Any]:
    """The re-scoring figures a record carries."""
    rules = params.rule_set
    fields_ = {"rule_set": rules.id, "rule_set_name": rules.name}
    if rescoring is None:
        return fields_
    summary = rescoring.summary()
    return {**fields_, "recomputed_score": summary["recomputed_total"], "recomputed_grade": summary["recomputed_grade"],
            "claimed_table_score": summary["claimed_total"], "rescored_rows": summary["rescored"],
            "not_rescored_rows": summary["not_rescored"], "not_rescored_reasons": summary["not_rescored_reasons"]}


# --- the one place a unit's audit is composed ---


# --- decisions read from findings and check tables ---


def recommend(findings: list[Finding]) -> str:
    """The recommendation the findings call for (the rule is in this module's docstring)."""
    severities = {finding.severity for finding in findings}
    if "high" in severities:
        return RETURN
    if "medium" in severities or any(finding.rule == NOT_SELF_EVALUATION for finding in findings):
        return EXPLAIN
    return APPROVE


def verdict_sentence(unit_name: str, year: int | None, kind: str | None, findings: list[Finding],
                     recommendation: str) -> str:
    """One sentence an auditor can put at the top of a memo: what was found and what to do."""
    subject = f"{unit_name or '该单位'}{year or ''}年度{KIND_ZH.get(kind, '报送的文件')}"
    if any(finding.rule == NOT_SELF_EVALUATION for finding in findings):
        return f"{subject}不是绩效自评报告，未按自评报告审核，审核意见：{recommendation}（请单位报送绩效自评报告）。"
    counts = {severity: sum(f.severity == severity for f in findings) for severity in ("high", "medium", "low")}
    found = "、".join(f"{label}{counts[severity]}项" for severity, label in
                     (("high", "高风险问题"), ("medium", "中风险问题"), ("low", "低风险问题")) if counts[severity])
    found = f"审核发现{found}" if found else "审核未发现问题"
    return f"{subject}{found}，审核意见：{recommendation}。"


def risk_score(audit_: Audit) -> Risk:
    """Severity-weighted findings, plus the self-score's excess over its cap, plus the execution rate's distance
    from 100% (weights in this module's constants)."""
    from_findings = sum(SEVERITY_WEIGHTS.get(f.severity, 0.0) for f in audit_.findings)
    report = audit_.tables.get("report")
    gap = plain_number(report["cap_gap"].iloc[0]) if report is not None and not report.empty else None
    cap = plain_number(report["score_cap"].iloc[0]) if report is not None and not report.empty else None
    if gap is not None and cap is not None and audit_.facts.self_score is not None:
        gap = audit_.facts.self_score - round(cap, 2)  # the cap as every output shows it (one rounding)
    excess = SCORE_EXCESS_WEIGHT * max(0.0, gap or 0.0)
    rate = audit_.facts.execution_rate
    execution = EXECUTION_WEIGHT * abs(1 - rate) if rate is not None else 0.0
    return Risk(round(from_findings + excess + execution, 1), from_findings, round(excess, 2), round(execution, 2))


def rule_table(rule_id: str) -> str | None:
    """The check table a rule validates (None for a text rule)."""
    from auditlib.check import RULES

    return next((rule.table for rule in RULES if rule.id == rule_id and rule.table), None)


def _row_findings(findings: list[Finding], table: str, row_id: int | None) -> tuple[str, ...]:
    """The fingerprints of the findings raised on one check-table row (found by the row's id)."""
    if row_id is None:
        return ()
    return tuple(f.fingerprint for f in findings if rule_table(f.rule) == table and f.values.get("row_id") == row_id)


def _where_of(evidence) -> Where | None:
    return Where(evidence.line, evidence.section, evidence.quote) if evidence else None


def _row_where(row: Mapping[str, Any]) -> Where:
    line = plain_number(row.get("line"))
    return Where(int(line) if line is not None else None, row.get("section") or "", row.get("quote") or "")


def _same(checked: Any, stated: float | None, half_width: float = 0.0) -> bool:
    """True when a check-table value is the stated figure within the figure's written rounding (so the check
    covered it)."""
    value = plain_number(checked)
    return value is not None and stated is not None and abs(value - stated) <= half_width + 1e-9


def _status(value: Any, checked: bool, findings: tuple[str, ...]) -> str:
    if findings:
        return "flagged"
    if value is None:
        return "missing"
    return "checked" if checked else "unverified"


def _headline_rate_row(audit_: Audit) -> dict[str, Any] | None:
    """The rates-table row that checked the headline execution rate."""
    rate, rates = audit_.facts.execution_rate, audit_.tables.get("rates")
    evidence = audit_.facts.evidence.get("execution_rate") or audit_.facts.evidence.get("budget_wan")
    if rate is None or rates is None or rates.empty or evidence is None:
        return None
    # The row read from the line the headline rate was read from (a line is the row's id in the report); of
    # several rates on that line, the one whose rounding interval holds the headline rate.
    rows = rates[rates["line"] == evidence.line]
    if rows.empty:
        return None
    holding = rows[(rows["value_low"].isna() | (rows["value_low"] <= rate + 1e-12))
                   & (rows["value_high"].isna() | (rate - 1e-12 <= rows["value_high"]))]
    return (holding if not holding.empty else rows).iloc[0].to_dict()


def _score(value: float) -> str:
    """A score as every output shows it: two decimals at most, trailing zeros dropped (97.3, 97.36)."""
    return f"{round(value, 2):.2f}".rstrip("0").rstrip(".")


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _rows(audit_: Audit, table: str) -> list[dict[str, Any]]:
    frame = audit_.tables.get(table)
    return frame.to_dict(orient="records") if frame is not None and not frame.empty else []


def _on_row(audit_: Audit, table: str, row: Mapping[str, Any] | None) -> tuple[str, ...]:
    return _row_findings(audit_.findings, table, int(row["row_id"])) if row else ()


def key_figures(audit_: Audit) -> list[Figure]:
    """The headline figures, each joined to the check-table row that checked it and the findings on that row."""
    rate_row = _headline_rate_row(audit_)
    received = next((row for row in _rows(audit_, "budget_changes") if row.get("measure") == "received"), None)
    rescored = audit_.result.rescoring
    recomputed = [_recomputed_figure(audit_)] if rescored and rescored.recomputed_total is not None else []
    return [_budget_figure(audit_, rate_row), *([_received_figure(audit_, received)] if received else []),
            _spent_figure(audit_, rate_row), _rate_figure(audit_, rate_row), _score_figure(audit_),
            _grade_figure(audit_), *recomputed]


def _recomputed_figure(audit_: Audit) -> Figure:
    """The table's total re-scored under the rule set, flagged by the findings on its rows."""
    rescoring = audit_.result.rescoring
    hits = tuple(f.fingerprint for f in audit_.findings if rule_table(f.rule) == "indicator_scores"
                 and f.severity in ("high", "medium"))
    claimed = rescoring.claimed_total
    reviewed = (f"表内自评 {claimed:g} 分，高出 {rescoring.excess:g} 分" if claimed is not None and rescoring.excess > 0
                else f"表内自评 {claimed:g} 分" if claimed is not None else "")
    reviewed += f"；等级“{rescoring.recomputed_grade}”（{rescoring.rule_set.name}）"
    return Figure("recomputed", "按规则集复核得分", rescoring.recomputed_total, "分", None, None, reviewed,
                  "flagged" if hits else "checked", hits)


def _claims(audit_: Audit) -> tuple[str, ...]:
    """The findings that the text contradicts the claimed grade (or, with no grade, the claimed score)."""
    return tuple(f.fingerprint for f in audit_.findings if f.rule in CLAIM_CONTRADICTIONS)


def _budget_figure(audit_: Audit, rate_row: dict[str, Any] | None) -> Figure:
    facts = audit_.facts
    checked = any(_same(row.get("budget"), facts.budget_wan)
                  for row in _rows(audit_, "budget_changes") + ([rate_row] if _computed(rate_row) else []))
    stated = _stated(audit_, ("budget", "adjusted_budget"), facts.budget_wan)
    return Figure("budget", "预算数", facts.budget_wan, "万元", stated.half_width if stated else None,
                  _where_of(facts.evidence.get("budget_wan") or (stated.evidence if stated else None)), "",
                  _status(facts.budget_wan, checked, ()), basis="stated" if facts.budget_wan is not None else "")


def _received_figure(audit_: Audit, row: dict[str, Any]) -> Figure:
    hits = _on_row(audit_, "budget_changes", row)
    change = plain_number(row.get("change"))
    reviewed = f"较预算{'+' if (change or 0) > 0 else ''}{_pct(change)}" if change is not None else ""
    return Figure("received", "到位资金", plain_number(row["other"]), "万元", None, _row_where(row), reviewed,
                  _status(row["other"], True, hits), hits)


def _spent_figure(audit_: Audit, rate_row: dict[str, Any] | None) -> Figure:
    facts = audit_.facts
    stated = _stated(audit_, ("spent",), facts.spent_wan)
    evidence = facts.evidence.get("spent_wan") or (stated.evidence if stated else None) or (
        facts.evidence.get("execution_rate") if facts.execution_rate_source == "computed" else None)
    checked = _computed(rate_row) and _same(rate_row.get("numerator"), facts.spent_wan)
    if facts.spent_wan is not None and stated is None:  # no sentence states it: the sum of the budget lines'
        lines = _spending_lines(audit_)
        return Figure("spent", "支出数", facts.spent_wan, "万元", None, None, "", _status(facts.spent_wan, checked, ()),
                      basis="computed", lines=lines, how="所列各项支出合计" if lines else "")
    return Figure("spent", "支出数", facts.spent_wan, "万元", stated.half_width if stated else None,
                  _where_of(stated.evidence if stated else evidence), "", _status(facts.spent_wan, checked, ()),
                  basis="stated" if stated else "")


def _spending_lines(audit_: Audit) -> tuple[int, ...]:
    """The lines of the budget lines stating both a budget and a spending (what a computed total adds up)."""
    return tuple(sorted({line.evidence.line for line in audit_.extraction.budget_lines
                         if line.value("spent") is not None and line.budget is not None and line.evidence.line}))


def _computed(rate_row: dict[str, Any] | None) -> bool:
    """True when the rates table recomputed the headline rate from the report's own amounts."""
    return rate_row is not None and plain_number(rate_row.get("computed")) is not None


def _rate_figure(audit_: Audit, row: dict[str, Any] | None) -> Figure:
    facts = audit_.facts
    if row is None:
        computed = facts.execution_rate_source in COMPUTED_SOURCES
        return Figure("rate", DEFAULT_RATE_LABEL, facts.execution_rate, "%", None,
                      None if computed else _where_of(facts.evidence.get("execution_rate")), "",
                      _status(facts.execution_rate, False, ()),
                      basis="" if facts.execution_rate is None else "computed" if computed else "stated",
                      how="支出数÷预算数" if computed else "")  # its lines unknown: how alone
    hits = _on_row(audit_, "rates", row)
    computed, high = plain_number(row.get("computed")), plain_number(row.get("value_high"))
    figure = Figure("rate", rate_name(row), facts.execution_rate, "%",
                    high - row["value"] if high is not None else None, _row_where(row),
                    f"按金额计算 {_pct(computed)}" if computed is not None else "",
                    _status(facts.execution_rate, computed is not None, hits), hits, basis="stated")
    if facts.execution_rate_source in COMPUTED_SOURCES:  # no sentence states the rate: auditlib divided
        spent = _stated(audit_, ("spent",), facts.spent_wan)
        budget = facts.evidence.get("budget_wan")
        spent_lines = (spent.evidence.line,) if spent else _spending_lines(audit_)
        lines = tuple(sorted({*spent_lines, *((budget.line,) if budget else ())}))
        figure = replace(figure, where=None, basis="computed", lines=lines, how="的支出数÷预算数")
    return figure


def _score_figure(audit_: Audit) -> Figure:
    facts = audit_.facts
    row = next(iter(_rows(audit_, "report")), None)
    cap = plain_number(row.get("score_cap")) if row else None
    hits = _on_row(audit_, "report", row) + (() if facts.grade else _claims(audit_))
    return Figure("score", "自评得分", facts.self_score, "分", None, _where_of(facts.evidence.get("self_score")),
                  f"上限 {_score(cap)} 分" if cap is not None else "", _status(facts.self_score, cap is not None, hits), hits,
                  basis="stated" if facts.self_score is not None else "")


def _grade_figure(audit_: Audit) -> Figure:
    facts = audit_.facts
    # The grades table's first row is the overall grade when the report states both grade and score.
    row = next(iter(_rows(audit_, "grades")), None) if facts.grade and facts.self_score is not None else None
    hits = _on_row(audit_, "grades", row) + (_claims(audit_) if facts.grade else ())
    return Figure("grade", "评定等级", facts.grade, "", None, _where_of(facts.evidence.get("grade")),
                  f"按得分应为“{row['expected_grade']}”" if row else "", _status(facts.grade, row is not None, hits),
                  hits, basis="stated" if facts.grade else "")


def _stated(audit_: Audit, measures: tuple[str, ...], value: float | None):
    """The amount the report states for a headline figure (its words and rounding), if one matches it."""
    if value is None:
        return None
    # The amount read on the fact's own line (its id in the report), else one whose rounding holds the value.
    lines = {e.line for key in ("budget_wan", "spent_wan") if (e := audit_.facts.evidence.get(key)) is not None}
    candidates = [a for a in audit_.extraction.amounts if a.measure in measures
                  and abs(a.value_wan - value) <= a.half_width + 1e-9]
    return next((a for a in candidates if a.evidence.line in lines), candidates[0] if candidates else None)
