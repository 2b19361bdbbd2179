"""The parameters rules compare against: a rule set (auditlib.rulesets; the national one by default) and the
thresholds and tolerances of the catalogue.

Where the two overlap (total points, budget-execution points, grade bands) the rule set is the source and a
threshold set in a params file overrides it for that run.
"""

from __future__ import annotations

from dataclasses import field, fields, make_dataclass
from typing import Any

from auditlib.check.catalogue import PARAMETERS
from auditlib.check.rule import shipped_rule_set
from auditlib.errors import ParamsError
from auditlib.rulesets import GradeBand, RuleSet

__all__ = ["CheckParams", "shipped_rule_set"]


class _Thresholds:
    """What CheckParams does; its fields are the parameters the rules declare (see CheckParams below)."""

    def __post_init__(self) -> None:
        rules = self.rule_set or shipped_rule_set()
        object.__setattr__(self, "rule_set", rules)
        for param in PARAMETERS:
            value = getattr(self, param.name)
            if value is not None and not param.admits(value):
                raise ParamsError(f"阈值 {param.name} 应为 {param.minimum:g} 到 {param.maximum:g} 之间的数字: "
                                  f"got {value!r}. 请修改参数文件的 thresholds / fix it under thresholds: in the params file.")
            object.__setattr__(self, param.name, param.default_for(rules) if value is None else float(value))

    @classmethod
    def from_mapping(cls, values: dict[str, Any] | None, rule_set: RuleSet | None = None) -> "CheckParams":
        """Build from a params file's `thresholds` (and its rule set); unknown keys are an error, not ignored."""
        values = dict(values or {})
        known = {f.name for f in fields(cls)} - {"rule_set"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ParamsError(f"未知的阈值参数 {', '.join(unknown)}: known thresholds are {', '.join(sorted(known))}")
        return cls(**values, rule_set=rule_set)  # each value checked against its declaration

    @property
    def grade_bands(self) -> tuple[GradeBand, ...]:
        """The rule set's grade bands, with any thresholds the params file sets."""
        bands = self.rule_set.grades
        minimums = (self.grade_excellent, self.grade_good, self.grade_pass, bands[3].minimum)
        return tuple(GradeBand(band.grade, minimum, band.above) for band, minimum in zip(bands, minimums))

    def score_cap(self, execution_rate: float, points: float | None = None) -> float:
        """The highest self-score the execution rate allows: its points (the form's own where it states them, else
        budget_execution_points) are awarded in proportion to the rate (read at the top of its rounding, and never
        above 100%)."""
        rate_high = min(execution_rate + self.headline_rate_half_width, 1.0)
        points = self.budget_execution_points if points is None else points
        return self.total_points - points * (1 - rate_high)

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


CheckParams = make_dataclass(
    "CheckParams",
    [(param.name, float | None, field(default=param.default)) for param in PARAMETERS]
    + [("rule_set", RuleSet | None, field(default=None))],
    bases=(_Thresholds,), frozen=True, namespace={"__module__": __name__})
CheckParams.__doc__ = """The value of every parameter the rules declare (check/catalogue.PARAMETERS, each with its
default and range), and the rule set; every one can be set per run in params/*.yaml.

A parameter whose default is None takes the rule set's value (total points, budget-execution points, grade
bands); after construction every parameter is a number. Frozen and hashable: runs with equal params are checked
together."""
