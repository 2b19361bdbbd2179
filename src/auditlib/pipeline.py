"""pipeline: one unit and year from files to record and memo, the I/O at the top of the single-unit flow.

It reads what an audit is made from (the report, the params, the rule set, the auditors' decisions in
reviews/, the unit registry data/units.csv, the year before from the output folder or its database), runs the
pure steps (ingest → outline → extract → check → compose) and writes what comes out (the record, the memo). The
CLI, the notebook and the batch's workers all call it; the CLI mirrors it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from auditlib.compose import Audit
from auditlib.errors import AuditlibError, ParamsError

if TYPE_CHECKING:
    from auditlib.params import RunParams
    from auditlib.render.memo import Memo, RenderedMemo

RULESETS_FOLDER = "rulesets"  # a project's own rule sets, beside params/


def _check_params(params: Any, rule_set: Any = None, root: Path | None = None):
    from dataclasses import replace

    from auditlib.check import CheckParams
    from auditlib.rulesets import RuleSet, load_rule_set

    if rule_set is not None and not isinstance(rule_set, RuleSet):
        rule_set = load_rule_set(rule_set, [root / RULESETS_FOLDER] if root else [])
    if params is None or isinstance(params, CheckParams):
        params = params or CheckParams()
        return replace(params, rule_set=rule_set) if rule_set is not None else params
    if isinstance(params, Mapping):
        return CheckParams.from_mapping(params, rule_set)
    raise ParamsError(f"params 应为阈值（键值对）或 CheckParams，而不是 {type(params).__name__}")


def audit(path: str | Path, params: Any = None, *, unit: str = "", year: int | None = None,
          registry: Mapping[str, str] | None = None, rule_set: Any = None, root: str | Path | None = None) -> Audit:
    """Read, outline, extract and check the report at path; params are CheckParams or a `thresholds` mapping;
    rule_set a RuleSet or the name of one (looked up in <root>/rulesets/, then in the package)."""
    from auditlib.check import check
    from auditlib.extract import extract
    from auditlib.ingest import read_report

    check_params = _check_params(params, rule_set, Path(root) if root else None)  # a bad rule set fails first
    extraction = extract(read_report(path))
    result = check(extraction, check_params)
    unit = unit or re.sub(r"-\d{4}$", "", Path(path).stem)  # <unit>-<year>.txt: unit <unit>
    year = int(year if year is not None else (extraction.facts.fiscal_year or 0))
    return Audit(unit, year, extraction, result, dict(registry or {}), versions=versions())


def audit_run(params: RunParams, root: str | Path, history_from: str | Path | None = None) -> Audit:
    """The audit a params file describes: its report (relative to the project root), thresholds, rule set,
    registry entry, and the auditors' decisions in reviews/<unit>-<year>.yaml; with history_from (an output
    folder), the most recent earlier year of the unit that folder's records or database hold, to compare with."""
    [result] = audit_runs([params], root, history_from)
    if isinstance(result, AuditlibError):
        raise result
    return result


def audit_runs(runs: list[RunParams], root: str | Path,
               history_from: str | Path | None = None) -> list[Audit | AuditlibError]:
    """audit_run for several params files at once (a batch worker's share), the table rules validated in one
    pass (auditlib.check.check_many); a run whose report, rule set or review file cannot be read is its error,
    the others go on."""
    from auditlib.check import check_many
    from auditlib.extract import extract
    from auditlib.ingest import read_report
    from auditlib.review import REVIEWS_FOLDER, load_decisions

    root = Path(root).resolve()
    registry = load_registry(root)
    audits: list[Audit | AuditlibError | None] = [None] * len(runs)
    read: dict[int, Any] = {}
    for index, run in enumerate(runs):
        try:
            check_params = _check_params(run.thresholds, run.rule_set, root)  # a bad rule set fails first
            decisions = load_decisions(root, run.unit, run.year)  # so does a broken review file
            read[index] = (extract(read_report(run.resolved_report(root))), check_params, decisions)
        except AuditlibError as error:
            audits[index] = error
    results = check_many([extraction for extraction, _, _ in read.values()],
                         [check_params for _, check_params, _ in read.values()])
    for (index, (extraction, _, decisions)), result in zip(read.items(), results):
        run = runs[index]
        made = Audit(run.unit, run.year, extraction, result, dict(registry.get(run.unit, {})),
                     decisions=decisions, review_file=f"{REVIEWS_FOLDER}/{run.unit}-{run.year}.yaml" if decisions else "",
                     versions=versions())
        if history_from is not None:
            compare_with_earlier(made, history_from)
        audits[index] = made
    return audits


def compare_with_earlier(made: Audit, out_dir: str | Path) -> None:
    """Compare with the most recent earlier year of the unit that the output folder (its records, else its
    database) holds now: a batch calls this just before the memo, once the unit's earlier years in the same
    batch are written."""
    from auditlib.store import earlier_basis

    made.earlier = earlier_basis(Path(out_dir), made.unit, made.year)


def load_registry(project_root: Path) -> dict[str, dict[str, str]]:
    """data/units.csv by unit id (empty when there is none)."""
    import csv

    path = Path(project_root) / "data" / "units.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return {row["unit_id"]: row for row in csv.DictReader(stream)}


def versions() -> dict[str, str]:
    """The versions of auditlib and of the libraries whose behaviour shapes a finding."""
    from importlib import metadata

    from auditlib import __version__

    found = {"auditlib": __version__}
    for package in ("great-expectations", "pandas"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = ""
    return found


def current_findings(project_root: str | Path, unit: str, year: int) -> list:
    """The findings an audit of params/<unit>-<year>.yaml gives now."""
    return current_audit(project_root, unit, year).findings


def current_audit(project_root: str | Path, unit: str, year: int, params_dir: str | Path | None = None,
                  allow_outside_data: bool = False):
    """The audit of <params_dir>/<unit>-<year>.yaml (default params/; the report inside the project's data/),
    with the unit-year's decisions."""
    from auditlib.params import load_params
    from auditlib.review import review_path

    root = Path(project_root).resolve()
    review_path(root, unit, year)  # the unit is a name
    params_file = Path(params_dir or root / "params") / f"{unit}-{int(year)}.yaml"
    if not params_file.is_file():
        raise ParamsError(f"没有 {unit} {year} 年度的参数文件：{params_file}")
    params = load_params(params_file)
    params.checked_report(root, allow_outside_data)
    return audit_run(params, root)


def memo_for(unit: str, year: int, report_path: str, thresholds: dict | None = None, output_dir: str = "outputs",
             project_root: str = ".", rendered: str = "", rule_set: str = "national") -> Memo | RenderedMemo:
    """The notebook's entry: the parts a batch worker rendered, or (run by hand) audit, save and show now."""
    from auditlib.render.memo import RenderedMemo

    if rendered:
        return RenderedMemo.load(rendered)
    memo = memo_from_params(unit, year, report_path, thresholds, output_dir, project_root, rule_set)
    memo.save()
    return memo


def memo_from_params(unit: str, year: int, report_path: str, thresholds: dict | None = None,
                     output_dir: str = "outputs", project_root: str = ".", rule_set: str = "national") -> Memo:
    """The memo of the audit a notebook's parameters describe (relative paths from the project root)."""
    from auditlib.params import RunParams
    from auditlib.render.memo import Memo

    root = Path(project_root).resolve()
    output = Path(output_dir)
    output = output if output.is_absolute() else root / output
    params = RunParams(unit=unit, year=int(year), report_path=str(report_path), thresholds=dict(thresholds or {}),
                       rule_set=rule_set or "national")
    return Memo(audit_run(params, root, output), output)
