"""store: every run's audit records, in an embedded DuckDB database (the records' JSON files are written beside
it by the pipeline; the workbook and CSV are render's: auditlib.render.workbook).

The database keeps the full history (tables runs, reports, findings; each run appended, a batch that remade
nothing as a copy of the last run's rows under its own id: `record_unchanged_run`) and views of each
unit and year's latest run (latest_reports, latest_findings). A finding row carries its fingerprint and where
its review stands (status 待复核/已确认/已排除, reviewer, note); a report row the counts of each status, the
decisions resolved (JSON), and the indicator targets and long 原因/问题/措施 sentences a later year is compared
with (JSON; `earlier_basis`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditlib.record import AuditRecord

if TYPE_CHECKING:
    import pandas as pd

    from auditlib.record import YearBasis

REPORT_COLUMNS = {  # column: DuckDB type
    "run_id": "VARCHAR", "unit": "VARCHAR", "year": "INTEGER", "ok": "BOOLEAN", "error": "VARCHAR",
    "error_type": "VARCHAR", "unit_name": "VARCHAR", "region": "VARCHAR", "source_name": "VARCHAR",
    "source_path": "VARCHAR", "sha256": "VARCHAR", "encoding": "VARCHAR", "fiscal_year": "INTEGER",
    "kind": "VARCHAR", "project_name": "VARCHAR", "self_score": "DOUBLE", "score_cap": "DOUBLE", "grade": "VARCHAR",
    "execution_rate": "DOUBLE", "execution_rate_source": "VARCHAR", "rate_label": "VARCHAR",
    "budget_wan": "DOUBLE", "spent_wan": "DOUBLE", "recommendation": "VARCHAR", "risk_score": "DOUBLE",
    "high": "INTEGER", "medium": "INTEGER", "low": "INTEGER", "info": "INTEGER", "memo": "VARCHAR",
    "versions": "VARCHAR",  # JSON: auditlib and the libraries that shaped the findings
    "pending": "INTEGER", "confirmed": "INTEGER", "dismissed": "INTEGER",  # findings by review status
    "resolved": "VARCHAR",  # JSON: decisions whose finding no longer appears
    "targets": "VARCHAR", "passages": "VARCHAR",  # JSON: what a later year is compared with (auditlib.history)
    "rule_set": "VARCHAR", "recomputed_score": "DOUBLE", "recomputed_grade": "VARCHAR",  # re-scoring (check/rescore.py)
}
FINDING_COLUMNS = {
    "run_id": "VARCHAR", "unit": "VARCHAR", "year": "INTEGER", "ref": "VARCHAR", "rule": "VARCHAR",
    "severity": "VARCHAR", "message": "VARCHAR", "section": "VARCHAR", "line": "INTEGER", "evidence": "VARCHAR",
    "expected": "VARCHAR", "stated": "VARCHAR", "tolerance": "VARCHAR", "memo_link": "VARCHAR",
    "fingerprint": "VARCHAR", "status": "VARCHAR", "reviewer": "VARCHAR", "review_note": "VARCHAR",
    "decided_at": "VARCHAR",
}
DATABASE = "auditlib.duckdb"
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
    return list(iter_records(run_dir, entries))


def iter_records(run_dir: Path, entries: Iterable[dict[str, Any]]) -> Iterator[AuditRecord]:
    """records_of, one record at a time (each read from disk when it is due)."""
    for entry in entries:
        data_path = run_dir / "data" / f"{entry['unit']}-{entry['year']}.json"
        if entry.get("ok") and data_path.is_file():
            yield AuditRecord.from_dict(json.loads(data_path.read_text(encoding="utf-8")))
        else:
            yield AuditRecord.failure(entry.get("unit") or Path(entry["params_file"]).stem, entry.get("year"),
                                      entry.get("error") or "", entry.get("error_type") or "",
                                      entry.get("notebook") or "")


def chunks(records: Iterable[AuditRecord], size: int = 500) -> Iterator[list[AuditRecord]]:
    """The records in lists of at most size."""
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def tables_from_records(run_id: str, records: list[AuditRecord]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reports and findings tables of a run, from its audit records."""
    import pandas as pd

    reports, findings = [], []
    for record in records:
        row = {column: getattr(record, column, None) for column in REPORT_COLUMNS}
        row.update(run_id=run_id, error=record.error or None, error_type=record.error_type or None,
                   risk_score=record.risk.total if record.risk else None, memo=record.memo or None,
                   versions=_text(record.versions) if record.versions else None,
                   **{severity: record.counts.get(severity) if record.ok else None
                      for severity in ("high", "medium", "low", "info")},
                   **_review_columns(record))
        reports.append(row)
        for index, finding in enumerate(record.findings):
            review = record.review_of(index)
            findings.append({"run_id": run_id, "unit": record.unit, "year": record.year,
                             "ref": record.workpaper_ref(index), "rule": finding.rule, "severity": finding.severity,
                             "message": finding.message, "section": finding.section, "line": finding.line,
                             "evidence": finding.evidence, "expected": _text(finding.expected),
                             "stated": _text(finding.stated), "tolerance": _text(finding.tolerance),
                             "memo_link": record.finding_link(index) or None, "fingerprint": finding.fingerprint,
                             "status": review.status, "reviewer": review.reviewer or None,
                             "review_note": review.note or None, "decided_at": review.decided_at or None})
    return (pd.DataFrame(reports, columns=list(REPORT_COLUMNS)).astype({"year": "Int64", "fiscal_year": "Int64"}),
            pd.DataFrame(findings, columns=list(FINDING_COLUMNS)).astype({"year": "Int64", "line": "Int64"}))


