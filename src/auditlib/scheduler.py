"""Where a batch's units run: backends behind a small registry.

A backend takes the batch's UnitTasks and yields one UnitResult per task as each finishes, in any order; a
task that fails outside make_memo's own handling (a worker that died) is yielded as a failed unit, and the
others go on.

- "pool" (the default): a local process pool. Workers are recycled after a bounded number of memos, so memory
  stays flat: the tasks run in generations of a fresh pool each (ProcessPoolExecutor's max_tasks_per_child
  deadlocks on Python 3.11, cpython gh-115634).
- "dask": a Dask distributed cluster, each unit and year one task; `local` starts a LocalCluster. Workers need
  not see the project or the output folder: each task carries its unit's files as bytes (auditlib.worker.pack)
  and its result carries what the worker made (UnitResult.produced), which the batch writes.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from auditlib.worker import UnitResult, UnitTask, by_unit, pack, run_unit, run_units
from auditlib.errors import AuditlibError

# A unit's worker and kernel each get this much address space (a real report needs under 1.5 GiB; a hostile
# file that would take gigabytes fails alone). AUDITLIB_UNIT_MEMORY_MB overrides it, 0 for none.
UNIT_MEMORY_LIMIT = 4 * 1024 ** 3
UNIT_MEMORY_SETTING = "AUDITLIB_UNIT_MEMORY_MB"
MAX_MEMOS_PER_WORKER = 250  # then the worker (and its kernel) is replaced; a restart costs a few seconds
MAX_SHARE = 32  # units a pool worker takes at a time, their table rules validated in one pass (a pass costs ~60 ms a table)
LOCAL = "local"
LOCAL_CLUSTER_WORKERS = 2
CONNECT_TIMEOUT = "30s"  # to reach a remote scheduler

Backend = Callable[..., Iterator[UnitResult]]
BACKENDS: dict[str, Backend] = {}


class SchedulerError(AuditlibError):
    """The Dask scheduler could not be reached or started."""


def register(name: str):
    """Register a backend under name (a plugin's wins over a built-in of the same name)."""
    def add(backend: Backend) -> Backend:
        BACKENDS[name] = backend
        return backend
    return add


def backend_for(scheduler: str | None) -> tuple[str, Backend]:
    """The backend a --scheduler value selects: none, the pool; `local` or an address, Dask."""
    name = "dask" if scheduler else "pool"
    return name, BACKENDS[name]


def _lost(task: UnitTask, error: BaseException) -> UnitResult:
    """The result of a task whose worker failed it (died, or was lost with the task)."""
    return UnitResult(params_file=task.params_file, key=task.key, error_type=error.__class__.__name__,
                      error=f"工作进程失败 (the worker running this unit failed): {error}")


# --- the local process pool ---


def _worker_start() -> None:
    """In each worker: leave Ctrl-C to the parent (it stops the workers), and die with the parent if it is
    killed; the worker's kernel stops with its worker (a finalizer, and ipykernel watches its parent).
    The worker and each kernel it starts may use at most UNIT_MEMORY_LIMIT of address space: a unit past
    it fails with a MemoryError, reported for that unit, and the others go on."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(os.getppid())
    # At exit, the interpreter's last collections walk every object great-expectations and pandas made (seconds
    # on a busy machine, while the batch waits for its workers to end); frozen, they are freed with the process.
    atexit.register(gc.freeze)
    limit_memory()


PARENT_CHECK_SECONDS = 1.0


def _die_with_parent(parent: int) -> None:
    """End this worker when the batch that started it dies, however it dies: the kernel's signal where Linux
    sends one (PR_SET_PDEATHSIG, which a parent dead before it is set, or a thread of the parent other than the
    one that started the worker, can slip), and a watch on the parent everywhere: a worker left behind would
    hold the batch's output pipes open and its kernel running."""
    import threading
    import time

    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)  # the kernel this worker started watches its parent in turn and stops

    threading.Thread(target=watch, name="auditlib-parent-watch", daemon=True).start()


def unit_memory_limit() -> int:
    """The memory one unit may use, in bytes: UNIT_MEMORY_LIMIT or the AUDITLIB_UNIT_MEMORY_MB setting; 0: none."""
    setting = os.environ.get(UNIT_MEMORY_SETTING, "").strip()
    return int(setting) * 1024 * 1024 if setting.isdigit() else UNIT_MEMORY_LIMIT


def limit_memory(limit: int | None = None) -> None:
    """Cap this process's address space (and that of the processes it starts) at `limit` bytes, by default
    UNIT_MEMORY_LIMIT or the AUDITLIB_UNIT_MEMORY_MB setting; 0 for none. Where resource limits do not exist
    (Windows), nothing is capped."""
    try:
        import resource
    except ImportError:
        return
    if limit is None:
        limit = unit_memory_limit()
    if limit <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


