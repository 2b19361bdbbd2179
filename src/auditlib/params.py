"""Run parameters: one params/<unit>-<year>.yaml per unit and year, as papermill and the CLI take them."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from auditlib.errors import ParamsError

REQUIRED = ("unit", "year", "report_path")
# A unit is a name, not a path: it names the memo, notebook and data files in the output folder.
UNIT_NAME_RE = re.compile(r"[A-Za-z0-9_\-\u3400-\u4dbf\u4e00-\u9fff]{1,64}")
YEARS = range(1990, 2101)
DATA_FOLDER = "data"


@dataclass(frozen=True)
class RunParams:
    """What one run for one unit and year needs."""

    unit: str
    year: int
    report_path: str
    output_dir: str = "outputs"
    thresholds: dict[str, float] = field(default_factory=dict)
    rule_set: str = "national"  # the scoring rules that govern the unit (auditlib.rulesets, or rulesets/<name>.yaml)
    source: str = ""  # the params file these came from

    def resolved_report(self, root: Path) -> Path:
        """The report path, relative paths taken from the project root."""
        path = Path(self.report_path)
        return path if path.is_absolute() else root / path

    def checked_report(self, root: Path, allow_outside_data: bool = False) -> Path:
        """The report path, refused unless it resolves inside the project's data folder (links followed),
        so a params file from someone else cannot make auditlib read any file on the machine."""
        path = self.resolved_report(root).resolve()
        data = (root / DATA_FOLDER).resolve()
        if not allow_outside_data and not path.is_relative_to(data):
            raise ParamsError(
                f"report_path 不在项目的 data 文件夹内 ({self.source}): {self.report_path} resolves to {path}, "
                f"outside {data}. 请把报告放入 data/ / put the report under data/, or pass --allow-outside-data.")
        return path

    def as_notebook_parameters(self) -> dict[str, Any]:
        """The parameters as papermill injects them."""
        values = asdict(self)
        values.pop("source")
        return values


def load_params(path: str | Path) -> RunParams:
    """Load and validate one params YAML file."""
    import yaml

    from auditlib.yamlsafe import MAX_BYTES, YamlTooLarge, load_yaml

    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:  # before reading it: a params file is a few lines
            raise YamlTooLarge(f"over {MAX_BYTES // 1024} KiB")
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as error:
        raise ParamsError(f"参数文件不存在: {path}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ParamsError(f"参数文件无法读取 ({path}): {error}. 请保存为 UTF-8 的 YAML 文件 / save it as UTF-8 YAML.") from error
    except yaml.YAMLError as error:
        raise ParamsError(f"参数文件不是有效的 YAML ({path}): {error}") from error
    except YamlTooLarge as error:
        raise ParamsError(f"参数文件过大或过于复杂 ({path}): {error}. 参数文件只需几行键值 / a params file is a few "
                          "lines of keys and values.") from None
    except RecursionError:
        raise ParamsError(f"参数文件嵌套过深 ({path}): not a params file.") from None
    if not isinstance(data, dict):
        raise ParamsError(f"参数文件应为键值对 ({path}): expected a mapping of keys to values")
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise ParamsError(f"参数文件缺少 {', '.join(missing)} ({path}): add these keys")
    unit = _unit_name(data["unit"], path)
    year = _year(data["year"], path)
    thresholds = data.get("thresholds") or {}
    if not isinstance(thresholds, dict):
        raise ParamsError(f"thresholds 应为键值对 ({path}): e.g. thresholds: {{low_execution_rate: 0.9}}")
    known = {"unit", "year", "report_path", "output_dir", "thresholds", "rule_set"}
    unknown = sorted(str(key) for key in set(data) - known)
    if unknown:
        raise ParamsError(f"参数文件有未知的键 {', '.join(unknown)} ({path}): known keys are {', '.join(sorted(known))}")
    if not isinstance(data["report_path"], str) or not data["report_path"].strip():
        raise ParamsError(f"report_path 应为文件路径 ({path}): got {data['report_path']!r}")
    return RunParams(unit=unit, year=year, report_path=data["report_path"],
                     output_dir=str(data.get("output_dir", "outputs")),
                     thresholds={str(k): _threshold(str(k), v, path) for k, v in thresholds.items()},
                     rule_set=_rule_set_name(data.get("rule_set"), path), source=str(path))


def _rule_set_name(value: Any, path: Path) -> str:
    from auditlib.rulesets import DEFAULT_RULE_SET, RULE_SET_NAME_RE

    if value is None:
        return DEFAULT_RULE_SET
    if not isinstance(value, str) or not RULE_SET_NAME_RE.fullmatch(value):
        raise ParamsError(f"rule_set 应为规则集名称 ({path}): got {str(value)[:80]!r}; write e.g. rule_set: national "
                          "(a name of letters, digits, - and _, never a path)")
    return value


def _unit_name(value: Any, path: Path) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not UNIT_NAME_RE.fullmatch(str(value)):
        raise ParamsError(
            f"unit 名称无效 ({path}): {str(value)[:80]!r}. 单位名只能包含字母、数字、汉字、- 和 _，最多 64 个字符 / "
            "a unit is a name of letters, digits, Chinese characters, - and _ (at most 64), not a path.")
    return str(value)


def _year(value: Any, path: Path) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in YEARS:
        raise ParamsError(f"year 应为年份整数 ({path}): got {value!r}; write e.g. year: 2021 "
                          f"({YEARS.start}–{YEARS.stop - 1}).")
    return value


def _threshold(key: str, value: Any, path: Path) -> float:
    """A threshold's value: a plain number, never negative. Its name and its range are the rule's that declares it
    (auditlib.check: CheckParams refuses an unknown name or a value out of range, with the range)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ParamsError(f"阈值 {key} 应为不小于 0 的数字 ({path}): got {value!r}. Write a plain number, e.g. {key}: 0.9.")
    return float(value)


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
    _check_one_file_per_unit_year(selected)
    return selected


def _check_one_file_per_unit_year(paths: list[Path]) -> None:
    """Two params files naming the same unit and year would write the same memo, one over the other: refuse
    before anything runs. A file that does not load is left to the run, which reports it for its unit."""
    seen: dict[tuple[str, int], Path] = {}
    for path in paths:
        try:
            params = load_params(path)
        except ParamsError:
            continue
        key = (params.unit, params.year)
        if key in seen:
            raise ParamsError(f"两个参数文件指向同一单位和年度 {params.unit} {params.year}（{seen[key].name} 与 {path.name}）: "
                              "both would write the same memo. 请删除或改正其中一个 / remove or correct one of them.")
        seen[key] = path
