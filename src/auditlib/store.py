"""store: every run's audit records, in an embedded DuckDB database and in an Excel workpaper for auditors.

The database keeps the full history (tables runs, reports, findings; each run appended) and views of each
unit and year's latest run (latest_reports, latest_findings). The workbook findings.xlsx has a findings
sheet (one row per finding, with its workpaper reference and a link to its row in the memo), a units sheet
and a rules sheet; findings.csv holds the findings sheet in UTF-8 with BOM.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from auditlib.audit import AuditRecord
from auditlib.iorw import write_bytes_atomic

REPORT_COLUMNS = {  # column: DuckDB type
    "run_id": "VARCHAR", "unit": "VARCHAR", "year": "INTEGER", "ok": "BOOLEAN", "error": "VARCHAR",
    "error_type": "VARCHAR", "unit_name": "VARCHAR", "region": "VARCHAR", "source_name": "VARCHAR",
    "source_path": "VARCHAR", "sha256": "VARCHAR", "encoding": "VARCHAR", "fiscal_year": "INTEGER",
    "kind": "VARCHAR", "project_name": "VARCHAR", "self_score": "DOUBLE", "score_cap": "DOUBLE", "grade": "VARCHAR",
    "execution_rate": "DOUBLE", "execution_rate_source": "VARCHAR", "rate_label": "VARCHAR",
    "budget_wan": "DOUBLE", "spent_wan": "DOUBLE", "recommendation": "VARCHAR", "risk_score": "DOUBLE",
    "high": "INTEGER", "medium": "INTEGER", "low": "INTEGER", "info": "INTEGER", "memo": "VARCHAR",
    "versions": "VARCHAR",  # JSON: auditlib and the libraries that shaped the findings
    "rule_set": "VARCHAR", "recomputed_score": "DOUBLE", "recomputed_grade": "VARCHAR",  # re-scoring (check/rescore.py)
}
FINDING_COLUMNS = {
    "run_id": "VARCHAR", "unit": "VARCHAR", "year": "INTEGER", "ref": "VARCHAR", "rule": "VARCHAR",
    "severity": "VARCHAR", "message": "VARCHAR", "section": "VARCHAR", "line": "INTEGER", "evidence": "VARCHAR",
    "expected": "VARCHAR", "stated": "VARCHAR", "tolerance": "VARCHAR", "memo_link": "VARCHAR",
}
RUNS = """CREATE TABLE IF NOT EXISTS runs (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP,
    auditlib_version VARCHAR, params_dir VARCHAR, units INTEGER, failed INTEGER, command VARCHAR)"""
# A unit and year's latest run is the one that finished last (run ids break a tie).
VIEWS = """
CREATE OR REPLACE VIEW latest_reports AS
SELECT reports.* FROM reports JOIN runs USING (run_id)
QUALIFY row_number() OVER (PARTITION BY reports.unit, reports.year
                           ORDER BY runs.finished_at DESC, runs.run_id DESC) = 1;
CREATE OR REPLACE VIEW latest_findings AS
SELECT findings.* FROM findings JOIN latest_reports USING (run_id, unit, year);
"""


@dataclass(frozen=True)
class RunInfo:
    """One run: a batch, or a single `auditlib memo`."""

    run_id: str
    started_at: str
    finished_at: str
    auditlib_version: str
    params_dir: str
    command: str = "batch"


def _text(value: Any) -> str | None:
    return None if value is None else (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def load_run(run_dir: Path) -> list[AuditRecord]:
    """The audit records of a batch run folder: summary.json's units, each with its record."""
    return records_of(run_dir, json.loads((run_dir / "summary.json").read_text(encoding="utf-8")))


