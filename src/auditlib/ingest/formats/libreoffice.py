"""Old and WPS Office files (.doc, .wps, .et, an .xls xlrd cannot read) converted by LibreOffice, headless.

LibreOffice is found as AUDITLIB_SOFFICE (the path of its `soffice` program) or as `soffice` / `libreoffice`
on PATH. It runs without a shell, on a copy of the bytes under a fixed name in a private temporary folder,
with a private profile (so it neither sees nor disturbs a user's open LibreOffice), in its own process
group that is killed when the time limit passes; the folder is removed afterwards. The converted
.docx/.xlsx is read by the same readers as any other, and the evidence names the original file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from auditlib.errors import UnreadableReport, UnsupportedFormat
from auditlib.ingest.limits import MAX_REPORT_BYTES

SOFFICE_SETTING = "AUDITLIB_SOFFICE"
DEBIAN_PACKAGES = "libreoffice-writer-nogui libreoffice-calc-nogui"
CONVERT_TIMEOUT_SECONDS = 120.0  # a first start with a fresh profile takes a few seconds; a report converts in one


def find_soffice() -> str | None:
    """The LibreOffice program to run: the AUDITLIB_SOFFICE setting, else soffice or libreoffice on PATH."""
    configured = os.environ.get(SOFFICE_SETTING, "").strip()
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, path: str, kind: str, suffix: str, target: str) -> bytes:
    """The bytes of the file converted to `target` (docx or xlsx); `kind` names the original format for
    messages, `suffix` (.doc, .xls) is the name the copy is given so LibreOffice picks its import filter."""
    program = find_soffice()
    if program is None:
        configured = os.environ.get(SOFFICE_SETTING, "").strip()
        where = (f"{SOFFICE_SETTING}={configured!r} is not an executable file" if configured
                 else "LibreOffice (soffice) is not installed")
        raise UnsupportedFormat(
            f"{kind} 文件需要 LibreOffice 转换 ({path}): {where}. 请安装 LibreOffice（Debian/Ubuntu: apt-get install "
            f"{DEBIAN_PACKAGES}），或设置 {SOFFICE_SETTING} 为 soffice 的路径；也可在 Word/WPS 中另存为 .docx/.xlsx.")
    with tempfile.TemporaryDirectory(prefix="auditlib-convert-") as folder:
        work = Path(folder)
        source = work / f"report{suffix}"
        source.write_bytes(data)
        (work / "out").mkdir()
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
                   "--norestore", "--nologo", "--nodefault", "--nolockcheck", "--convert-to", target,
                   "--outdir", str(work / "out"), str(source)]
        environment = {key: value for key, value in os.environ.items() if key in ("PATH", "LANG", "LC_ALL", "TZ")}
        environment["HOME"] = folder  # LibreOffice writes nothing into the user's home
        _run(command, environment, folder, path, kind)
        result = work / "out" / f"report.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            raise UnreadableReport(
                f"{kind} 文件无法转换 ({path}): LibreOffice could not open it as a {kind} file. "
                "文件可能已损坏或加密；请在原程序中另存为 .docx/.xlsx / re-save it as .docx/.xlsx.")
        if result.stat().st_size > MAX_REPORT_BYTES:
            raise UnreadableReport(f"{kind} 文件转换后过大 ({path}): over {MAX_REPORT_BYTES >> 20} MiB.")
        return result.read_bytes()


def _run(command: list[str], environment: dict[str, str], folder: str, path: str, kind: str) -> None:
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=environment, cwd=folder, start_new_session=True)
    try:
        process.wait(timeout=CONVERT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise UnreadableReport(
            f"{kind} 文件转换超时 ({path}): LibreOffice took over {CONVERT_TIMEOUT_SECONDS:g} s. "
            "请在原程序中另存为 .docx/.xlsx / re-save it as .docx/.xlsx.") from None
    finally:
        # The whole group: soffice starts soffice.bin, which must not outlive the conversion (or a Ctrl-C).
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()
