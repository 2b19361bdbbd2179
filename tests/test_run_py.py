"""run.py: the main job installs what it needs and no test tools; `wheels` writes a wheelhouse; a wheelhouse
beside run.py makes the install offline. pip itself is replaced by a recorder (no network, no install)."""

import importlib.util
import re
import tomllib

import pytest

from tests.conftest import ROOT

TEST_TOOLS = ("pytest", "playwright", "hypothesis", "fpdf2", "rapidocr", "onnxruntime", "opencv")


@pytest.fixture
def run_py(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("run_py_under_test", ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    venv = project / ".venv"
    monkeypatch.chdir(project)  # run.py changes into its folder; the test's folder is restored after it
    monkeypatch.setattr(module, "ROOT", project)
    monkeypatch.setattr(module, "VENV", venv)
    monkeypatch.setattr(module, "PYTHON", venv / "bin" / "python")
    monkeypatch.setattr(module, "STAMP", venv / ".auditlib-installed")
    monkeypatch.setattr(module, "WHEELHOUSE", project / "wheelhouse")
    calls = []

    def create(path, with_pip):
        (path / "bin").mkdir(parents=True)
        (path / "bin" / "python").write_text("")

    class Done:
        returncode = 0

    def run(arguments, check=False):
        calls.append([str(a) for a in arguments])
        return Done()

    monkeypatch.setattr(module.venv, "create", create)
    monkeypatch.setattr(module.subprocess, "run", run)
    return module, project, calls


def installs(calls):
    return [call for call in calls if call[2:4] == ["pip", "install"] and "-e" in call]


def test_the_main_dependencies_hold_no_test_tool():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = [re.split(r"[<>=\[ ]", d, maxsplit=1)[0].lower() for d in dependencies]
    assert not [name for name in names if name.startswith(TEST_TOOLS)]


def test_batch_installs_auditlib_without_the_test_extra_and_test_adds_it(run_py):
    module, project, calls = run_py
    module.main(["batch"])
    [install] = installs(calls)
    assert install[-1] == str(project) and "[test]" not in " ".join(install)
    assert calls[-1][1:] == ["-m", "auditlib", "batch"]
    calls.clear()
    module.main(["batch"])
    assert installs(calls) == []  # installed once
    module.main(["test", "-q"])
    [install] = installs(calls)
    assert install[-1] == f"{project}[test]"
    calls.clear()
    module.main(["batch"])
    assert installs(calls) == []  # the test install holds everything the main job needs


def test_wheels_writes_a_wheelhouse_and_a_wheelhouse_makes_the_install_offline(run_py, tmp_path):
    module, project, calls = run_py
    module.main(["wheels", str(tmp_path / "carry")])
    wheel = next(call for call in calls if call[2:4] == ["pip", "wheel"])
    assert wheel[wheel.index("--wheel-dir") + 1] == str(tmp_path / "carry") and wheel[-1] == str(project)
    (project / "wheelhouse").mkdir()
    (project / ".venv" / ".auditlib-installed").unlink()
    calls.clear()
    module.main(["batch"])
    [install] = installs(calls)
    assert "--no-index" in install and install[install.index("--find-links") + 1] == str(project / "wheelhouse")
    assert not [call for call in calls if "--upgrade" in call]  # nothing fetched from the network
