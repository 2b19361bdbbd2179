"""The parameters several rule families read: tolerances beyond rounding, the top of a rate, and the scale of a
self-evaluation (its total points, the budget-execution points and the grade bands, which the rule set gives
unless a params file sets them)."""

from __future__ import annotations

from auditlib.check.rule import Param

POINTS_MAX = 1000.0  # points and tolerances in points or 万元: never negative, and at most this

AMOUNT_TOLERANCE = Param("amount_tolerance", 0.0, POINTS_MAX, "万元 allowed beyond the rounding of the written figures",
                         "万元")
RATE_TOLERANCE = Param("rate_tolerance", 0.0, 1.0,
                       "fraction allowed beyond rounding (0.001 = 0.1 percentage point)", "%")
SCORE_TOLERANCE = Param("score_tolerance", 0.0, POINTS_MAX, "points allowed beyond rounding", "分")
MAX_RATE = Param("max_rate", 1.0, 10.0, "above this more was spent (or received) than budgeted", "%")
LOW_EXECUTION_RATE = Param("low_execution_rate", 0.90, 2.0, "below this an execution rate needs an explanation", "%")
HEADLINE_RATE_HALF_WIDTH = Param("headline_rate_half_width", 0.0005, 0.05,
                                 "the headline rate's rounding, for the score cap", "%")
TOTAL_POINTS = Param("total_points", None, POINTS_MAX, "what an indicator system's weights must add up to (100)", "分",
                     from_rule_set=lambda rules: rules.total_points)
BUDGET_EXECUTION_POINTS = Param("budget_execution_points", None, POINTS_MAX,
                                "points 预算执行率 carries (national: 10)", "分",
                                from_rule_set=lambda rules: rules.execution_points)
GRADE_EXCELLENT = Param("grade_excellent", None, POINTS_MAX, "优 at or above (national: 90)", "分",
                        from_rule_set=lambda rules: rules.grades[0].minimum)
GRADE_GOOD = Param("grade_good", None, POINTS_MAX, "良 at or above (national: 80)", "分",
                   from_rule_set=lambda rules: rules.grades[1].minimum)
GRADE_PASS = Param("grade_pass", None, POINTS_MAX, "中 at or above (national: 60); 差 below", "分",
                   from_rule_set=lambda rules: rules.grades[2].minimum)
GRADES = (GRADE_EXCELLENT, GRADE_GOOD, GRADE_PASS)

# Read by the check tables and CheckParams themselves (the score cap, grade bands), whatever rules run.
PARAMS = (AMOUNT_TOLERANCE, RATE_TOLERANCE, SCORE_TOLERANCE, MAX_RATE, HEADLINE_RATE_HALF_WIDTH, TOTAL_POINTS,
          BUDGET_EXECUTION_POINTS, *GRADES)
