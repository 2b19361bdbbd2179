"""Incremental batches: which units are unchanged since their last successful run in an output folder.

A unit and year's key is a SHA-256 over everything its memo is made from: the report's bytes, the params
file, the unit notebook, the unit's row of data/units.csv, the project's rule-set file it names (if any), its
review file (reviews/<unit>-<year>.yaml), the key of the unit's year before (its memo compares with that
year) and the auditlib version. The output folder's
manifest.json maps each unit and year to the key and result of its last successful run; a unit whose key
is unchanged and whose memo and record are still there is reused, not redone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
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


def unit_key(params_file: Path, root: Path, notebook_digest: str, registry: dict[str, dict[str, str]],
             allow_outside_data: bool = False, earlier_key: str = "") -> str:
    """The unit's key, or "" when its params or report cannot be read (the unit is then done, and fails with
    the reason). earlier_key: the key of the unit's year before in the same batch."""
    from auditlib.audit import RULESETS_FOLDER
    from auditlib.errors import AuditlibError
    from auditlib.params import load_params
    from auditlib.review import review_file_sha256

    try:
        params = load_params(params_file)
        report = params.checked_report(root, allow_outside_data)
        rule_set = root / RULESETS_FOLDER / f"{params.rule_set}.yaml"
        parts = {"auditlib": __version__, "params": _file_digest(params_file), "report": _file_digest(report),
                 "notebook": notebook_digest, "registry": registry.get(params.unit) or {},
                 "rule_set": _file_digest(rule_set) if rule_set.is_file() else "",
                 "review": review_file_sha256(root, params.unit, params.year), "earlier": earlier_key}
    except (AuditlibError, OSError):
        return ""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def notebook_digest(notebook: Path) -> str:
    """The unit notebook's SHA-256 ("" when it is missing: every unit is then done, and fails)."""
    return _file_digest(notebook) if notebook.is_file() else ""


def load_manifest(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The output folder's manifest entries by params file name (empty when there is none or it is damaged)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION or not isinstance(data.get("units"), dict):
        return {}
    return data["units"]


def reusable(entry: dict[str, Any] | None, key: str, out_dir: Path):
    """The earlier UnitResult of a unit, marked reused, when its key is unchanged and its outputs are there."""
    from auditlib.batch import UnitResult

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


def save_manifest(out_dir: Path, entries: dict[str, dict[str, Any]], results) -> Path:
    """Record this run's successful units (failed ones are redone next time) over the earlier entries."""
    entries = dict(entries)
    for result in results:
        name = Path(result.params_file).name
        if result.ok and result.key:
            entries[name] = {"key": result.key, "result": {**asdict(result), "reused": False}}
        else:
            entries.pop(name, None)
    return write_json_atomic(out_dir / MANIFEST, {"version": MANIFEST_VERSION, "auditlib": __version__,
                                                  "units": entries})
