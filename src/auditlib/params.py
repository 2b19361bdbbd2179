"""Run parameters: one params/<unit>-<year>.yaml per unit and year, as papermill and the CLI take them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from auditlib.errors import ParamsError

REQUIRED = ("unit", "year", "report_path")


@dataclass(frozen=True)
class RunParams:
    """What one run for one unit and year needs."""

    unit: str
    year: int
    report_path: str
    output_dir: str = "outputs"
    thresholds: dict[str, float] = field(default_factory=dict)
    source: str = ""  # the params file these came from

    def resolved_report(self, root: Path) -> Path:
        """The report path, relative paths taken from the project root."""
        path = Path(self.report_path)
        return path if path.is_absolute() else root / path

    def as_notebook_parameters(self) -> dict[str, Any]:
        """The parameters as papermill injects them."""
        values = asdict(self)
        values.pop("source")
        return values


def load_params(path: str | Path) -> RunParams:
    """Load and validate one params YAML file."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as error:
        raise ParamsError(f"参数文件不存在: {path}") from error
    except yaml.YAMLError as error:
        raise ParamsError(f"参数文件不是有效的 YAML ({path}): {error}") from error
    if not isinstance(data, dict):
        raise ParamsError(f"参数文件应为键值对 ({path}): expected a mapping of keys to values")
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise ParamsError(f"参数文件缺少 {', '.join(missing)} ({path}): add these keys")
    try:
        year = int(data["year"])
    except (TypeError, ValueError) as error:
        raise ParamsError(f"year 应为年份数字 ({path}): got {data['year']!r}") from error
    thresholds = data.get("thresholds") or {}
    if not isinstance(thresholds, dict):
        raise ParamsError(f"thresholds 应为键值对 ({path})")
    known = {"unit", "year", "report_path", "output_dir", "thresholds"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ParamsError(f"参数文件有未知的键 {', '.join(unknown)} ({path}): known keys are {', '.join(sorted(known))}")
    return RunParams(unit=str(data["unit"]), year=year, report_path=str(data["report_path"]),
                     output_dir=str(data.get("output_dir", "outputs")),
                     thresholds={str(k): float(v) for k, v in thresholds.items()}, source=str(path))


def find_params(params_dir: str | Path, units: list[str] | None = None, years: list[int] | None = None) -> list[Path]:
    """The params files in a folder, filtered by unit and year."""
    paths = sorted(Path(params_dir).glob("*.yaml"))
    selected = []
    for path in paths:
        unit, _, year = path.stem.rpartition("-")
        if units and unit not in units:
            continue
        if years and (not year.isdigit() or int(year) not in years):
            continue
        selected.append(path)
    return selected
