"""Where the project is: the folder with notebooks/ and params/ that commands work from."""

from __future__ import annotations

from pathlib import Path

from auditlib.errors import AuditlibError

MARKER = Path("notebooks") / "unit_audit.ipynb"


class ProjectNotFound(AuditlibError):
    """No folder with notebooks/unit_audit.ipynb around here."""


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: the working folder) holding notebooks/unit_audit.ipynb,
    else the checkout auditlib was installed from."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / MARKER).is_file():
        return checkout
    raise ProjectNotFound(
        f"找不到项目目录 (no {MARKER} in {start} or above): run auditlib from the project folder, "
        "the one with notebooks/ and params/."
    )