def _review_columns(record: AuditRecord) -> dict[str, Any]:
    from auditlib.record import CONFIRMED, DISMISSED, PENDING

    if not record.ok:
        return {"pending": None, "confirmed": None, "dismissed": None, "resolved": None, "targets": None,
                "passages": None}
    counts = record.review_counts
    return {"pending": counts[PENDING], "confirmed": counts[CONFIRMED], "dismissed": counts[DISMISSED],
            "resolved": _text([d.to_dict() for d in record.resolved]),
            "targets": None if record.targets is None else _text([asdict(t) for t in record.targets]),
            "passages": None if record.passages is None else _text([asdict(p) for p in record.passages])}


def earlier_years(db_path: Path, unit: str, year: int) -> list[YearBasis]:
    """The latest audit of each year of the unit before `year` that the database holds (none when it cannot be
    opened: another program holding it, or no database yet)."""
    import duckdb

    from auditlib.record import YearBasis, passages_from, targets_from

    if not Path(db_path).is_file():
        return []
    try:
        with duckdb.connect(str(db_path), read_only=True) as connection:
            frame = connection.execute("SELECT * FROM latest_reports WHERE unit = ? AND year < ? AND ok "
                                       "ORDER BY year", [unit, int(year)]).df()
    except duckdb.Error:
        return []
    found = []
    for row in frame.to_dict(orient="records"):
        value = {key: (None if isinstance(v, float) and v != v else v) for key, v in row.items()}
        found.append(YearBasis(unit, int(value["year"]), value.get("budget_wan"), value.get("spent_wan"),
                               value.get("execution_rate"), value.get("self_score"), value.get("grade"),
                               value.get("recomputed_score"), value.get("recomputed_grade"),
                               _tuple(targets_from(_json(value.get("targets")))),
                               _tuple(passages_from(_json(value.get("passages")))), "数据库"))
    return found


def _tuple(items: list | None) -> tuple | None:
    return None if items is None else tuple(items)


def _json(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None


def earlier_basis(out_dir: Path, unit: str, year: int) -> YearBasis | None:
    """The most recent year of the unit before `year` that the output folder holds: its record in data/ (written
    by this batch or an earlier one), else the database's latest audit of it."""
    from auditlib.record import basis_of

    found = {basis.year: basis for basis in earlier_years(out_dir / DATABASE, unit, year)}
    for path in (out_dir / "data").glob(f"{unit}-*.json"):
        name, _, written = path.stem.rpartition("-")
        if name != unit or not written.isdigit() or not 0 < int(written) < int(year):
            continue
        try:
            record = AuditRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError):
            continue  # not a record of ours; the database may still hold that year
        if record.ok and record.unit == unit:
            found[int(written)] = basis_of(record, "输出文件夹")
    return found[max(found)] if found else None


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


