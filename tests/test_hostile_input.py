"""Broken and hostile report files: each gets one clear message naming the file and what to do, exit status 2,
no traceback, in reasonable time, and nothing around it changes."""

import hashlib
import io
import os
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from auditlib.cli import main
from auditlib.ingest.limits import MAX_PART_BYTES, MAX_REPORT_BYTES
from tests import report_formats
from tests.conftest import ROOT

REPORT = "测试区教育局项目绩效自评报告\n一、项目概况\n项目预算48万元，实际支出44.9万元，执行率93.5%。\n"
TIME_BOUND = 30  # seconds for one `auditlib check` in a fresh process: generous, the point is "not minutes"


def _docx() -> bytes:
    return report_formats.to_docx(REPORT)


def _bomb(kind: str) -> bytes:
    """A small .docx/.xlsx whose one XML part inflates past the per-part limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", b" " * (MAX_PART_BYTES + 1024))
    return buffer.getvalue()


def _lying_bomb() -> bytes:
    """A zip whose part claims to be 100 bytes and inflates to far more: the declared sizes are rewritten."""
    data = bytearray(_bomb("docx"))
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + size_offset:start + size_offset + 4] = struct.pack("<I", 100)
            start += 4
    return bytes(data)


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="report")
    return bytes(pdf.output())


def _xlsx() -> bytes:
    return report_formats.to_xlsx(REPORT)


def _undecodable_html() -> bytes:
    return b"<!DOCTYPE html><html><head><meta charset='x-no-such-charset'></head><body>\xff\xfe\x80\x81\x00\x9f</body></html>"


# name -> (file name, bytes or a callable making the path, words the message must hold)
BAD_INPUTS = {
    "empty": ("empty.txt", b"", "为空"),
    "blank": ("blank.txt", b" \r\n\t\n", "为空"),
    "binary": ("report.txt", bytes(range(256)) * 16, "编码"),
    "undecodable_text": ("report.txt", bytes([0x80, 0x81, 0xFE, 0xFF, 0x9F]) * 200 + b"\n", "编码"),
    "truncated_utf16": ("report.txt", b"\xff\xfe" + "一、项目概况\n".encode("utf-16-le") + b"\x4e", "UTF-16"),
    "unknown_html_charset": ("report.html", _undecodable_html(), "字符集"),
    "truncated_docx": ("report.docx", None, "损坏"),
    "corrupt_docx": ("report.docx", b"PK\x03\x04" + b"\x00garbage" * 100, "损坏"),
    "zip_bomb_docx": ("report.docx", None, "解压后过大"),
    "zip_bomb_xlsx": ("table.xlsx", None, "解压后过大"),
    "lying_zip_bomb": ("report.docx", None, "docx"),
    "truncated_xlsx": ("table.xlsx", None, "损坏"),
    "truncated_pdf": ("report.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "PDF"),
    "encrypted_pdf": ("report.pdf", None, "加密"),
    "over_size_limit": ("huge.txt", None, "过大"),
    "directory": ("a_folder", None, "文件夹"),
    "missing": ("missing.txt", None, "找不到"),
}


def _make(name: str, folder: Path) -> Path:
    file_name, data, _ = BAD_INPUTS[name]
    path = folder / file_name
    if name == "truncated_docx":
        data = _docx()[:3000]
    elif name in ("zip_bomb_docx", "zip_bomb_xlsx"):
        data = _bomb(name.rsplit("_", 1)[1])
    elif name == "lying_zip_bomb":
        data = _lying_bomb()
    elif name == "truncated_xlsx":
        data = _xlsx()[:2000]
    elif name == "encrypted_pdf":
        data = _encrypted_pdf()
    elif name == "over_size_limit":
        with open(path, "wb") as stream:
            stream.truncate(MAX_REPORT_BYTES + 1)  # sparse: costs no disk
        return path
    elif name == "directory":
        path.mkdir()
        return path
    elif name == "missing":
        return path
    path.write_bytes(data)
    return path


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir")
            for p in sorted(folder.rglob("*")) if not p.name.startswith("huge")}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_through_check_is_one_clear_message(name, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    path = _make(name, folder)
    before = _snapshot(folder)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "auditlib", "check", str(path)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert message.startswith("auditlib: ") and path.name in message and BAD_INPUTS[name][2] in message, message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message) and any(ch.isascii() and ch.isalpha() for ch in message)
    assert elapsed < TIME_BOUND, f"{name} took {elapsed:.1f}s"
    assert _snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inbox"]


def test_debug_shows_the_traceback(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    from auditlib.errors import UnreadableReport
    with pytest.raises(UnreadableReport):
        main(["--debug", "check", str(path)])


def test_an_unreadable_file_is_a_clear_message(tmp_path, capsys, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text(REPORT, encoding="utf-8")
    if os.geteuid() == 0:  # root reads a mode-000 file anyway: make the open fail as it would for a user
        import auditlib.ingest

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(path))
        monkeypatch.setattr(auditlib.ingest, "open", refuse, raising=False)
    else:
        path.chmod(0)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "没有读取报告文件的权限" in err and "locked.txt" in err and "Traceback" not in err


def test_a_bom_before_gbk_bytes_is_read_as_gbk(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_bytes(b"\xef\xbb\xbf" + REPORT.encode("gbk"))
    assert main(["check", "--json", str(path)]) == 0
    import json
    data = json.loads(capsys.readouterr().out)
    assert data["source"]["encoding"].startswith("gb18030（") and "UTF-8 标记" in data["source"]["encoding"]
    assert data["facts"]["budget_wan"] == 48.0


def test_a_scanned_pdf_names_what_to_do(tmp_path, capsys):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50, style="F")  # a picture, no text
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert ("没有文字层" in err or "未识别出文字" in err) and "OCR" in err and "scan.pdf" in err
