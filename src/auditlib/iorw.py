"""Writing outputs: always atomically, so a crash never leaves half a file where a good one was, and never
through a symbolic link: a link planted in the output folder cannot send a write elsewhere.

A file is written as a temporary file created with O_EXCL | O_NOFOLLOW in its folder, then renamed over
the target (a rename replaces a link at the target, it never writes through it); both relative to the
folder's descriptor, so the folder cannot be swapped in between. Inside the output folder that
`confine_writes` names (the CLI names --out; the setting is inherited by worker processes) every folder
on the way down is opened with O_NOFOLLOW too: a link there is refused with one message.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from auditlib.errors import OutputError

OUTPUT_ROOT_SETTING = "AUDITLIB_OUTPUT_ROOT"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


@contextlib.contextmanager
def confine_writes(root: str | Path) -> Iterator[Path]:
    """While the block runs (in this process and the workers it starts), writes under `root` follow no link."""
    root = Path(os.path.abspath(root))
    previous = os.environ.get(OUTPUT_ROOT_SETTING)
    os.environ[OUTPUT_ROOT_SETTING] = str(root)
    try:
        yield root
    finally:
        if previous is None:
            os.environ.pop(OUTPUT_ROOT_SETTING, None)
        else:
            os.environ[OUTPUT_ROOT_SETTING] = previous


def _open_folder(folder: Path) -> int:
    """A descriptor of the folder, created if missing; below the confined output root no component may be a
    link (each is opened relative to the one above with O_NOFOLLOW)."""
    root = os.environ.get(OUTPUT_ROOT_SETTING)
    folder = Path(os.path.abspath(folder))
    if not root or not folder.is_relative_to(root):
        folder.mkdir(parents=True, exist_ok=True)
        return os.open(folder, os.O_RDONLY | _DIRECTORY)
    descriptor = os.open(root, os.O_RDONLY | _DIRECTORY)
    reached = Path(root)
    try:
        for name in folder.relative_to(root).parts:
            reached = reached / name
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, dir_fd=descriptor)
            try:
                child = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=descriptor)
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise OutputError(f"输出文件夹中有符号链接或同名文件 ({reached}): auditlib never writes through a "
                                      "link. 请删除它 / remove it.") from None
                raise
            os.close(descriptor)
            descriptor = child
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


@contextlib.contextmanager
def open_atomic(path: str | Path, mode: str = "wb", **options: Any) -> Iterator[IO]:
    """A file to stream an output into: a temporary file in the same folder, renamed over path atomically
    when the block ends without an error (and removed when it fails)."""
    path = Path(path)
    folder = _open_folder(path.parent)
    temporary = f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | os.O_CLOEXEC, 0o666,
                         dir_fd=folder)  # the umask applies: outputs are meant to be shared
        try:
            with os.fdopen(handle, mode, **options) as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary, dir_fd=folder)
            raise
    finally:
        os.close(folder)


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write data to path via a temporary file in the same folder and an atomic rename."""
    with open_atomic(path, "wb") as stream:
        stream.write(data)
    return Path(path)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: str | Path, data: Any) -> Path:
    """Write JSON (UTF-8, Chinese kept readable) atomically."""
    return write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def write_files_into(folder: str | Path, files: dict[str, bytes]) -> list[Path]:
    """Write files (by POSIX path relative to folder) into folder, each atomically; a path that is absolute,
    climbs out of the folder (..) or passes through a symbolic link inside it is refused, never written."""
    folder = Path(folder).resolve()
    written = []
    for relative, data in files.items():
        parts = Path(relative).parts
        if not parts or Path(relative).is_absolute() or any(part in ("..", "") for part in parts):
            raise ValueError(f"not a path inside the output folder: {relative[:120]!r}")
        target = folder.joinpath(*parts)
        for above in [folder.joinpath(*parts[:i]) for i in range(1, len(parts) + 1)]:
            if above.is_symlink():
                raise ValueError(f"a symbolic link inside the output folder is never written through: {relative[:120]!r}")
        written.append(write_bytes_atomic(target, data))
    return written