class RunWriter:
    """One run appended to the database in one transaction (all of it or nothing), its reports and findings
    added chunk by chunk; the run's row is written when it closes without an error."""

    def __init__(self, db_path: Path, run: RunInfo) -> None:
        self.db_path, self.run = db_path, run
        self.units = self.failed = 0
        self.connection = None

    def __enter__(self) -> "RunWriter":
        import duckdb

        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.connection = duckdb.connect(str(self.db_path))
        except duckdb.Error as error:  # locked by another program, read-only, or not a DuckDB file
            from auditlib.errors import OutputError

            raise OutputError(f"无法打开数据库 ({self.db_path}): {str(error).splitlines()[0]}. 请关闭正在使用它的程序，"
                              "或换一个 --out / close the program that has it open, or use another --out.") from None
        try:
            self.connection.execute("BEGIN TRANSACTION")
            _ensure_schema(self.connection)
        except Exception:
            self.connection.close()
            raise
        return self

    def append(self, reports: pd.DataFrame, findings: pd.DataFrame) -> None:
        """Add reports and findings rows (tables_from_records' shapes)."""
        self.units += len(reports)
        self.failed += int((~reports["ok"].astype(bool)).sum()) if not reports.empty else 0
        for name, frame, columns in (("reports", reports, REPORT_COLUMNS), ("findings", findings, FINDING_COLUMNS)):
            if frame.empty:
                continue
            self.connection.register(f"new_{name}", frame)
            names = ", ".join(columns)
            self.connection.execute(f"INSERT INTO {name} ({names}) SELECT {names} FROM new_{name}")
            self.connection.unregister(f"new_{name}")

    def __exit__(self, kind, error, trace) -> None:
        run = self.run
        try:
            if kind is None:
                self.connection.execute(
                    "INSERT INTO runs (run_id, started_at, finished_at, auditlib_version, params_dir, units, failed, "
                    "command) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [run.run_id, run.started_at, run.finished_at, run.auditlib_version, run.params_dir, self.units,
                     self.failed, run.command])
                self.connection.execute("COMMIT")
            else:
                self.connection.execute("ROLLBACK")
        except Exception:
            self.connection.execute("ROLLBACK")
            raise
        finally:
            self.connection.close()


def record_unchanged_run(db_path: Path, run: RunInfo, earlier_run_id: str, units: int) -> bool:
    """Append a run that remade nothing: its reports and findings are the earlier run's rows, copied under the
    new run id in one transaction. False (and nothing written) when the earlier run does not hold exactly
    `units` reports, or the database cannot be written: the caller then records the run from the records."""
    import duckdb

    try:
        connection = duckdb.connect(str(db_path))
    except duckdb.Error:
        return False
    try:
        connection.execute("BEGIN TRANSACTION")
        copied = connection.execute("INSERT INTO reports SELECT * REPLACE (? AS run_id) FROM reports WHERE run_id = ?",
                                    [run.run_id, earlier_run_id]).fetchone()[0]
        if copied != units:
            connection.execute("ROLLBACK")
            return False
        connection.execute("INSERT INTO findings SELECT * REPLACE (? AS run_id) FROM findings WHERE run_id = ?",
                           [run.run_id, earlier_run_id])
        connection.execute(
            "INSERT INTO runs (run_id, started_at, finished_at, auditlib_version, params_dir, units, failed, command) "
            "SELECT ?, ?, ?, ?, ?, units, failed, ? FROM runs WHERE run_id = ?",
            [run.run_id, run.started_at, run.finished_at, run.auditlib_version, run.params_dir, run.command,
             earlier_run_id])
        connection.execute("COMMIT")
        return True
    except duckdb.Error:
        with contextlib.suppress(duckdb.Error):
            connection.execute("ROLLBACK")
        return False
    finally:
        connection.close()


def save_to_duckdb(db_path: Path, run: RunInfo, reports: pd.DataFrame, findings: pd.DataFrame) -> Path:
    """Append one run to the database, in one transaction (all of it or nothing)."""
    with RunWriter(db_path, run) as writer:
        writer.append(reports, findings)
    return db_path
