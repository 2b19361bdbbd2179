#!/usr/bin/env python3
"""Set up .venv with auditlib and its dependencies (once), then run the main job or the tests.

    python3 run.py batch   # every bundled unit and year -> outputs/
    python3 run.py test    # the test suite (extra arguments go to pytest)
    python3 run.py <command> ...   # any auditlib command: extract, outline, check, rules, memo, batch, --help

Only the standard library is used here, so it works on a fresh machine with just python3.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".auditlib-installed"
PYTEST_NO_TESTS = 5


def ensure_environment() -> None:
    """Create .venv and install auditlib[test] when missing or when pyproject.toml changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        print("run.py: creating .venv", file=sys.stderr)
        try:
            venv.create(VENV, with_pip=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise SystemExit(f"run.py: could not create .venv ({error}); on Debian/Ubuntu install python3-venv "
                             "(apt-get install python3-venv) and try again") from error
    print("run.py: installing auditlib and its dependencies into .venv", file=sys.stderr)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("batch", [])
    ensure_environment()
    os.chdir(ROOT)
    if command == "test":
        status = subprocess.run([str(PYTHON), "-m", "pytest", *rest]).returncode
        if status == PYTEST_NO_TESTS:
            print("run.py: pytest collected no tests; that is a failure here", file=sys.stderr)
            return 1
        return status
    # Anything else is an auditlib command (or option, like --help): auditlib itself says what it knows.
    return subprocess.run([str(PYTHON), "-m", "auditlib", command, *rest]).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
