"""Speed of each reader on the bundled reports made into .docx, .pdf, .xlsx and .html, of refusing a zip bomb,
and of pathological text growing in size (linear means the time per MiB stays flat). Prints figures."""

from __future__ import annotations

import io
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditlib import AuditlibError, extract, parse_bytes  # noqa: E402
from tests import report_formats  # noqa: E402  (the same builders the tests use)

ROUNDS = 5


def _median_ms(function) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    builders = {"docx": report_formats.to_docx, "pdf": report_formats.to_pdf, "xlsx": report_formats.to_xlsx,
                "html": report_formats.to_html}
    print(f"{'report':<18}" + "".join(f"{name + ' ms':>11}" for name in ["text", *builders]))
    for path in sorted((ROOT / "data" / "raw").glob("*/*/*.txt")):
        text = path.read_text(encoding="utf-8")
        files = {"text": text.encode("utf-8"), **{name: build(text) for name, build in builders.items()}}
        print(f"{path.stem:<18}" + "".join(f"{_median_ms(lambda d=data: parse_bytes(d)):>11.1f}"
                                          for data in files.values()))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (150 * 1024 * 1024))
    bomb = buffer.getvalue()
    start = time.perf_counter()
    try:
        parse_bytes(bomb, "bomb.docx")
    except AuditlibError:
        pass
    print(f"a {len(bomb) / 1024:.0f} KiB .docx unpacking to 150 MiB refused in {time.perf_counter() - start:.2f} s")

    print(f"\n{'pathological text':<34}{'MiB':>6}{'s':>8}{'s/MiB':>8}")
    for name, unit in [("long line", "预算资金共计48万元，实际支出44.9万元，执行率93.5%，"), ("headings", "一、标题\n"),
                       ("place names", "附北京市东城区朝阳县"), ("Chinese numerals", "一二三四五六七八九十百千")]:
        for repeat in (2_000, 8_000):
            data = (unit * repeat * (1 if len(unit) > 10 else 4)).encode("utf-8")
            start = time.perf_counter()
            extract(parse_bytes(data))
            elapsed = time.perf_counter() - start
            size = len(data) / 1024 / 1024
            print(f"{name:<34}{size:>6.2f}{elapsed:>8.2f}{elapsed / size:>8.1f}")


if __name__ == "__main__":
    main()
