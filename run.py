#!/usr/bin/env python3
"""Set up .venv with auditlib and its dependencies (once), then run the main job or the tests.

    python3 run.py batch   # every bundled unit and year -> outputs/ (installs what the main job needs)
    python3 run.py test    # the test suite (installs the test tools too: pytest, playwright, …)
    python3 run.py wheels [FOLDER]   # a wheelhouse (default wheelhouse/) to carry to an offline machine
    python3 run.py <command> ...   # any auditlib command: extract, outline, check, rules, memo, batch, --help

Only the standard library is used here, so it works on a fresh machine with just python3. With a wheelhouse/
folder beside this file (made by `run.py wheels` on a machine with internet), .venv is installed from it
alone, without the network.
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
WHEELHOUSE = ROOT / "wheelhouse"
PYTEST_NO_TESTS = 5
MAIN, WITH_TESTS = "main", "test"  # what .venv holds: the main job's dependencies, or those and the test tools


def _stamp(level: str) -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest() + ":" + level


def _installed() -> set[str]:
    """The levels .venv was installed for with the current pyproject.toml (test includes main)."""
    if not (PYTHON.exists() and STAMP.exists()):
        return set()
    stamp = STAMP.read_text()
    return {MAIN, WITH_TESTS} if stamp == _stamp(WITH_TESTS) else {MAIN} if stamp == _stamp(MAIN) else set()


def _pip(*arguments: str) -> None:
    offline = ["--no-index", "--find-links", str(WHEELHOUSE)] if WHEELHOUSE.is_dir() else []
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", *offline, *arguments], check=True)


def ensure_environment(level: str = MAIN) -> None:
    """Create .venv and install auditlib (with the test tools for level "test") when missing or when
    pyproject.toml changed."""
    if level in _installed():
        return
    if not PYTHON.exists():
        print("run.py: creating .venv", file=sys.stderr)
        try:
            venv.create(VENV, with_pip=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise SystemExit(f"run.py: could not create .venv ({error}); on Debian/Ubuntu install python3-venv "
                             "(apt-get install python3-venv) and try again") from error
    source = f"from {WHEELHOUSE.name}/" if WHEELHOUSE.is_dir() else ""
    what = "auditlib, its dependencies and the test tools" if level == WITH_TESTS else "auditlib and its dependencies"
    print(f"run.py: installing {what} into .venv {source}".rstrip(), file=sys.stderr)
    if not WHEELHOUSE.is_dir():
        _pip("--upgrade", "pip")
    _pip("-e", f"{ROOT}[test]" if level == WITH_TESTS else str(ROOT))
    STAMP.write_text(_stamp(level))


def wheels(folder: str = "") -> int:
    """Write auditlib and every dependency (the main job's) as wheels into folder, to install offline."""
    target = Path(folder).resolve() if folder else WHEELHOUSE
    ensure_environment(MAIN)
    print(f"run.py: writing wheels for auditlib and its dependencies into {target}", file=sys.stderr)
    subprocess.run([str(PYTHON), "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(target), str(ROOT)], check=True)
    # pip, setuptools and wheel too, so a fresh venv there can install (and build nothing) offline
    subprocess.run([str(PYTHON), "-m", "pip", "download", "--quiet", "--dest", str(target), "pip", "setuptools",
                    "wheel"], check=True)
    count = len(list(target.glob("*.whl")))
    print(f"{target}: {count} wheels. On the offline machine (same OS, CPU and Python {sys.version_info.major}."
          f"{sys.version_info.minor}): copy this project with the folder as wheelhouse/ and run python3 run.py batch, "
          f"or: python3 -m venv .venv && .venv/bin/pip install --no-index --find-links {target.name} auditlib")
    return 0


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("batch", [])
    if command == "wheels":
        return wheels(*rest[:1])
    ensure_environment(WITH_TESTS if command == "test" else MAIN)
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
