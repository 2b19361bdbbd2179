"""Incremental batches: which units are unchanged since their last successful run in an output folder.

A unit and year's key is a SHA-256 over everything its memo is made from: the report's bytes, the params
file, the unit notebook, the unit's row of data/units.csv, the project's rule-set file it names (if any), its
review file (reviews/<unit>-<year>.yaml), the key of the unit's year before (its memo compares with that
year) and a digest of the installed auditlib itself (every module, template and shipped rule set: an upgrade
redoes what it may have changed, whatever its version string says). The output folder's
manifest.json maps each unit and year to the key and result of its last successful run; a unit whose key
is unchanged and whose memo and record are still there is reused, not redone.

The manifest also stamps what the last batch left (`last_run`): its run id, its units, the index notebook's
digest, and the size and modification time of every output it wrote (memos, notebooks, records, index,
workbook, CSV, summary, database). A batch in which every unit is reused and the stamp still matches has
nothing to remake (`unchanged_run`): the index, workbook and database already show exactly these records.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditlib import __version__
from auditlib.iorw import write_json_atomic

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
CHUNK = 1 << 20


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


PACKAGE_FILES = ("*.py", "*.yaml", "*.j2", "*.css", "*.json", "*.txt")  # the code and data a memo is made by


@lru_cache(maxsize=1)
def code_digest(package: Path = Path(__file__).resolve().parent) -> str:
    """The SHA-256 over every module, template and shipped rule set of the installed auditlib (relative path and
    bytes of each, in a stable order): what made a memo besides its inputs."""
    digest = hashlib.sha256()
    files = sorted({path for pattern in PACKAGE_FILES for path in package.rglob(pattern)
                    if "__pycache__" not in path.parts})
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(_file_digest(path).encode("ascii"))
    return digest.hexdigest()


def unit_key(params_file: Path, root: Path, notebook_digest: str, registry: dict[str, dict[str, str]],
             allow_outside_data: bool = False, earlier_key: str = "", code: str | None = None) -> str:
    """The unit's key, or "" when its params or report cannot be read (the unit is then done, and fails with
    the reason). earlier_key: the key of the unit's year before in the same batch; code: the code digest
    (default: the installed auditlib's, `code_digest()`)."""
    from auditlib.pipeline import RULESETS_FOLDER
    from auditlib.errors import AuditlibError
    from auditlib.params import load_params
    from auditlib.review import review_file_sha256

    try:
        params = load_params(params_file)
        report = params.checked_report(root, allow_outside_data)
        rule_set = root / RULESETS_FOLDER / f"{params.rule_set}.yaml"
        parts = {"auditlib": code if code is not None else code_digest(), "params": _file_digest(params_file), "report": _file_digest(report),
                 "notebook": notebook_digest, "registry": registry.get(params.unit) or {},
                 "rule_set": _file_digest(rule_set) if rule_set.is_file() else "",
                 "review": review_file_sha256(root, params.unit, params.year), "earlier": earlier_key}
    except (AuditlibError, OSError):
        return ""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def notebook_digest(notebook: Path) -> str:
    """The unit notebook's SHA-256 ("" when it is missing: every unit is then done, and fails)."""
    return _file_digest(notebook) if notebook.is_file() else ""


def read_manifest(out_dir: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The output folder's manifest: its entries by params file name and its last run's stamp (both empty when
    there is none or it is damaged)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION or not isinstance(data.get("units"), dict):
        return {}, {}
    last_run = data.get("last_run")
    return data["units"], last_run if isinstance(last_run, dict) else {}


def load_manifest(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The output folder's manifest entries by params file name (empty when there is none or it is damaged)."""
    return read_manifest(out_dir)[0]


def reusable(entry: dict[str, Any] | None, key: str, out_dir: Path):
    """The earlier UnitResult of a unit, marked reused, when its key is unchanged and its outputs are there."""
    from auditlib.worker import UnitResult

    if not key or not entry or entry.get("key") != key:
        return None
    try:
        result = UnitResult(**entry["result"])
    except (KeyError, TypeError):
        return None
    name = f"{result.unit}-{result.year}"
    outputs = {"memo": out_dir / f"{name}.html", "notebook": out_dir / "notebooks" / f"{name}.ipynb",
               "data": out_dir / "data" / f"{name}.json"}
    if not result.ok or not all(path.is_file() for path in outputs.values()):
        return None
    result.outputs = {kind: str(path) for kind, path in outputs.items()}
    result.notebook, result.reused = str(outputs["notebook"]), True
    return result


def save_manifest(out_dir: Path, entries: dict[str, dict[str, Any]], results,
                  last_run: dict[str, Any] | None = None) -> Path:
    """Record this run's successful units (failed ones are redone next time) over the earlier entries, and the
    stamp of the outputs the run left (`stamp_run`; none while they are being written)."""
    entries = dict(entries)
    for result in results:
        name = Path(result.params_file).name
        if result.ok and result.key:
            entries[name] = {"key": result.key, "result": {**asdict(result), "reused": False}}
        else:
            entries.pop(name, None)
    data = {"version": MANIFEST_VERSION, "auditlib": __version__, "units": entries}
    if last_run:
        data["last_run"] = last_run
    return write_json_atomic(out_dir / MANIFEST, data)


# What a batch writes besides each unit's memo, executed notebook and record.
SHARED_OUTPUTS = ("index.html", "notebooks/portfolio.ipynb", "findings.xlsx", "findings.csv", "summary.json",
                  "auditlib.duckdb")


def _outputs_of(results) -> list[str]:
    """Every output a batch of these results wrote, relative to its output folder."""
    unit_outputs = [path for result in results for path in
                    (f"{result.unit}-{result.year}.html", f"notebooks/{result.unit}-{result.year}.ipynb",
                     f"data/{result.unit}-{result.year}.json")]
    return [*SHARED_OUTPUTS, *unit_outputs]


def _stamps(out_dir: Path, relative_paths: list[str]) -> dict[str, list[int]] | None:
    """Size and modification time (ns) of each file; None when one is missing."""
    stamps = {}
    for relative in relative_paths:
        try:
            stat = (out_dir / relative).stat()
        except OSError:
            return None
        stamps[relative] = [stat.st_size, stat.st_mtime_ns]
    return stamps


def stamp_run(out_dir: Path, run_id: str, results, index_notebook: str) -> dict[str, Any]:
    """The stamp of the outputs a batch just wrote (empty when one is missing or a unit failed: the next
    batch then remakes the shared outputs)."""
    if not results or not all(result.ok for result in results):
        return {}
    files = _stamps(out_dir, _outputs_of(results))
    if files is None:
        return {}
    return {"run_id": run_id, "units": sorted(Path(result.params_file).name for result in results),
            "index_notebook": index_notebook, "files": files}


def unchanged_run(out_dir: Path, last_run: dict[str, Any], results, index_notebook: str) -> str:
    """The id of the last batch when every output it wrote is still as it left it, for exactly these units
    (all of them reused) and the same index notebook; else "" (the shared outputs are then remade)."""
    if not last_run or not results or not all(result.reused for result in results):
        return ""
    if last_run.get("units") != sorted(Path(result.params_file).name for result in results):
        return ""
    if last_run.get("index_notebook") != index_notebook or not isinstance(last_run.get("files"), dict):
        return ""
    expected = _outputs_of(results)
    if sorted(last_run["files"]) != sorted(expected) or _stamps(out_dir, expected) != last_run["files"]:
        return ""
    return str(last_run.get("run_id") or "")
