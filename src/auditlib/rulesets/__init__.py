"""rulesets: the scoring rules that govern a self-evaluation, as data (one YAML file per rule set).

A rule set says how a self-evaluation table should have been scored: its total, the budget-execution points
and their formula, how an indicator scores by its nature (≥, ≤, =, qualitative levels), the grade bands,
which deviations need a written reason, and where over-achievement starts. The package ships `national`
(the default) and provincial or local variants; a project may add its own as `rulesets/<name>.yaml` beside
params/. A params file names one (`rule_set: sichuan`). Files are read with auditlib.yamlsafe (safe_load with bounds) and validated
field by field: a broken or hostile file is one RuleSetError naming the file and the field.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from auditlib.errors import ParamsError

DEFAULT_RULE_SET = "national"
RULE_SET_NAME_RE = re.compile(r"[A-Za-z0-9_\-]{1,40}")
MAX_RULE_SET_BYTES = 64 * 1024  # a rule set is a page of YAML
GRADES = ("优", "良", "中", "差")
LEVELS = ("达成", "部分达成", "未达成")
EXECUTION_FORMULAS = {"proportional": "min(分值, 执行数 ÷ 全年预算数 × 分值)"}
AT_LEAST_FORMULAS = {"ratio": "完成值 ÷ 指标值 × 分值（封顶）"}
AT_MOST_FORMULAS = {"linear": "（1 − (完成值 − 指标值) ÷ 指标值）× 分值，两倍指标值时为0",
                    "ratio": "指标值 ÷ 完成值 × 分值（封顶）"}
EQUAL_FORMULAS = {"all_or_nothing": "等于指标值得满分，否则0分"}
KEYS = {"id", "name", "source", "total_points", "budget_execution", "indicator_points", "scoring", "grades",
        "reasons", "over_achievement"}


class RuleSetError(ParamsError):
    """A rule-set file is missing, unreadable, or has a wrong value."""


@dataclass(frozen=True)
class GradeBand:
    """A grade and the lowest score that gets it (`above`: the score must exceed it, as in 优 > 90)."""

    grade: str
    minimum: float
    above: bool = False

    def admits(self, score: float) -> bool:
        """True when score reaches this band."""
        return score > self.minimum if self.above else score >= self.minimum


@dataclass(frozen=True)
class RuleSet:
    """The rules a self-evaluation is re-scored by (see the module docstring and rulesets/national.yaml)."""

    id: str
    name: str
    source: str
    total_points: float
    execution_points: float
    execution_formula: str
    indicator_points: float
    at_least: str
    at_most: str
    equal: str
    qualitative: tuple[tuple[str, float, float], ...]  # (level, from share, to share)
    grades: tuple[GradeBand, ...]  # highest first
    reason_every_deduction: bool
    reason_rate_below: float | None
    reason_max_chars: int | None
    over_achievement: float
    path: str = ""

    def grade_for(self, score: float) -> str:
        """The grade of a score under this rule set's bands."""
        return next((band.grade for band in self.grades if band.admits(score)), self.grades[-1].grade)

    def level_band(self, level: str) -> tuple[float, float] | None:
        """The share of the weight [from, to] a qualitative level may score."""
        return next(((low, high) for name, low, high in self.qualitative if name == level), None)

    def describe(self) -> str:
        """One line for a memo: the rule set's name and its main numbers."""
        bands = "/".join(f"{band.grade}{'>' if band.above else '≥'}{band.minimum:g}" for band in self.grades[:-1])
        return (f"{self.name}：总分{self.total_points:g}，预算执行{self.execution_points:g}分，"
                f"指标{self.indicator_points:g}分，等级{bands}")


def rule_set_names(search: Iterable[Path] = ()) -> list[str]:
    """The rule sets a project can name: its own rulesets/*.yaml and the package's."""
    names = {path.stem for folder in search if Path(folder).is_dir() for path in Path(folder).glob("*.yaml")}
    names |= {entry.name[:-5] for entry in resources.files(__name__).iterdir() if entry.name.endswith(".yaml")}
    return sorted(names)


