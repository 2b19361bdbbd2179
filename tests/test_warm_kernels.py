"""Warm kernels: one kernel runs notebook after notebook, and no unit's variables reach the next unit's memo."""

import json
import socket

import nbformat
import pytest

from auditlib.execute import WarmKernel, execute_notebook
from tests.conftest import ROOT


def _notebook(path, cells):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    parameters = nbformat.v4.new_code_cell('unit = "none"')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters] + [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(notebook, str(path))
    return path


def _outputs(notebook) -> str:
    return "".join(output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", []))


@pytest.mark.slow
def test_a_variable_of_unit_a_is_absent_when_unit_b_runs_in_the_same_kernel(tmp_path):
    notebook = _notebook(tmp_path / "leak.ipynb", [
        'if unit == "A":\n    secret_of_a = 135.8\n    _hidden_of_a = 1',
        'import os\nprint("pid", os.getpid())\nprint("seen", sorted(n for n in ("secret_of_a", "_hidden_of_a") if n in globals()))',
        'print("cwd", os.getcwd())\nos.chdir("/")',
    ])
    kernel = WarmKernel(tmp_path).start()
    try:
        first = execute_notebook(notebook, tmp_path / "a.ipynb", {"unit": "A"}, tmp_path, kernel=kernel)
        second = execute_notebook(notebook, tmp_path / "b.ipynb", {"unit": "B"}, tmp_path, kernel=kernel)
    finally:
        kernel.shutdown()
    a, b = _outputs(first), _outputs(second)
    assert "seen ['_hidden_of_a', 'secret_of_a']" in a  # the check can see a variable when there is one
    assert "seen []" in b, b
    assert a.split("pid ")[1].split()[0] == b.split("pid ")[1].split()[0]  # the same kernel process, reused
    assert f"cwd {tmp_path}" in b  # unit A's chdir was undone too
    code = [cell for cell in second.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))


@pytest.mark.slow
def test_a_kernel_whose_port_is_taken_is_retried_on_fresh_ports(tmp_path):
    from jupyter_client import KernelManager

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    attempts = []

    def manager(attempt):
        attempts.append(attempt)
        km = KernelManager(kernel_name="python3")
        if attempt == 0:  # a port another program took between the choice and the bind
            km.cache_ports = False
            km.shell_port = taken.getsockname()[1]
        return km

    try:
        kernel = WarmKernel(tmp_path).start(manager_factory=manager)
        try:
            assert kernel.alive
        finally:
            kernel.shutdown()
    finally:
        taken.close()
    assert attempts == [0, 1]


@pytest.mark.slow
def test_worker_kernels_never_import_great_expectations(tmp_path):
    """The audit (and GX) runs in the worker; the kernel only shows the rendered parts."""
    from auditlib.worker import make_memo
    from auditlib.execute import warm_kernel

    result = make_memo(ROOT / "params" / "qionghai-2021.yaml", tmp_path, ROOT, warm=True)
    assert result.ok, result.error
    probe = warm_kernel(ROOT).km.blocking_client()
    probe.start_channels()
    try:
        reply = probe.execute('import sys, json\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith("great_'
                              'expectations") or m == "auditlib.render.memo")))', reply=True, timeout=30)
        assert reply["content"]["status"] == "ok"
        printed = []
        while True:
            message = probe.get_iopub_msg(timeout=10)
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle" \
                    and message["parent_header"].get("msg_id") == reply["parent_header"]["msg_id"]:
                break
    finally:
        probe.stop_channels()
        from auditlib.execute import shutdown_warm_kernels

        shutdown_warm_kernels()
    assert json.loads("".join(printed)) == ["auditlib.render.memo"]  # the notebook ran there, GX never loaded
