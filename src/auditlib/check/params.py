"""The parameters rules compare against: a rule set (auditlib.rulesets; the national one by default) and the
thresholds and tolerances of the catalogue.

Where the two overlap (total points, budget-execution points, grade bands) the rule set is the source and a
threshold set in a params file overrides it for that run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from auditlib.errors import ParamsError
from auditlib.rulesets import DEFAULT_RULE_SET, GradeBand, RuleSet, load_rule_set

# Thresholds a rule set provides unless a params file sets them.
FROM_RULE_SET = ("budget_execution_points", "total_points", "grade_excellent", "grade_good", "grade_pass")


@lru_cache(maxsize=8)
def shipped_rule_set(name: str = DEFAULT_RULE_SET) -> RuleSet:
    """A rule set shipped in the package, read once per process."""
    return load_rule_set(name)


@dataclass(frozen=True)
class CheckParams:
    """Thresholds and tolerances of the rule catalogue; every one can be set per run in params/*.yaml.

    None means "as the rule set says"; after construction every threshold is a number.
    """

    low_execution_rate: float = 0.90  # below this an execution rate needs an explanation
    max_rate: float = 1.0  # above this more was spent (or received) than budgeted
    large_change: float = 0.20  # receipts deviating from the initial budget by more than this share
    budget_execution_points: float | None = None  # points 预算执行率 carries (national: 10)
    total_points: float | None = None  # what an indicator system's weights must add up to (100)
    grade_excellent: float | None = None  # 优 at or above (national: 90)
    grade_good: float | None = None  # 良 at or above (80)
    grade_pass: float | None = None  # 中 at or above (60); 差 below
    amount_tolerance: float = 0.0  # 万元 allowed beyond the rounding of the written figures
    rate_tolerance: float = 0.0  # fraction allowed beyond rounding (0.001 = 0.1 percentage point)
    score_tolerance: float = 0.0  # points allowed beyond rounding
    headline_rate_half_width: float = 0.0005  # the headline rate's rounding, for the score cap
    rule_set: RuleSet | None = None  # the scoring rules; None: the national rule set

    def __post_init__(self) -> None:
        rules = self.rule_set or shipped_rule_set()
        object.__setattr__(self, "rule_set", rules)
        defaults = {"budget_execution_points": rules.execution_points, "total_points": rules.total_points,
                    "grade_excellent": rules.grades[0].minimum, "grade_good": rules.grades[1].minimum,
                    "grade_pass": rules.grades[2].minimum}
        for key, value in defaults.items():
            if getattr(self, key) is None:
                object.__setattr__(self, key, float(value))

    @classmethod
    def from_mapping(cls, values: dict[str, Any] | None, rule_set: RuleSet | None = None) -> "CheckParams":
        """Build from a params file's `thresholds` (and its rule set); unknown keys are an error, not ignored."""
        values = dict(values or {})
        known = {f.name for f in fields(cls)} - {"rule_set"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ParamsError(f"未知的阈值参数 {', '.join(unknown)}: known thresholds are {', '.join(sorted(known))}")
        return cls(**{key: float(value) for key, value in values.items()}, rule_set=rule_set)

    @property
    def grade_bands(self) -> tuple[GradeBand, ...]:
        """The rule set's grade bands, with any thresholds the params file sets."""
        bands = self.rule_set.grades
        minimums = (self.grade_excellent, self.grade_good, self.grade_pass, bands[3].minimum)
        return tuple(GradeBand(band.grade, minimum, band.above) for band, minimum in zip(bands, minimums))

    def score_cap(self, execution_rate: float) -> float:
        """The highest self-score the execution rate allows: its points are awarded in proportion to the rate
        (read at the top of its rounding, and never above 100%)."""
        rate_high = min(execution_rate + self.headline_rate_half_width, 1.0)
        return self.total_points - self.budget_execution_points * (1 - rate_high)

    def grade_for(self, score: float) -> str:
        """The grade of a score out of the total: 优, 良, 中 or 差."""
        bands = self.grade_bands
        return next((band.grade for band in bands if band.admits(score)), bands[-1].grade)

    def grade_band(self, grade: str) -> tuple[float, float]:
        """The score range [low, high] of a grade, as a closed interval (a score above the total is
        score.above_cap's concern)."""
        bands = self.grade_bands
        index = next(i for i, band in enumerate(bands) if band.grade == grade)
        band = bands[index]
        low = band.minimum + (1e-9 if band.above else 0.0)
        if index == 0:
            return low, float("inf")
        upper = bands[index - 1]
        return low, upper.minimum - (0.0 if upper.above else 1e-9)

    def grade_rule(self) -> str:
        """The bands in words: 优≥90，良≥80，中≥60."""
        return "，".join(f"{band.grade}{'>' if band.above else '≥'}{band.minimum:g}" for band in self.grade_bands[:-1])