def load_rule_set(name: str | None = None, search: Iterable[Path] = ()) -> RuleSet:
    """The rule set called name (default national): the first <name>.yaml in the search folders (a project's
    rulesets/), else the one shipped in the package. A name is a name, never a path."""
    name = DEFAULT_RULE_SET if name is None else name
    if not isinstance(name, str) or not RULE_SET_NAME_RE.fullmatch(name):
        raise RuleSetError(f"rule_set 名称无效：{str(name)[:80]!r}。规则集名只能包含字母、数字、- 和 _ / a rule set is named, "
                           f"not given as a path; known: {', '.join(rule_set_names(search))}")
    for folder in search:
        path = Path(folder) / f"{name}.yaml"
        if path.is_file():
            return read_rule_set(path)
    resource = resources.files(__name__) / f"{name}.yaml"
    if not resource.is_file():
        raise RuleSetError(f"没有名为 {name!r} 的规则集 / no rule set {name!r}; known: "
                           f"{', '.join(rule_set_names(search))}")
    return parse_rule_set(_parse_yaml(resource.read_bytes(), f"auditlib/rulesets/{name}.yaml"),
                          f"auditlib/rulesets/{name}.yaml")


def read_rule_set(path: str | Path) -> RuleSet:
    """A rule set from a YAML file of one's own."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_RULE_SET_BYTES:
            raise RuleSetError(f"规则集文件过大 ({path}): over {MAX_RULE_SET_BYTES // 1024} KiB; a rule set is a page of YAML")
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise RuleSetError(f"规则集文件不存在: {path}") from error
    except OSError as error:
        raise RuleSetError(f"规则集文件无法读取 ({path}): {error}") from error
    return parse_rule_set(_parse_yaml(raw, str(path)), str(path))


def _parse_yaml(raw: bytes, origin: str) -> Any:
    import yaml

    if len(raw) > MAX_RULE_SET_BYTES:
        raise RuleSetError(f"规则集文件过大 ({origin}): over {MAX_RULE_SET_BYTES // 1024} KiB")
    from auditlib.yamlsafe import YamlTooLarge, load_yaml

    try:
        return load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise RuleSetError(f"规则集文件不是 UTF-8 ({origin}): {error}. 请保存为 UTF-8 的 YAML 文件") from error
    except yaml.YAMLError as error:
        raise RuleSetError(f"规则集文件不是有效的 YAML ({origin}): {str(error)[:300]}") from error
    except YamlTooLarge as error:
        raise RuleSetError(f"规则集文件过于复杂 ({origin}): {error}") from None
    except RecursionError as error:  # deeply nested flow collections
        raise RuleSetError(f"规则集文件嵌套过深 ({origin})") from error


class _Reader:
    """Reads one rule-set mapping; every error names the file and the field."""

    def __init__(self, origin: str):
        self.origin = origin

    def fail(self, field: str, problem: str) -> RuleSetError:
        return RuleSetError(f"规则集文件 {self.origin} 的 {field} 有误：{problem}")

    def mapping(self, value: Any, field: str, keys: set[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(field, "应为键值对 / expected a mapping")
        unknown = sorted(str(key) for key in set(value) - keys)
        if unknown:
            raise self.fail(field, f"未知的键 {', '.join(unknown)}；可用的键：{', '.join(sorted(keys))}")
        return value

    def number(self, value: Any, field: str, low: float, high: float, optional: bool = False) -> float | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not low <= value <= high:
            raise self.fail(field, f"应为 {low:g} 到 {high:g} 之间的数字，而不是 {str(value)[:40]!r}")
        return float(value)

    def text(self, value: Any, field: str, limit: int = 200) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise self.fail(field, f"应为不超过{limit}字的文字")
        return value.strip()

    def choice(self, value: Any, field: str, choices: dict[str, str]) -> str:
        if value not in choices:
            raise self.fail(field, f"应为 {' / '.join(choices)} 之一，而不是 {str(value)[:40]!r}")
        return value


def parse_rule_set(data: Any, origin: str = "<rule set>") -> RuleSet:
    """Validate a rule set read from YAML (see rulesets/national.yaml for every key)."""
    read = _Reader(origin)
    data = read.mapping(data, "（文件）", KEYS)
    missing = sorted(KEYS - set(data))
    if missing:
        raise read.fail("（文件）", f"缺少 {', '.join(missing)}")
    rule_id = data["id"]
    if not isinstance(rule_id, str) or not RULE_SET_NAME_RE.fullmatch(rule_id):
        raise read.fail("id", "应为字母、数字、- 和 _ 组成的名称")
    total = read.number(data["total_points"], "total_points", 1, 1000)
    execution = read.mapping(data["budget_execution"], "budget_execution", {"points", "formula"})
    points = read.number(execution.get("points"), "budget_execution.points", 0, total)
    indicator_points = read.number(data["indicator_points"], "indicator_points", 0, total)
    if abs(points + indicator_points - total) > 1e-9:
        raise read.fail("indicator_points", f"预算执行{points:g}分＋指标{indicator_points:g}分应等于总分{total:g}分")
    scoring = read.mapping(data["scoring"], "scoring", {"at_least", "at_most", "equal", "qualitative"})
    qualitative = read.mapping(scoring.get("qualitative"), "scoring.qualitative", set(LEVELS))
    levels = []
    for level in LEVELS:
        band = qualitative.get(level)
        if not (isinstance(band, list) and len(band) == 2):
            raise read.fail(f"scoring.qualitative.{level}", "应为 [下限, 上限]，即分值的比例，如 [0.8, 1.0]")
        low = read.number(band[0], f"scoring.qualitative.{level}", 0, 1)
        high = read.number(band[1], f"scoring.qualitative.{level}", 0, 1)
        if low > high:
            raise read.fail(f"scoring.qualitative.{level}", "下限不能高于上限")
        levels.append((level, low, high))
    grades = _grades(read, data["grades"], total)
    reasons = read.mapping(data["reasons"], "reasons", {"every_deduction", "execution_rate_below", "max_chars"})
    every = reasons.get("every_deduction", True)
    if not isinstance(every, bool):
        raise read.fail("reasons.every_deduction", "应为 true 或 false")
    max_chars = read.number(reasons.get("max_chars"), "reasons.max_chars", 1, 10000, optional=True)
    return RuleSet(
        id=rule_id, name=read.text(data["name"], "name", 60), source=read.text(data["source"], "source"),
        total_points=total, execution_points=points,
        execution_formula=read.choice(execution.get("formula"), "budget_execution.formula", EXECUTION_FORMULAS),
        indicator_points=indicator_points,
        at_least=read.choice(scoring.get("at_least"), "scoring.at_least", AT_LEAST_FORMULAS),
        at_most=read.choice(scoring.get("at_most"), "scoring.at_most", AT_MOST_FORMULAS),
        equal=read.choice(scoring.get("equal"), "scoring.equal", EQUAL_FORMULAS),
        qualitative=tuple(levels), grades=grades, reason_every_deduction=every,
        reason_rate_below=read.number(reasons.get("execution_rate_below"), "reasons.execution_rate_below", 0, 2,
                                      optional=True),
        reason_max_chars=int(max_chars) if max_chars is not None else None,
        over_achievement=read.number(data["over_achievement"], "over_achievement", 1, 100), path=origin)


def _grades(read: _Reader, value: Any, total: float) -> tuple[GradeBand, ...]:
    if not isinstance(value, list) or len(value) != len(GRADES):
        raise read.fail("grades", f"应列出 {'、'.join(GRADES)} 四个等级，从高到低")
    bands = []
    for index, entry in enumerate(value):
        entry = read.mapping(entry, f"grades[{index + 1}]", {"grade", "from", "above"})
        if entry.get("grade") != GRADES[index]:
            raise read.fail(f"grades[{index + 1}]", f"第{index + 1}个等级应为“{GRADES[index]}”（从高到低）")
        above = entry.get("above", False)
        if not isinstance(above, bool):
            raise read.fail(f"grades[{index + 1}].above", "应为 true 或 false")
        bands.append(GradeBand(GRADES[index], read.number(entry.get("from"), f"grades[{index + 1}].from", 0, total),
                               above))
    if any(high.minimum <= low.minimum for high, low in zip(bands, bands[1:])) or bands[-1].minimum != 0:
        raise read.fail("grades", "各等级的下限应从高到低递减，“差”从0起")
    return tuple(bands)