@contextlib.contextmanager
def memory_limited(limit: int | None = None):
    """limit_memory while the block runs (a unit done in the batch's own process: its audit, where the report
    is read, is held to the limit a pool worker has), then the earlier limit again."""
    try:
        import resource
    except ImportError:
        yield
        return
    previous = resource.getrlimit(resource.RLIMIT_AS)
    limit_memory(limit)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, previous)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the workers and every process under them (kernels), now."""
    import psutil

    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    victims = []
    for process in processes:
        with contextlib.suppress(psutil.Error):
            worker = psutil.Process(process.pid)
            victims += worker.children(recursive=True) + [worker]
    for victim in victims:
        with contextlib.suppress(psutil.Error):
            victim.kill()
    psutil.wait_procs(victims, timeout=5)


def _shares(tasks: list[UnitTask], size: int) -> list[list[UnitTask]]:
    """The tasks in shares of about `size`, a unit's years always in one share and in year order (a unit with
    more years than `size` is a share of its own)."""
    shares: list[list[UnitTask]] = [[]]
    for group in by_unit(tasks):
        if shares[-1] and len(shares[-1]) + len(group) > size:
            shares.append([])
        shares[-1].extend(group)
    return [share for share in shares if share]


def _generations(tasks: list[UnitTask], size: int) -> Iterator[list[UnitTask]]:
    """The tasks in generations of about `size` (one fresh pool each), never splitting a unit's years."""
    generation: list[UnitTask] = []
    for group in by_unit(tasks):
        if generation and len(generation) + len(group) > size:
            yield generation
            generation = []
        generation.extend(group)
    if generation:
        yield generation


@register("pool")
def run_on_pool(tasks: list[UnitTask], workers: int, max_memos_per_worker: int | None = MAX_MEMOS_PER_WORKER,
                **_: object) -> Iterator[UnitResult]:
    """The tasks in `workers` local processes, each process doing at most max_memos_per_worker of them."""
    # spawn: every worker starts clean (kernels and ZeroMQ do not survive fork well).
    context = multiprocessing.get_context("spawn")
    # A worker killed on Ctrl-C leaves its queue lock for multiprocessing's resource tracker to clean up, which it
    # does, with a warning the user cannot act on; the tracker starts with the pool and reads this setting.
    os.environ.setdefault("PYTHONWARNINGS", "ignore::UserWarning:multiprocessing.resource_tracker")
    generation = workers * max_memos_per_worker if max_memos_per_worker else len(tasks)
    # Shares small enough that every worker gets several (a balanced end), large enough to batch validation.
    share = max(1, min(MAX_SHARE, -(-len(tasks) // (workers * 4))))
    for batch in _generations(tasks, max(1, generation)):
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start)
        try:
            futures = [pool.submit(run_units, part) for part in _shares(batch, share)]
            for future in as_completed(futures):
                yield from future.result()
        except BaseException:  # Ctrl-C or a dead worker: no worker or kernel outlives the batch
            _stop_workers(pool)
            raise
        pool.shutdown(wait=True)


# --- Dask distributed ---


@contextlib.contextmanager
def dask_client(scheduler: str, workers: int | None = None):
    """A Dask client on the scheduler at `scheduler`, or on a LocalCluster of worker processes for `local`."""
    try:
        import dask
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise SchedulerError("未安装 Dask：pip install 'dask[distributed]' (--scheduler needs Dask distributed)") from None
    cluster = None
    try:
        if scheduler == LOCAL:
            # One thread per worker: a worker runs one memo at a time in its one warm kernel, so Dask's limit on
            # a worker's memory (its nanny restarts a worker past it) is the unit's limit. A unit that takes a
            # worker down fails at once, not after the scheduler's default three retries.
            limit = unit_memory_limit()
            with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
                cluster = LocalCluster(n_workers=workers or LOCAL_CLUSTER_WORKERS, threads_per_worker=1,
                                       processes=True, dashboard_address=None, memory_limit=limit or None)
        client = Client(cluster or scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        if cluster is not None:
            cluster.close()
        raise SchedulerError(f"无法连接 Dask 调度器 (--scheduler {scheduler}): {error}. 请检查地址，如 "
                             "tcp://10.0.0.5:8786，或使用 --scheduler local") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@register("dask")
def run_on_dask(tasks: list[UnitTask], workers: int | None = None, scheduler: str = LOCAL,
                **_: object) -> Iterator[UnitResult]:
    """Each task one Dask task on the cluster at `scheduler`; results as they finish."""
    from dask.distributed import as_completed as completed

    from auditlib.execute import shutdown_warm_kernels

    batch = uuid.uuid4().hex[:8]
    with dask_client(scheduler, workers) as client:
        try:
            futures = {}
            for group in by_unit(tasks):
                previous = None  # a unit's year waits for its year before: it is compared with that one's record
                for task in group:
                    previous = client.submit(run_unit, pack(task), after=previous,
                                             key=f"auditlib-{batch}-{len(futures)}", pure=False)
                    futures[previous] = task
            for future in completed(futures):
                task = futures[future]
                try:
                    result = future.result()
                except Exception as error:  # noqa: BLE001 - a lost worker (KilledWorker) fails its unit alone
                    yield _lost(task, error)
                    continue
                result.params_file = task.params_file  # the worker knew only its packed copy
                yield result
        finally:  # no kernel of this batch outlives it on the cluster's workers
            with contextlib.suppress(Exception):
                client.run(shutdown_warm_kernels)
