"""The parameters rules compare against, with the national defaults (财预〔2020〕10号; ../shared/domain.md)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from auditlib.errors import ParamsError


@dataclass(frozen=True)
class CheckParams:
    """Thresholds and tolerances of the rule catalogue; every one can be set per run in params/*.yaml."""

    low_execution_rate: float = 0.90  # below this an execution rate needs an explanation
    max_rate: float = 1.0  # above this more was spent (or received) than budgeted
    large_change: float = 0.20  # receipts deviating from the initial budget by more than this share
    budget_execution_points: float = 10.0  # points 预算执行率 carries in a self-evaluation
    total_points: float = 100.0  # what an indicator system's weights must add up to
    grade_excellent: float = 90.0  # 优 at or above
    grade_good: float = 80.0  # 良 at or above
    grade_pass: float = 60.0  # 中 at or above; 差 below
    amount_tolerance: float = 0.0  # 万元 allowed beyond the rounding of the written figures
    rate_tolerance: float = 0.0  # fraction allowed beyond rounding (0.001 = 0.1 percentage point)
    score_tolerance: float = 0.0  # points allowed beyond rounding
    headline_rate_half_width: float = 0.0005  # the headline rate's rounding, for the score cap

    @classmethod
    def from_mapping(cls, values: dict[str, Any] | None) -> "CheckParams":
        """Build from a params file's `thresholds`; unknown keys are an error, not ignored."""
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ParamsError(f"未知的阈值参数 {', '.join(unknown)}: known thresholds are {', '.join(sorted(known))}")
        return cls(**{key: float(value) for key, value in values.items()})

    def score_cap(self, execution_rate: float) -> float:
        """The highest self-score the execution rate allows: its points are awarded in proportion to the rate
        (read at the top of its rounding, and never above 100%)."""
        rate_high = min(execution_rate + self.headline_rate_half_width, 1.0)
        return self.total_points - self.budget_execution_points * (1 - rate_high)

    def grade_for(self, score: float) -> str:
        """The national grade of a score out of 100: 优, 良, 中 or 差."""
        if score >= self.grade_excellent:
            return "优"
        if score >= self.grade_good:
            return "良"
        if score >= self.grade_pass:
            return "中"
        return "差"

    def grade_band(self, grade: str) -> tuple[float, float]:
        """The score range [low, high] of a grade (a score above the total is score.above_cap's concern)."""
        return {"优": (self.grade_excellent, float("inf")), "良": (self.grade_good, self.grade_excellent),
                "中": (self.grade_pass, self.grade_good), "差": (0.0, self.grade_pass)}[grade]
