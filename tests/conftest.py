from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
RAW = ROOT / "data" / "raw"
SEEDS = {path.stem: path for path in sorted(RAW.glob("*/*/*.txt"))}


@pytest.fixture
def fixture_path():
    """Path of a named text fixture."""
    def find(name: str) -> Path:
        return FIXTURES / f"{name}.txt"
    return find


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    """The bundled seed reports by name (xinzhou-2019 …)."""
    assert len(SEEDS) == 5, f"expected the five bundled reports in {RAW}"
    return SEEDS
