from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed seed, so that a red run means a change broke something, not that a random
# draw found an old corner; a contributor's run (the default profile) keeps drawing new forms.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("AUDITLIB_HYPOTHESIS_PROFILE", "default"))

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


BROKEN_REPORT = bytes(range(256)) * 8  # no text encoding reads this


@pytest.fixture(scope="session")
def batch_run(tmp_path_factory):
    """One real batch (papermill kernels, nbconvert) over the bundled units plus bad inputs (a broken report, a zip
    bomb, an encrypted PDF, an empty file, a folder, a params file whose unit is a path) and a report whose text
    carries <script> and <img onerror>."""
    import shutil

    from auditlib.batch import run_batch

    work = tmp_path_factory.mktemp("batch")
    params_dir = work / "params"
    shutil.copytree(ROOT / "params", params_dir)
    broken = work / "broken.txt"
    broken.write_bytes(BROKEN_REPORT)
    (params_dir / "broken-2021.yaml").write_text(f"unit: broken\nyear: 2021\nreport_path: {broken}\n", encoding="utf-8")
    injected = FIXTURES / "script_injection.txt"
    (params_dir / "injected-2021.yaml").write_text(f"unit: injected\nyear: 2021\nreport_path: {injected}\n",
                                                   encoding="utf-8")
    bomb = work / "bomb.docx"  # a zip bomb under a report's name
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (64 * 1024 * 1024))
    bomb.write_bytes(buffer.getvalue())
    (params_dir / "bomb-2021.yaml").write_text(f"unit: bomb\nyear: 2021\nreport_path: {bomb}\n", encoding="utf-8")
    encrypted = work / "locked.pdf"
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    encrypted.write_bytes(bytes(pdf.output()))
    empty = work / "empty.txt"
    empty.write_bytes(b"")
    for unit, report in (("locked", encrypted), ("empty", empty), ("folder", work)):
        (params_dir / f"{unit}-2021.yaml").write_text(f"unit: {unit}\nyear: 2021\nreport_path: {report}\n",
                                                      encoding="utf-8")
    (params_dir / "escape-2021.yaml").write_text("unit: ../../escape\nyear: 2021\nreport_path: data/x.txt\n",
                                                 encoding="utf-8")
    out = work / "out"
    data_before = _digests(ROOT / "data")
    result = run_batch(params_dir, out, workers=2, root=ROOT, progress=False, allow_outside_data=True)
    assert _digests(ROOT / "data") == data_before, "the batch changed data/"
    return result, out


def _digests(folder: Path) -> dict[str, str]:
    """Every file under folder, by relative path, with its SHA-256."""
    import hashlib

    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}
