"""check: run the rule catalogue on an extraction and return findings with evidence."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from auditlib.check.catalogue import RULES, Rule, catalogue_rows
from auditlib.check.findings import SEVERITIES, Finding, findings_frame, severity_rank, with_fingerprints
from auditlib.check.params import CheckParams
from auditlib.check.rescore import Rescoring, RowScore, rescore
from auditlib.check.tables import build_tables
from auditlib.extract import Extraction

__all__ = ["CheckParams", "CheckResult", "Finding", "RULES", "Rescoring", "RowScore", "SEVERITIES", "catalogue_rows",
           "check", "findings_frame", "rescore", "severity_rank"]


@dataclass
class CheckResult:
    """The findings of one report, and the check tables they were read from."""

    findings: list[Finding]
    tables: dict[str, pd.DataFrame]
    params: CheckParams
    rescoring: Rescoring | None = None  # the table re-scored under params.rule_set

    def frame(self) -> pd.DataFrame:
        """The findings as a table, most serious first."""
        return findings_frame(self.findings)

    def counts(self) -> dict[str, int]:
        """How many findings of each severity."""
        return {severity: sum(1 for f in self.findings if f.severity == severity) for severity in SEVERITIES}


def _expectation(runner, rule: Rule, params: CheckParams):
    meta = {"rule": rule.id, "key": rule.column}
    expectations = runner.expectations
    if rule.bound == "not_null":
        return expectations.ExpectColumnValuesToNotBeNull(column=rule.column, meta=meta)
    bound = {"max_value": rule.limit(params)} if rule.bound == "max" else {"min_value": rule.limit(params)}
    return expectations.ExpectColumnValuesToBeBetween(column=rule.column, meta=meta, **bound)


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _table_findings(tables: dict[str, pd.DataFrame], params: CheckParams) -> list[Finding]:
    from auditlib.check.gx import runner

    table_rules = [rule for rule in RULES if rule.table]
    gx = None
    findings: list[Finding] = []
    for table_name, frame in tables.items():
        rules = [rule for rule in table_rules if rule.table == table_name and rule.column in frame.columns]
        if frame.empty or not rules:
            continue
        gx = gx or runner()
        outcomes = gx.validate(table_name, frame, [_expectation(gx, rule, params) for rule in rules])
        by_key = {(rule.id, rule.column): rule for rule in rules}
        for outcome in outcomes:
            rule = by_key[(outcome.rule, outcome.key)]
            for row_id in outcome.unexpected_rows:
                row = frame.loc[frame["row_id"] == row_id].iloc[0].to_dict()  # messages read NaN as "not stated"
                values = {key: _clean(value) for key, value in row.items()}
                expected, stated, tolerance = rule.numbers(row, params)
                findings.append(Finding(rule.id, rule.severity, rule.message(row, params), values["section"] or "",
                                        values["line"], values["quote"] or "", _clean(expected), _clean(stated),
                                        _clean(tolerance), {k: v for k, v in values.items() if k != "quote"}))
    return findings


def check(extraction: Extraction, params: CheckParams | None = None) -> CheckResult:
    """Run every rule of the catalogue on one report's extraction."""
    params = params or CheckParams()
    if extraction.facts.kind is None:
        # A document that is not a self-evaluation is named as such and not audited as one.
        rule = next(rule for rule in RULES if rule.id == "document.not_self_evaluation")
        return CheckResult(with_fingerprints(_placed(extraction, rule.check(extraction, params, rule.severity))), {},
                           params)
    rescoring = rescore(extraction, params)
    tables = build_tables(extraction, params, rescoring)
    findings = _table_findings(tables, params)
    for rule in RULES:
        if rule.check:
            findings.extend(rule.check(extraction, params, rule.severity))
    findings = _placed(extraction, findings)
    findings.sort(key=lambda f: (severity_rank(f.severity), f.line if f.line is not None else 10**9, f.rule))
    return CheckResult(with_fingerprints(findings), tables, params, rescoring)


def _placed(extraction: Extraction, findings: list[Finding]) -> list[Finding]:
    """Each finding with the page, table row or cell its line came from; read by OCR, never above medium,
    since a misread digit can make any figure disagree."""
    document = extraction.document
    by_ocr = document.source.encoding == "ocr"
    return [replace(finding, location=document.location(finding.line) if finding.line else "",
                    severity="medium" if by_ocr and finding.severity == "high" else finding.severity)
            for finding in findings]
