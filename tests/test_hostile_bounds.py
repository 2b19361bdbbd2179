"""Hostile inputs, each run through the command line in a fresh process under a memory limit (RLIMIT_AS) and a
time limit: bounded work (long lines, runs of digits or markers, spans and merges larger than the sheet,
hyperlinks over a whole sheet, PDF reference cycles, YAML bombs), encodings that are not Chinese, file
names that would break a message, and output folders that would write outside --out. Each asserts the
exit status, one line of message, the bounds, and that nothing outside the output folder changed.

The probes' figures before and after the fixes are in README.md ("Untrusted input").
"""

from __future__ import annotations

import hashlib
import io
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests import report_formats
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

MEMORY_LIMIT = 1536 * 1024 * 1024  # address space of one `auditlib` process: a normal report needs under 1 GiB
TIME_LIMIT = 60.0  # seconds, for a process that takes 2-4 s on a normal report (generous: the machine is shared)
REPORT = ("测试区教育局2023年度项目支出绩效自评报告\n一、项目概况\n项目预算48万元，实际支出44.9万元，执行率93.5%。\n"
          "二、绩效目标完成情况\n完成培训10期。\n")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    """`auditlib ARGS` in a fresh process under MEMORY_LIMIT; returns the result and the seconds it took."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "auditlib", *args], cwd=cwd, capture_output=True, text=True,
                            timeout=TIME_LIMIT, preexec_fn=_limit_memory)
    return result, time.monotonic() - started


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under folder (links not followed) with its content digest, link target or 'dir'."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            entries[str(path.relative_to(folder))] = "-> " + os.readlink(path)
        elif path.is_file():
            entries[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            entries[str(path.relative_to(folder))] = "dir"
    return entries


def assert_one_clear_message(result, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and message.startswith("auditlib: "), message
    assert "\x1b" not in message
    for word in words:
        assert word in message, (word, message)


# --- Inputs that are read, with bounded work ----------------------------------------------------------------


def _zip_edit(data: bytes, part: str, edit) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            target.writestr(member, edit(content) if member.filename == part else content)
    return buffer.getvalue()


def _workbook(edit) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B2"] = "项目预算48万元", "执行率93.5%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _zip_edit(buffer.getvalue(), "xl/worksheets/sheet1.xml", edit)


def huge_grid_span() -> bytes:
    docx = report_formats.to_docx(REPORT + "| 指标 | 分值 |\n| 预算执行率 | 10 |\n")
    return _zip_edit(docx, "word/document.xml",
                     lambda xml: xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="100000000"/>', 1))


def whole_sheet_merge() -> bytes:
    return _workbook(lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'))


def whole_sheet_hyperlink() -> bytes:
    return _workbook(lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><hyperlinks><hyperlink ref="A1:XFD1048576" location="Sheet!A1"/></hyperlinks>'))


def huge_html_spans() -> bytes:
    rows = "<tr><td colspan=99999999 rowspan=99999999>预算执行率</td><td>10</td></tr>" * 2000
    return f"<!DOCTYPE html><html><body><p>一、项目概况</p><table>{rows}</table></body></html>".encode()


READ_WITHIN_BOUNDS = {
    "one_megabyte_line": ("report.txt", lambda: ("项目预算48万元，执行率93.5%" * 60_000).encode()),
    "hundred_kilobytes_of_digits": ("report.txt", lambda: ("一、项目概况\n" + "1" * 100_000).encode()),
    "run_of_bookmark_markers": ("report.txt", lambda: ("一、项目概况\n" + "[bookmark: " * 30_000).encode()),
    "docx_huge_grid_span": ("report.docx", huge_grid_span),
    "xlsx_merge_over_the_whole_sheet": ("table.xlsx", whole_sheet_merge),
    "xlsx_hyperlink_over_the_whole_sheet": ("table.xlsx", whole_sheet_hyperlink),
    "html_huge_colspan_and_rowspan": ("report.html", huge_html_spans),
}


@pytest.mark.parametrize("name", sorted(READ_WITHIN_BOUNDS))
def test_a_hostile_input_is_read_within_the_time_and_memory_bounds(name, tmp_path):
    file_name, make = READ_WITHIN_BOUNDS[name]
    path = tmp_path / file_name
    path.write_bytes(make())
    before = snapshot(tmp_path)
    result, elapsed = run_cli("check", str(path), cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr[-2000:]  # read and checked (findings or none)
    assert "Traceback" not in result.stderr
    assert elapsed < TIME_LIMIT
    assert snapshot(tmp_path) == before


# --- Inputs that are refused with one message ---------------------------------------------------------------


def pdf_reference_cycle() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [4 0 R] /Count 1 >> endobj\n"
            b"4 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R >> endobj\n"
            b"5 0 obj 6 0 R endobj\n6 0 obj 5 0 R endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


REFUSED = {
    "pdf_reference_cycle": ("report.pdf", pdf_reference_cycle, ("PDF", "损坏")),
    "shift_jis_text": ("report.txt", lambda: "一、概要\nプロジェクトの予算は48万円で、実行率は93.5%でした。事業は計画通りに完了しました。\n"
                       .encode("shift_jis"), ("Shift-JIS",)),
    "damaged_xlsx": ("table.xlsx", lambda: report_formats.to_xlsx(REPORT)[:2000], ("损坏",)),
    "name_with_newline_and_ansi_codes": ("evil\n\x1b[31mname\x1b[0m.txt", lambda: b"", ("为空", "evil\\n")),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_hostile_input_is_one_clear_message_within_the_bounds(name, tmp_path):
    file_name, make, words = REFUSED[name]
    path = tmp_path / file_name
    path.write_bytes(make())
    before = snapshot(tmp_path)
    result, elapsed = run_cli("check", str(path), cwd=tmp_path)
    assert_one_clear_message(result, *words)
    assert elapsed < TIME_LIMIT
    assert snapshot(tmp_path) == before


# --- YAML bombs ---------------------------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")]) + "\n"


def project(folder: Path) -> Path:
    """A minimal project: the notebook that marks it, one params file, one report under data/."""
    (folder / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "unit_audit.ipynb", folder / "notebooks")
    (folder / "data").mkdir()
    (folder / "data" / "report.txt").write_text(REPORT, encoding="utf-8")
    (folder / "params").mkdir()
    (folder / "params" / "unit-2023.yaml").write_text("unit: unit\nyear: 2023\nreport_path: data/report.txt\n",
                                                     encoding="utf-8")
    return folder


def test_a_billion_laughs_params_file_is_one_message(tmp_path):
    root = project(tmp_path / "project")
    bomb = root / "params" / "bomb.yaml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    before = snapshot(tmp_path)
    result, elapsed = run_cli("check", "--params", str(bomb), "data/report.txt", cwd=root)
    assert_one_clear_message(result, "参数文件", "aliases")
    assert elapsed < TIME_LIMIT and snapshot(tmp_path) == before


def test_a_billion_laughs_rule_set_is_one_message(tmp_path):
    root = project(tmp_path / "project")
    (root / "rulesets").mkdir()
    (root / "rulesets" / "bomb.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    before = snapshot(tmp_path)
    result, elapsed = run_cli("check", "--rule-set", "bomb", "data/report.txt", cwd=root)
    assert_one_clear_message(result, "规则集")
    assert elapsed < TIME_LIMIT and snapshot(tmp_path) == before


def test_a_billion_laughs_review_file_is_one_message(tmp_path):
    root = project(tmp_path / "project")
    (root / "reviews").mkdir()
    (root / "reviews" / "unit-2023.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    before = snapshot(tmp_path)
    result, elapsed = run_cli("review", "--unit", "unit", "--year", "2023", cwd=root)
    assert_one_clear_message(result, "复核文件")
    assert elapsed < TIME_LIMIT and snapshot(tmp_path) == before


def test_yaml_bounds_refuse_bombs_and_keep_anchors_a_person_writes():
    from auditlib.yamlsafe import YamlTooLarge, load_yaml

    assert load_yaml("base: &b {x: 1}\nother: *b\n") == {"base": {"x": 1}, "other": {"x": 1}}
    with pytest.raises(YamlTooLarge, match="aliases"):
        load_yaml(BILLION_LAUGHS)
    wide = "a: &a [" + ", ".join(["x"] * 2000) + "]\n" + "b: [" + ", ".join(["*a"] * 60) + "]\n"
    with pytest.raises(YamlTooLarge, match="values"):
        load_yaml(wide)
    with pytest.raises(YamlTooLarge, match="KiB"):
        load_yaml("a: " + "x" * (2 * 1024 * 1024))


# --- Nothing outside --out ----------------------------------------------------------------------------------


@pytest.mark.parametrize("out, words", [
    ("data/outputs", ("data/",)),
    (".", ("项目文件夹",)),
    ("notebooks", ("notebooks/",)),
])
def test_an_output_folder_that_would_overwrite_the_project_is_refused(out, words, tmp_path):
    root = project(tmp_path / "project")
    before = snapshot(tmp_path)
    for command in (["batch", "--out", out], ["memo", "--unit", "unit", "--year", "2023", "--out", out]):
        result, elapsed = run_cli(*command, cwd=root)
        assert_one_clear_message(result, *words)
        assert elapsed < TIME_LIMIT
    assert snapshot(tmp_path) == before


def test_a_link_planted_in_the_output_folder_is_never_written_through(tmp_path):
    root = project(tmp_path / "project")
    outside = tmp_path / "outside"
    outside.mkdir()
    out = root / "outputs"
    (out / "data").mkdir(parents=True)
    os.symlink(outside, out / "memos")
    os.symlink(outside / "index.html", out / "data" / "unit-2023.json")
    before = snapshot(tmp_path)
    result, elapsed = run_cli("batch", "--out", "outputs", cwd=root)
    assert_one_clear_message(result, "符号链接")
    assert snapshot(tmp_path) == before and not any(outside.iterdir())


def test_writes_below_the_output_folder_follow_no_link(tmp_path):
    from auditlib.errors import OutputError
    from auditlib.iorw import confine_writes, write_text_atomic

    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    os.symlink(outside, out / "memos")
    os.symlink(outside / "target.html", out / "index.html")
    with confine_writes(out):
        with pytest.raises(OutputError, match="符号链接"):
            write_text_atomic(out / "memos" / "unit-2023.html", "x")
        write_text_atomic(out / "index.html", "new")  # the link itself is replaced, its target never written
        write_text_atomic(out / "data" / "unit-2023.json", "{}")
    assert not any(outside.iterdir())
    assert not (out / "index.html").is_symlink() and (out / "index.html").read_text() == "new"
    assert (out / "data" / "unit-2023.json").read_text() == "{}"
    assert sorted(p.name for p in out.iterdir()) == ["data", "index.html", "memos"]  # no temporary file left


def test_two_params_files_for_one_unit_and_year_are_refused_before_anything_runs(tmp_path):
    root = project(tmp_path / "project")
    (root / "params" / "copy.yaml").write_text("unit: unit\nyear: 2023\nreport_path: data/report.txt\n",
                                               encoding="utf-8")
    before = snapshot(tmp_path)
    result, elapsed = run_cli("batch", "--out", "outputs", cwd=root)
    assert_one_clear_message(result, "copy.yaml", "unit-2023.yaml")
    assert snapshot(tmp_path) == before


def test_a_long_merged_text_repeated_down_many_rows_stays_within_a_multiple_of_the_input():
    from auditlib.ingest import parse_bytes
    from auditlib.ingest.formats.grid import REPEATED_TEXT_CHARS

    long = "预算执行" * 25_000  # 100,000 characters in one cell spanning 3,000 rows
    rows = f"<tr><td rowspan=3000>{long}</td><td>1</td></tr>" + "<tr><td>2</td></tr>" * 2999
    page = f"<!DOCTYPE html><html><body><table>{rows}</table></body></html>".encode()
    document = parse_bytes(page, "t.html")
    assert sum(len(line) for line in document.raw_lines) < 3 * len(page)
    assert document.raw_lines[0].startswith("| " + long) and len(document.raw_lines[1]) < REPEATED_TEXT_CHARS + 20
