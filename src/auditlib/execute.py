"""papermill: run a notebook with parameters in a real kernel, keeping the executed copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditlib.errors import AuditlibError


class NotebookFailed(AuditlibError):
    """A notebook raised an error; the partly executed notebook is kept at `notebook`."""

    def __init__(self, message: str, notebook: str = "", ename: str = "", evalue: str = "") -> None:
        super().__init__(message, notebook, ename, evalue)
        self.notebook, self.ename, self.evalue = notebook, ename, evalue

    def __str__(self) -> str:
        return self.args[0]


# ipykernel warns on every start that its loopback sockets are unencrypted; in a batch that is noise.
# Errors still surface, and a failing cell is raised as NotebookFailed.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]


def run_notebook(notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path) -> Path:
    """Execute `notebook` with `parameters` into `output`; raise NotebookFailed with the cell's error."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(str(notebook), str(output), parameters=parameters, cwd=str(cwd),
                                   progress_bar=False, log_output=False, report_mode=False,
                                   extra_arguments=KERNEL_ARGUMENTS)
    except PapermillExecutionError as error:
        raise NotebookFailed(f"{error.ename}: {error.evalue}", str(output), error.ename, error.evalue) from None
    return output
