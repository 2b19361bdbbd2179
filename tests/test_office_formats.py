"""Every bundled report and a national 自评表 made the way offices make them: typed in Word, then saved by
LibreOffice as Word 97 (.doc; a WPS .wps is the same format), PDF and a web page, and the table as Excel 97
(.xls; a WPS .et likewise). Each version gives the same headline facts and the same medium and high
findings as the text. The .doc is read through LibreOffice headless (ingest.formats.libreoffice)."""

from __future__ import annotations

import shutil
import subprocess

import psutil
import pytest

from auditlib.check import check
from auditlib.errors import UnreadableReport, UnsupportedFormat
from auditlib.extract import extract
from auditlib.ingest import read_report
from auditlib.ingest.formats import libreoffice
from tests import report_formats
from tests.conftest import FIXTURES, SEEDS
from tests.test_readers import assert_hidden_cells_are_not_read

SOFFICE = libreoffice.find_soffice()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    SOFFICE is None, reason=f"LibreOffice is not installed (apt-get install {libreoffice.DEBIAN_PACKAGES})")]

REPORTS = {**SEEDS, "national_self_evaluation_table": FIXTURES / "national_self_evaluation_table.txt"}
HEADLINE = ("unit_name", "region", "fiscal_year", "kind", "project_name", "self_score", "grade", "execution_rate",
            "budget_wan", "spent_wan")


def _soffice(folder, target: str, sources) -> None:
    subprocess.run([SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(folder), *map(str, sources)],
                   check=True, capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def office_files(tmp_path_factory):
    """name.{doc,pdf,html,xls} for every report, made by LibreOffice from a .docx / .xlsx of the text."""
    folder = tmp_path_factory.mktemp("office")
    for name, path in REPORTS.items():
        text = path.read_text(encoding="utf-8")
        (folder / f"{name}.docx").write_bytes(report_formats.to_docx(text, automatic_numbering=False))
        (folder / f"{name}.xlsx").write_bytes(report_formats.to_xlsx(text))
    documents, workbooks = sorted(folder.glob("*.docx")), sorted(folder.glob("*.xlsx"))
    for target in ("doc", "pdf", "html:HTML (StarWriter)"):
        _soffice(folder, target, documents)
    _soffice(folder, "xls", workbooks)
    return folder


def _summary(extraction) -> tuple[dict, list[str]]:
    facts = {key: getattr(extraction.facts, key) for key in HEADLINE}
    return facts, sorted(f.rule for f in check(extraction).findings if f.severity in ("high", "medium"))


@pytest.fixture(scope="module")
def text_versions():
    return {name: _summary(extract(read_report(path))) for name, path in REPORTS.items()}


@pytest.mark.parametrize("format", ["doc", "pdf", "html", "xls"])
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_an_office_made_version_gives_the_facts_and_findings_of_the_text(format, name, office_files, text_versions):
    path = office_files / f"{name}.{format}"
    extraction = extract(read_report(path))
    assert _summary(extraction) == text_versions[name]
    source = extraction.document.source
    assert source.path == str(path) and source.format == format  # evidence names the file as sent


def test_an_xls_sheets_hidden_columns_and_rows_are_not_read(tmp_path):
    (tmp_path / "form.xlsx").write_bytes(report_formats.xlsx_with_hidden_helpers())
    _soffice(tmp_path, "xls", [tmp_path / "form.xlsx"])
    assert_hidden_cells_are_not_read(read_report(tmp_path / "form.xls"))


def test_wps_files_are_read_by_their_content(office_files, tmp_path, text_versions):
    name = "national_self_evaluation_table"
    for original, copy in (("doc", "wps"), ("xls", "et")):
        path = tmp_path / f"{name}.{copy}"
        shutil.copy(office_files / f"{name}.{original}", path)
        assert _summary(extract(read_report(path))) == text_versions[name]


def test_without_libreoffice_a_doc_is_one_message_naming_the_package(office_files, monkeypatch):
    monkeypatch.setenv(libreoffice.SOFFICE_SETTING, "/nonexistent/soffice")
    with pytest.raises(UnsupportedFormat) as caught:
        read_report(office_files / "xinzhou-2019.doc")
    message = str(caught.value)
    assert "libreoffice-writer-nogui" in message and libreoffice.SOFFICE_SETTING in message
    assert "xinzhou-2019.doc" in message and "\n" not in message


def test_a_conversion_over_its_time_limit_leaves_no_process_and_no_folder(office_files, monkeypatch, tmp_path):
    import tempfile

    monkeypatch.setattr(libreoffice, "CONVERT_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = {process.pid for process in psutil.process_iter()}
    with pytest.raises(UnreadableReport, match="超时"):
        read_report(office_files / "xinzhou-2019.doc")
    assert list(tmp_path.iterdir()) == []
    started = [process for process in psutil.process_iter(["cmdline"]) if process.pid not in before
               and any("auditlib-convert-" in part for part in process.info["cmdline"] or [])]
    assert started == []
