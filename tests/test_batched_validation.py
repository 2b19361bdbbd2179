"""Several reports' table rules validated in one great-expectations pass find exactly what one pass each finds."""

from pathlib import Path

from auditlib.check import CheckParams, check, check_many
from auditlib.errors import AuditlibError
from auditlib.extract import extract
from auditlib.ingest import read_report
from tests.conftest import FIXTURES, SEEDS


def _extractions():
    found = []
    for path in [*SEEDS.values(), *sorted(FIXTURES.glob("*.txt"))]:
        try:
            found.append((path, extract(read_report(path))))
        except AuditlibError:  # a fixture of unreadable input
            continue
    return found


def test_check_many_finds_what_check_finds_report_by_report():
    extractions = _extractions()
    strict = CheckParams(low_execution_rate=0.99, rate_tolerance=0.0)
    # Two groups of thresholds, interleaved: each report is validated with its own.
    params = [strict if index % 2 else CheckParams() for index in range(len(extractions))]
    together = check_many([extraction for _, extraction in extractions], params)
    assert sum(bool(result.findings) for result in together) > len(extractions) // 2  # something to compare
    for (path, extraction), report_params, result in zip(extractions, params, together):
        alone = check(extraction, report_params)
        assert result.findings == alone.findings, Path(path).name
        assert result.params == report_params


def test_audit_runs_reports_an_unreadable_report_and_audits_the_others(tmp_path):
    from auditlib.compose import Audit
    from auditlib.pipeline import audit_runs
    from auditlib.params import RunParams

    seed = next(iter(SEEDS.values()))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    audits = audit_runs([RunParams("a", 2020, str(seed)), RunParams("b", 2021, str(empty)),
                         RunParams("c", 2020, str(seed))], tmp_path)
    assert isinstance(audits[0], Audit) and isinstance(audits[2], Audit)
    assert isinstance(audits[1], AuditlibError) and "为空" in str(audits[1])
    assert audits[0].findings == audits[2].findings and audits[2].unit == "c"
