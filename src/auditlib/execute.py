"""papermill: run a notebook with parameters in a real kernel, keeping the executed copy.

A batch worker keeps one kernel warm and runs every memo of its share in it (papermill engine
"auditlib-warm"), so a memo costs no kernel start: before each notebook the engine resets the kernel's
namespace, working folder and execution count, so one unit's variables never reach another unit's memo.
Modules stay imported (that is the point of a warm kernel); the unit notebook keeps no state in them.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing.util
import os
import threading
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


class KernelStartFailed(AuditlibError):
    """A kernel did not start, even after retries (every attempt's cause is in the message)."""


# ipykernel warns on every start that its loopback sockets are unencrypted; in a batch that is noise.
# Errors still surface, and a failing cell is raised as NotebookFailed.
# No IPython history: kernels started at once share one history database, and a warm kernel whose execution
# count is reset writes session/line numbers that clash ("ERROR! Session/line number was not unique in database"),
# a message that would land in a memo's first output. A memo's kernel needs no history.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
KERNEL_NAME = "python3"
KERNEL_START_ATTEMPTS = 3  # a port taken between choosing it and the kernel binding it: try fresh ports
KERNEL_START_TIMEOUT = 60
WARM_ENGINE = "auditlib-warm"
# Run silently before each notebook in a warm kernel: what the previous unit left behind is gone.
RESET_CODE = """\
get_ipython().run_line_magic("reset", "-f")
__import__("os").chdir({cwd!r})
get_ipython().execution_count = 1
"""

log = logging.getLogger(__name__)


def skip_iri_format_checker() -> None:
    """Keep jsonschema from loading rfc3987_syntax in this process (an optional package that compiles a
    grammar at import: ~2 s, once per batch process). jsonschema then checks every format but "iri", and
    nbformat's notebook schemas use no formats at all. Called by batch processes, only before jsonschema loads."""
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: `import` raises ImportError


class WarmKernel:
    """One kernel kept alive in this process and reused by notebook after notebook."""

    def __init__(self, cwd: Path, max_memos: int | None = None) -> None:
        self.cwd = Path(cwd)
        self.max_memos = max_memos
        self.km = None
        self.kc = None  # the client nbclient drives, kept open between notebooks (made where it runs)
        self.memos = 0

    # --- lifecycle ---

    def start(self, preload: str = "", manager_factory=None) -> "WarmKernel":
        """Start the kernel and wait until it answers (and has run `preload`, imports the notebooks need); a
        start that fails (a port clash) is retried on fresh ports. manager_factory(attempt) makes the kernel
        manager (tests use it to force a clash). Safe to call in a thread of its own."""
        from jupyter_client import KernelManager

        causes = []
        for attempt in range(KERNEL_START_ATTEMPTS):
            km = manager_factory(attempt) if manager_factory else KernelManager(kernel_name=KERNEL_NAME)
            km.client_class = "jupyter_client.asynchronous.AsyncKernelClient"  # what nbclient drives
            try:
                km.start_kernel(extra_arguments=KERNEL_ARGUMENTS, cwd=str(self.cwd))
                probe = km.blocking_client()
                probe.start_channels()
                try:
                    probe.wait_for_ready(timeout=KERNEL_START_TIMEOUT)
                    if preload:
                        reply = probe.execute(preload, silent=True, store_history=False, reply=True,
                                              timeout=KERNEL_START_TIMEOUT)
                        if reply["content"].get("status") != "ok":
                            raise KernelStartFailed(f"preload failed: {reply['content'].get('evalue', '')}")
                finally:
                    probe.stop_channels()
            except Exception as error:  # noqa: BLE001 - every cause is reported if all attempts fail
                causes.append(f"{error.__class__.__name__}: {error}")
                _kill(km)
                continue
            self.km, self.memos = km, 0
            return self
        raise KernelStartFailed(f"内核无法启动 (kernel did not start after {KERNEL_START_ATTEMPTS} attempts): "
                                + "; ".join(causes))

    @property
    def alive(self) -> bool:
        """True while the kernel process runs."""
        return self.km is not None and self.km.is_alive()

    @property
    def worn(self) -> bool:
        """True once the kernel has run its bounded number of memos (then it is replaced, so memory stays flat)."""
        return bool(self.max_memos) and self.memos >= self.max_memos

    def shutdown(self) -> None:
        """Stop the kernel now (idempotent)."""
        km, kc, self.km, self.kc = self.km, self.kc, None, None
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is not None:
            _kill(km)

    # --- running ---

    def client(self):
        """The kernel client nbclient drives, connected on first use in the thread that runs the notebooks
        (its sockets belong to that thread's event loop)."""
        if self.kc is None:
            self.kc = self.km.client()
            self.kc.start_channels()
            self.kc.allow_stdin = False
        return self.kc

    def execute(self, notebook: Path, output: Path, parameters: dict[str, Any], timeout: float | None = None):
        """Run one notebook through papermill in this kernel; returns the executed NotebookNode."""
        import papermill

        _register_engine()
        self.memos += 1
        return papermill.execute_notebook(str(notebook), str(output), parameters=parameters, cwd=str(self.cwd),
                                          engine_name=WARM_ENGINE, warm_kernel=self, progress_bar=False,
                                          log_output=False, report_mode=False, request_save_on_cell_execute=False,
                                          execution_timeout=timeout)


def _kill(km) -> None:
    with contextlib.suppress(Exception):
        km.shutdown_kernel(now=True)
    with contextlib.suppress(Exception):
        km.cleanup_resources()


_warm: dict[int, WarmKernel] = {}  # by thread: a kernel client's event loop belongs to its thread
_warm_lock = threading.Lock()


UNIT_PRELOAD = "import auditlib.render"  # what the unit notebook imports, loaded while nothing waits on it


class KernelStart:
    """A warm kernel starting in a thread of its own, so that its start (a process of its own, importing what
    the notebooks need) overlaps the work of this process. `result()` waits for it: the kernel, or None when it
    did not start (the caller then starts one and meets the error itself); `cancel()` stops it."""

    def __init__(self, cwd: Path, preload: str = UNIT_PRELOAD, max_memos: int | None = None,
                 warm_up: Any = None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.cwd = Path(cwd)
        self.cancelled = threading.Event()
        starter = ThreadPoolExecutor(1, thread_name_prefix="auditlib-kernel-start")
        self._starting = starter.submit(self._start, preload, max_memos, warm_up)
        starter.shutdown(wait=False)

    def _start(self, preload: str, max_memos: int | None, warm_up: Any) -> WarmKernel | None:
        import asyncio

        kernel = None
        try:
            kernel = WarmKernel(self.cwd, max_memos).start(preload)
            if warm_up is not None and not self.cancelled.is_set():
                warm_up()  # what else the caller will need then, loaded while it waits
            return kernel
        finally:
            if self.cancelled.is_set() and kernel is not None:
                kernel.shutdown()
            policy = asyncio.get_event_loop_policy()  # the event loop jupyter_client made for this short-lived thread
            with contextlib.suppress(RuntimeError):
                policy.get_event_loop().close()
                policy.set_event_loop(None)

    def result(self) -> WarmKernel | None:
        """The started kernel (waiting for it), or None when it did not start or was cancelled."""
        with contextlib.suppress(Exception):
            kernel = self._starting.result()
            if kernel is not None and not self.cancelled.is_set():
                return kernel
        return None

    def cancel(self) -> None:
        """Stop the kernel, now or as soon as it has started."""
        self.cancelled.set()
        with contextlib.suppress(Exception):
            kernel = self._starting.result()
            if kernel is not None:
                kernel.shutdown()


_starting: dict[int, KernelStart] = {}  # by thread: a warm kernel started ahead of its first notebook


def start_warm_kernel(cwd: Path, max_memos: int | None = None, preload: str = UNIT_PRELOAD) -> None:
    """Start this thread's warm kernel now, in the background; `warm_kernel` takes it when it is due."""
    key = threading.get_ident()
    with _warm_lock:
        if key in _warm or key in _starting:
            return
        _starting[key] = KernelStart(Path(cwd), preload, max_memos)


def warm_kernel(cwd: Path, max_memos: int | None = None) -> WarmKernel:
    """This thread's warm kernel for notebooks run from cwd: started on first use (or taken from
    `start_warm_kernel`), replaced when it died, served its max_memos, or ran from another folder."""
    key = threading.get_ident()
    with _warm_lock:
        kernel = _warm.get(key)
        started = _starting.pop(key, None)
    if started is not None and kernel is not None:
        started.cancel()  # not needed after all
    elif started is not None:
        kernel = started.result()
        if kernel is not None:
            kernel.max_memos = max_memos
            with _warm_lock:
                _warm[key] = kernel
    if kernel is not None and (kernel.cwd != Path(cwd) or kernel.worn or not kernel.alive):
        kernel.shutdown()
        kernel = None
    if kernel is None:
        kernel = WarmKernel(Path(cwd), max_memos).start(UNIT_PRELOAD)
        with _warm_lock:
            _warm[key] = kernel
    return kernel


def discard(kernel: WarmKernel) -> None:
    """Stop a warm kernel an error left in an unknown state (a timeout mid-cell); the next memo starts another."""
    with _warm_lock:
        for key in [key for key, known in _warm.items() if known is kernel]:
            del _warm[key]
    kernel.shutdown()


def shutdown_warm_kernels() -> None:
    """Stop every warm kernel of this process (at exit)."""
    with _warm_lock:
        kernels = list(_warm.values())
        starting = list(_starting.values())
        _warm.clear()
        _starting.clear()
    for kernel in kernels:
        kernel.shutdown()
    for start in starting:
        start.cancel()


def shutdown_warm_kernel() -> None:
    """Stop this thread's warm kernel (or the one starting for it), if any."""
    key = threading.get_ident()
    with _warm_lock:
        kernel = _warm.pop(key, None)
        started = _starting.pop(key, None)
    if kernel is not None:
        kernel.shutdown()
    if started is not None:
        started.cancel()


# A worker process ends through multiprocessing (its finalizers run, atexit does not); the main process
# through atexit. Either way its kernels stop with it.
atexit.register(shutdown_warm_kernels)
multiprocessing.util.Finalize(None, shutdown_warm_kernels, exitpriority=20)


_engine_registered = False


def _register_engine() -> None:
    """Register the warm engine with papermill (once per process)."""
    global _engine_registered
    if _engine_registered:
        return
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, papermill_engines

    class WarmNotebookClient(PapermillNotebookClient):
        """papermill's client on a kernel it does not own: reset the kernel first, then run the cells."""

        def papermill_execute_cells(self):
            reply = self.wait_for_reply(self.kc.execute(RESET_CODE.format(cwd=os.fspath(self.reset_cwd)),
                                                        silent=True, store_history=False))
            if not reply or reply["content"].get("status") != "ok":
                raise KernelStartFailed("内核重置失败 (the warm kernel could not be reset)")
            super().papermill_execute_cells()

    class WarmEngine(Engine):
        """Runs a papermill notebook in the WarmKernel passed as warm_kernel."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, warm_kernel=None,
                                     **kwargs):
            client = WarmNotebookClient(nb_man, km=warm_kernel.km, timeout=execution_timeout,
                                        startup_timeout=start_timeout, kernel_name=kernel_name, log=log,
                                        log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            client.kc = warm_kernel.client()  # connected and ready: no wait for a kernel_info round trip
            client.reset_cwd = warm_kernel.cwd
            return client.execute()

    papermill_engines.register(WARM_ENGINE, WarmEngine)
    _engine_registered = True


def execute_notebook(notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path,
                     kernel: WarmKernel | None = None, timeout: float | None = None):
    """Execute `notebook` with `parameters` into `output` (in `kernel` when given, else in a kernel of its
    own); returns the executed NotebookNode; raises NotebookFailed with the cell's error."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        if kernel is not None:
            return kernel.execute(notebook, output, parameters, timeout)
        return papermill.execute_notebook(str(notebook), str(output), parameters=parameters, cwd=str(cwd),
                                          progress_bar=False, log_output=False, report_mode=False,
                                          extra_arguments=KERNEL_ARGUMENTS, execution_timeout=timeout)
    except PapermillExecutionError as error:
        raise NotebookFailed(f"{error.ename}: {error.evalue}", str(output), error.ename, error.evalue) from None
    except BaseException:
        if kernel is not None:  # interrupted mid-cell (a timeout, Ctrl-C): its state is unknown
            discard(kernel)
        raise


def run_notebook(notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path,
                 kernel: WarmKernel | None = None) -> Path:
    """Execute `notebook` with `parameters` into `output`; returns `output`; raises NotebookFailed."""
    execute_notebook(notebook, output, parameters, cwd, kernel)
    return output
