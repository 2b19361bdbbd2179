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


# Folders of the project that outputs never go into: raw reports, notebooks, parameters, review decisions.
PROTECTED_FOLDERS = ("data", "notebooks", "params", "reviews")


def check_output_folder(out: Path, root: Path) -> None:
    """Refuse an output folder that would overwrite the project (its root, a folder above it, or inside data/,
    notebooks/, params/ or reviews/), or that holds a symbolic link: outputs go where --out says and nowhere
    else. One OutputError naming the folder and what to do."""
    import os

    from auditlib.errors import OutputError

    out, root = Path(os.path.abspath(out)), root.resolve()
    resolved = out.resolve()
    if resolved == root or root.is_relative_to(resolved):
        raise OutputError(f"输出文件夹不能是项目文件夹或其上级 (--out {out}): outputs would overwrite the project's "
                          "notebooks and files. 请另选一个文件夹，例如 outputs / choose a folder such as outputs.")
    for name in PROTECTED_FOLDERS:
        if resolved.is_relative_to(root / name):
            raise OutputError(f"输出文件夹不能位于项目的 {name}/ 中 (--out {out}): raw reports and settings are never "
                              "written. 请另选一个文件夹，例如 outputs / choose a folder such as outputs.")
    if out.is_dir():
        for folder, subfolders, files in os.walk(out):  # does not follow links
            for name in subfolders + files:
                if os.path.islink(os.path.join(folder, name)):
                    raise OutputError(
                        f"输出文件夹中有符号链接 ({os.path.join(folder, name)}): auditlib never writes through a link. "
                        "请删除它或换一个输出文件夹 / remove it, or use another --out.")
