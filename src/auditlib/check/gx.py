"""great-expectations, imported lazily: one quiet ephemeral context per process, one suite per table."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd

ROW_ID = "row_id"


@dataclass(frozen=True)
class Outcome:
    """One expectation's result: which rule and key it served, and the ids of the rows that failed it."""

    rule: str
    key: str
    success: bool
    unexpected_rows: tuple[int, ...]


class GxRunner:
    """Validates DataFrames with expectation suites in a single ephemeral GX context."""

    def __init__(self) -> None:
        # No usage statistics leave an auditor's machine, and nothing but results reaches stdout.
        os.environ["GX_ANALYTICS_ENABLED"] = "False"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GX's own deprecation noise at import
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig
        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.source = self.context.data_sources.add_pandas(name="auditlib")
        self._batch_definitions: dict[str, Any] = {}

    @property
    def expectations(self):
        """The gx.expectations module, for rules to build their expectations."""
        return self.gx.expectations

    def _batch_definition(self, table: str):
        if table not in self._batch_definitions:
            asset = self.source.add_dataframe_asset(name=table)
            self._batch_definitions[table] = asset.add_batch_definition_whole_dataframe(f"{table}-whole")
        return self._batch_definitions[table]

    def validate(self, table: str, frame: pd.DataFrame, expectations: list[Any]) -> list[Outcome]:
        """Run the expectations on the frame; map each failure back to row ids."""
        if frame.empty or not expectations:
            return []
        suite = self.gx.ExpectationSuite(name=f"auditlib-{table}")
        for expectation in expectations:
            suite.add_expectation(expectation)
        batch = self._batch_definition(table).get_batch(batch_parameters={"dataframe": frame})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = batch.validate(suite, result_format={"result_format": "COMPLETE",
                                                          "unexpected_index_column_names": [ROW_ID]})
        outcomes = []
        for item in result.results:
            meta = item.expectation_config.meta or {}
            rows = tuple(int(entry[ROW_ID]) for entry in item.result.get("unexpected_index_list") or [])
            outcomes.append(Outcome(meta.get("rule", ""), meta.get("key", ""), bool(item.success), rows))
        return outcomes


_runner: GxRunner | None = None


def runner() -> GxRunner:
    """The process's one GX runner, created on first use."""
    global _runner
    if _runner is None:
        _runner = GxRunner()
    return _runner
