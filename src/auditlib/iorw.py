"""Writing outputs: always atomically, so a crash never leaves half a file where a good one was."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def open_atomic(path: str | Path, mode: str = "wb", **options: Any) -> Iterator[IO]:
    """A file to stream an output into: a temporary file in the same folder, renamed over path atomically
    when the block ends without an error (and removed when it fails)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, mode, **options) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
