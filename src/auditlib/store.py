"""store: every run's facts and findings, in an embedded DuckDB database and in Excel/CSV for auditors."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from auditlib.iorw import write_bytes_atomic

REPORT_COLUMNS = ["run_id", "unit", "year", "ok", "error", "source_path", "sha256", "encoding", "unit_name", "region",
                  "fiscal_year", "kind", "project_name", "self_score", "grade", "execution_rate",
                  "execution_rate_source", "budget_wan", "spent_wan", "high", "medium", "low", "info"]
FINDING_COLUMNS = ["run_id", "unit", "year", "rule", "severity", "message", "section", "line", "evidence",
                   "expected", "stated", "tolerance"]
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP,
    auditlib_version VARCHAR, params_dir VARCHAR, units INTEGER, failed INTEGER);
CREATE TABLE IF NOT EXISTS reports (run_id VARCHAR, unit VARCHAR, year INTEGER, ok BOOLEAN, error VARCHAR,
    source_path VARCHAR, sha256 VARCHAR, encoding VARCHAR, unit_name VARCHAR, region VARCHAR, fiscal_year INTEGER,
    kind VARCHAR, project_name VARCHAR, self_score DOUBLE, grade VARCHAR, execution_rate DOUBLE,
    execution_rate_source VARCHAR, budget_wan DOUBLE, spent_wan DOUBLE, high INTEGER, medium INTEGER,
    low INTEGER, info INTEGER);
CREATE TABLE IF NOT EXISTS findings (run_id VARCHAR, unit VARCHAR, year INTEGER, rule VARCHAR, severity VARCHAR,
    message VARCHAR, section VARCHAR, line INTEGER, evidence VARCHAR, expected VARCHAR, stated VARCHAR,
    tolerance VARCHAR);
"""


@dataclass(frozen=True)
class RunInfo:
    """One batch run."""

    run_id: str
    started_at: str
    finished_at: str
    auditlib_version: str
    params_dir: str


def _text(value: Any) -> str | None:
    return None if value is None else (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def tables_from_units(run_id: str, units: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reports and findings tables of a run, from its units' summaries."""
    reports, findings = [], []
    for unit in units:
        facts, source, counts = unit.get("facts") or {}, unit.get("source") or {}, unit.get("counts") or {}
        reports.append({"run_id": run_id, "unit": unit["unit"], "year": unit["year"], "ok": bool(unit.get("ok")),
                        "error": unit.get("error") or None, "source_path": source.get("path"),
                        "sha256": source.get("sha256"), "encoding": source.get("encoding"),
                        **{key: facts.get(key) for key in REPORT_COLUMNS[8:19]},
                        **{severity: counts.get(severity) for severity in ("high", "medium", "low", "info")}})
        for finding in unit.get("findings") or []:
            findings.append({"run_id": run_id, "unit": unit["unit"], "year": unit["year"],
                             **{key: finding.get(key) for key in FINDING_COLUMNS[3:9]},
                             **{key: _text(finding.get(key)) for key in ("expected", "stated", "tolerance")}})
    return (pd.DataFrame(reports, columns=REPORT_COLUMNS).astype({"year": "Int64", "fiscal_year": "Int64"}),
            pd.DataFrame(findings, columns=FINDING_COLUMNS).astype({"year": "Int64", "line": "Int64"}))


def save_to_duckdb(db_path: Path, run: RunInfo, reports: pd.DataFrame, findings: pd.DataFrame) -> Path:
    """Append one run to the database, in one transaction (all of it or nothing)."""
    import duckdb

    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = duckdb.connect(str(db_path))
    except duckdb.Error as error:  # locked by another program, read-only, or not a DuckDB file
        from auditlib.errors import OutputError

        raise OutputError(f"无法打开数据库 ({db_path}): {str(error).splitlines()[0]}. 请关闭正在使用它的程序，或换一个 "
                          "--out / close the program that has it open, or use another --out.") from None
    try:
        connection.execute(SCHEMA)
        connection.execute("BEGIN TRANSACTION")
        connection.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [run.run_id, run.started_at, run.finished_at, run.auditlib_version, run.params_dir,
                            len(reports), int((~reports["ok"]).sum()) if not reports.empty else 0])
        connection.register("new_reports", reports)
        connection.register("new_findings", findings)
        connection.execute(f"INSERT INTO reports SELECT {', '.join(REPORT_COLUMNS)} FROM new_reports")
        connection.execute(f"INSERT INTO findings SELECT {', '.join(FINDING_COLUMNS)} FROM new_findings")
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()
    return db_path


FINDING_HEADERS_ZH = {"unit": "单位", "year": "年度", "severity": "级别", "rule": "规则", "message": "说明",
                      "section": "章节", "line": "行", "evidence": "原文", "expected": "应为", "stated": "所述",
                      "tolerance": "容差"}


def save_findings_sheets(out_dir: Path, reports: pd.DataFrame, findings: pd.DataFrame) -> tuple[Path, Path]:
    """findings.csv (UTF-8 with BOM, so Excel reads the Chinese) and findings.xlsx (findings and reports)."""
    shown = findings.drop(columns=["run_id"]).rename(columns=FINDING_HEADERS_ZH)
    csv_path = write_bytes_atomic(out_dir / "findings.csv",
                                  _inert_for_csv(shown).to_csv(index=False).encode("utf-8-sig"))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        shown.to_excel(writer, sheet_name="findings", index=False)
        reports.drop(columns=["run_id"]).to_excel(writer, sheet_name="reports", index=False)
        for sheet in writer.sheets.values():
            _no_formulas(sheet)
    xlsx_path = write_bytes_atomic(out_dir / "findings.xlsx", buffer.getvalue())
    return csv_path, xlsx_path


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert_for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """Text from a report never becomes a formula when Excel opens the CSV: a leading ' keeps it text."""
    def inert(value):
        return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
    return frame.map(inert)


def _no_formulas(sheet) -> None:
    """openpyxl writes a string starting with = as a formula; every cell auditlib writes is a value."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
