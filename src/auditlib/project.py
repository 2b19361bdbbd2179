"""Where the project is: the folder with notebooks/ and params/ that commands work from."""

from __future__ import annotations

from pathlib import Path

from auditlib.errors import AuditlibError

MARKER = Path("notebooks") / "unit_audit.ipynb"


class ProjectNotFound(AuditlibError):
    """No folder with notebooks/unit_audit.ipynb around here."""


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: the working folder) holding notebooks/unit_audit.ipynb.

    Never another checkout: running outside a project is an error that says where it looked.
    """
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder
    raise ProjectNotFound(
        f"找不到项目目录: no {MARKER} in {start} or any folder above it. 请在项目文件夹（含 notebooks/ 和 params/）中运行 "
        "auditlib / run it from the project folder, the one with notebooks/ and params/."
    )
