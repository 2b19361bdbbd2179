"""check: run the rule catalogue on an extraction and return findings with evidence."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from auditlib.check import catalogue
from auditlib.check.catalogue import RULES, Rule, rule
from auditlib.check.findings import SEVERITIES, Finding, findings_frame, severity_rank, with_fingerprints
from auditlib.check.params import CheckParams
from auditlib.check.rescore import Rescoring, RowScore, rescore
from auditlib.check.rules.document import NOT_SELF_EVALUATION
from auditlib.check.tables import build_tables
from auditlib.extract import Extraction

__all__ = ["CheckParams", "CheckResult", "Finding", "RULES", "Rescoring", "RowScore", "SEVERITIES", "catalogue_rows",
           "check", "check_many", "findings_frame", "rescore", "rule", "severity_rank"]


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


def catalogue_rows(params: CheckParams | None = None) -> list[dict[str, str]]:
    """The catalogue as rows (id, severity, kind, Chinese name, English description), the names' thresholds
    those of params (the defaults and the national rule set's when None)."""
    return catalogue.catalogue_rows(params or CheckParams())


def _expectation(runner, rule: Rule, params: CheckParams):
    meta = {"rule": rule.id, "key": rule.column}
    bound = {"max_value": rule.limit(params)} if rule.bound == "max" else {"min_value": rule.limit(params)}
    return runner.expectations.ExpectColumnValuesToBeBetween(column=rule.column, meta=meta, **bound)


def _with_rule_columns(tables: dict[str, pd.DataFrame], params: CheckParams) -> dict[str, pd.DataFrame]:
    """Each check table with the column each of its table rules computes (named by the rule's id)."""
    columns: dict[str, dict[str, pd.Series]] = {}
    for table_rule in RULES:
        frame = tables.get(table_rule.table) if table_rule.table else None
        if frame is not None and not frame.empty:
            columns.setdefault(table_rule.table, {})[table_rule.column] = table_rule.predicate(frame, params).astype(float)
    return {name: frame.assign(**columns[name]) if name in columns else frame for name, frame in tables.items()}


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


RULE_COLUMNS = frozenset(rule.column for rule in RULES if rule.table)


def _finding(rule: Rule, row: dict, params: CheckParams) -> Finding:
    """The finding of a table rule on one row: the row's evidence and facts with the rule's own column."""
    values = {key: _clean(value) for key, value in row.items()
              if key not in RULE_COLUMNS or key == rule.column}  # messages read NaN as "not stated"
    expected, stated, tolerance = rule.numbers(row, params)
    return rule.finding(params, rule.message(row, params), values.pop("section") or "", values.pop("line"),
                        values.pop("quote") or "", expected=_clean(expected), stated=_clean(stated),
                        tolerance=_clean(tolerance), values=values)


def _table_findings(reports: list[dict[str, pd.DataFrame]], params: CheckParams) -> list[list[Finding]]:
    """The table rules' findings of several reports checked with the same params: one validation per table
    over every report's rows (a validation's cost is mostly fixed), each failure mapped back to its report
    and row."""
    from auditlib.check.gx import ROW_ID, runner

    findings: list[list[Finding]] = [[] for _ in reports]
    for table_name in dict.fromkeys(name for tables in reports for name in tables):
        rules = [rule for rule in RULES if rule.table == table_name]
        # Every report's rows (each non-empty table has its rules' columns), with a row id unique across them.
        frames = {index: tables[table_name] for index, tables in enumerate(reports)
                  if table_name in tables and not tables[table_name].empty}
        if not rules or not frames:
            continue
        origin, parts = [], []
        for index, frame in frames.items():
            parts.append(frame.assign(**{ROW_ID: range(len(origin), len(origin) + len(frame))}))
            origin += [(index, row_id) for row_id in frame[ROW_ID]]
        combined = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        gx = runner()
        outcomes = gx.validate(table_name, combined, [_expectation(gx, rule, params) for rule in rules])
        by_id = {rule.id: rule for rule in rules}
        for outcome in outcomes:
            rule = by_id[outcome.rule]
            for combined_id in outcome.unexpected_rows:
                index, row_id = origin[combined_id]
                frame = frames[index]
                row = frame.loc[frame[ROW_ID] == row_id].iloc[0].to_dict()
                findings[index].append(_finding(rule, row, params))
    return findings


def check(extraction: Extraction, params: CheckParams | None = None) -> CheckResult:
    """Run every rule of the catalogue on one report's extraction."""
    return check_many([extraction], [params or CheckParams()])[0]


def check_many(extractions: list[Extraction], params: list[CheckParams]) -> list[CheckResult]:
    """check() for several reports at once (a batch worker's share): the same findings, with the table rules
    validated in one great-expectations pass per table and params rather than one per report."""
    results: list[CheckResult | None] = [None] * len(extractions)
    groups: dict[CheckParams, list[int]] = {}
    tables: dict[int, dict[str, pd.DataFrame]] = {}
    rescorings: dict[int, Rescoring] = {}
    for index, (extraction, report_params) in enumerate(zip(extractions, params)):
        if extraction.facts.kind is None:
            # A document that is not a self-evaluation is named as such and not audited as one.
            rule = NOT_SELF_EVALUATION
            results[index] = CheckResult(
                with_fingerprints(_placed(extraction, rule.check(extraction, report_params, rule))), {},
                report_params)
            continue
        rescorings[index] = rescore(extraction, report_params)
        tables[index] = _with_rule_columns(build_tables(extraction, report_params, rescorings[index]), report_params)
        groups.setdefault(report_params, []).append(index)
    for report_params, indices in groups.items():
        table_findings = _table_findings([tables[index] for index in indices], report_params)
        for index, findings in zip(indices, table_findings):
            extraction = extractions[index]
            for rule in RULES:
                if rule.check:
                    findings.extend(rule.check(extraction, report_params, rule))
            findings = _placed(extraction, findings)
            findings.sort(key=lambda f: (severity_rank(f.severity), f.line if f.line is not None else 10**9, f.rule))
            results[index] = CheckResult(with_fingerprints(findings), tables[index], report_params, rescorings[index])
    return results


def _placed(extraction: Extraction, findings: list[Finding]) -> list[Finding]:
    """Each finding with the page, table row or cell its line came from; read by OCR, never above medium,
    since a misread digit can make any figure disagree."""
    document = extraction.document
    by_ocr = document.source.encoding == "ocr"
    return [replace(finding, location=document.location(finding.line) if finding.line else "",
                    severity="medium" if by_ocr and finding.severity == "high" else finding.severity)
            for finding in findings]