def records_of(run_dir: Path, entries: list[dict[str, Any]]) -> list[AuditRecord]:
    """The audit records of a run's units (batch results as dicts): each unit's data/<unit>-<year>.json record,
    or, for a unit that failed, a failure record."""
    records = []
    for entry in entries:
        data_path = run_dir / "data" / f"{entry['unit']}-{entry['year']}.json"
        if entry.get("ok") and data_path.is_file():
            records.append(AuditRecord.from_dict(json.loads(data_path.read_text(encoding="utf-8"))))
        else:
            records.append(AuditRecord.failure(entry.get("unit") or Path(entry["params_file"]).stem, entry.get("year"),
                                               entry.get("error") or "", entry.get("error_type") or "",
                                               entry.get("notebook") or ""))
    return records


def tables_from_records(run_id: str, records: list[AuditRecord]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reports and findings tables of a run, from its audit records."""
    reports, findings = [], []
    for record in records:
        row = {column: getattr(record, column, None) for column in REPORT_COLUMNS}
        row.update(run_id=run_id, error=record.error or None, error_type=record.error_type or None,
                   risk_score=record.risk.total if record.risk else None, memo=record.memo or None,
                   versions=_text(record.versions) if record.versions else None,
                   **{severity: record.counts.get(severity) if record.ok else None
                      for severity in ("high", "medium", "low", "info")})
        reports.append(row)
        for index, finding in enumerate(record.findings):
            findings.append({"run_id": run_id, "unit": record.unit, "year": record.year,
                             "ref": record.workpaper_ref(index), "rule": finding.rule, "severity": finding.severity,
                             "message": finding.message, "section": finding.section, "line": finding.line,
                             "evidence": finding.evidence, "expected": _text(finding.expected),
                             "stated": _text(finding.stated), "tolerance": _text(finding.tolerance),
                             "memo_link": record.finding_link(index) or None})
    return (pd.DataFrame(reports, columns=list(REPORT_COLUMNS)).astype({"year": "Int64", "fiscal_year": "Int64"}),
            pd.DataFrame(findings, columns=list(FINDING_COLUMNS)).astype({"year": "Int64", "line": "Int64"}))


def _ensure_schema(connection) -> None:
    """Create the tables, or add the columns a newer auditlib writes to an older database, and the views."""
    connection.execute(RUNS)
    connection.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS command VARCHAR")
    for name, columns in (("reports", REPORT_COLUMNS), ("findings", FINDING_COLUMNS)):
        connection.execute(f"CREATE TABLE IF NOT EXISTS {name} ("
                           + ", ".join(f"{column} {kind}" for column, kind in columns.items()) + ")")
        for column, kind in columns.items():
            connection.execute(f"ALTER TABLE {name} ADD COLUMN IF NOT EXISTS {column} {kind}")
    connection.execute(VIEWS)


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
        connection.execute("BEGIN TRANSACTION")
        _ensure_schema(connection)
        connection.execute("INSERT INTO runs (run_id, started_at, finished_at, auditlib_version, params_dir, units, "
                           "failed, command) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           [run.run_id, run.started_at, run.finished_at, run.auditlib_version, run.params_dir,
                            len(reports), int((~reports["ok"]).sum()) if not reports.empty else 0, run.command])
        connection.register("new_reports", reports)
        connection.register("new_findings", findings)
        for name, columns in (("reports", REPORT_COLUMNS), ("findings", FINDING_COLUMNS)):
            names = ", ".join(columns)
            connection.execute(f"INSERT INTO {name} ({names}) SELECT {names} FROM new_{name}")
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()
    return db_path


def save_findings_sheets(out_dir: Path, records: list[AuditRecord]) -> tuple[Path, Path]:
    """findings.xlsx (findings, units and rules sheets) and findings.csv (the findings sheet, UTF-8 with BOM)."""
    from auditlib.render.workbook import findings_csv, workbook_bytes

    csv_path = write_bytes_atomic(out_dir / "findings.csv", findings_csv(records))
    xlsx_path = write_bytes_atomic(out_dir / "findings.xlsx", workbook_bytes(records))
    return csv_path, xlsx_path
