"""Rounding-aware arithmetic: a figure written to 0.01 stands for every value within ±0.005 of it."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Interval:
    """A closed interval of values a written figure may stand for."""

    low: float
    high: float

    @classmethod
    def around(cls, value: float, half_width: float = 0.0) -> "Interval":
        """The interval value ± half_width."""
        return cls(value - half_width, value + half_width)

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(self.low + other.low, self.high + other.high)

    def __sub__(self, other: "Interval") -> "Interval":
        return Interval(self.low - other.high, self.high - other.low)

    def __neg__(self) -> "Interval":
        return Interval(-self.high, -self.low)

    def __truediv__(self, other: "Interval") -> "Interval":
        if other.low <= 0:
            return Interval(-math.inf, math.inf)  # a zero budget makes every ratio possible
        candidates = [self.low / other.low, self.low / other.high, self.high / other.low, self.high / other.high]
        return Interval(min(candidates), max(candidates))

    def scale(self, factor: float) -> "Interval":
        """The interval times a positive factor."""
        return Interval(self.low * factor, self.high * factor)

    @property
    def mid(self) -> float:
        """The middle value (the figure as written)."""
        return (self.low + self.high) / 2

    def gap(self, other: "Interval") -> float:
        """How far apart two intervals are: 0 when some value lies in both."""
        return max(0.0, other.low - self.high, self.low - other.high)


def total(intervals: list[Interval]) -> Interval:
    """The sum of several intervals."""
    result = Interval(0.0, 0.0)
    for interval in intervals:
        result = result + interval
    return result
