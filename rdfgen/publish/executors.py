"""Where `rdfgen build` runs its tasks: in-process, in a local process pool, or on a Dask distributed cluster.

One interface for all three, because the orchestrator should not care: :func:`open_executor` yields a
:class:`WorkerPool` whose ``.executor`` is a :class:`concurrent.futures.Executor` (``submit`` returns
:class:`concurrent.futures.Future`) and whose ``.channel`` is a picklable :class:`ProgressChannel` that tasks
report progress into and the orchestrator drains.

What a task must be, whichever kind runs it:

- a module-level function in an importable module (pickled by reference: the workers import the module, so a
  Dask worker needs the same rdfgen installed, and the module must not do work at import time);
- given only picklable arguments, and returning a picklable value; an exception it raises must survive pickling
  too (rdfgen's errors do);
- given absolute paths only: a worker's working directory is not the orchestrator's (a Dask worker may be on
  another machine, where the paths must name the same files, e.g. on a shared file system);
- idempotent, writing its output atomically: Dask re-runs a task whose worker died, and a cancelled build
  leaves whatever a running task had written.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import queue
import socket
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from rdfgen.errors import RdfgenError

Progress = tuple[str, str, int]
"""One progress report: (worker key, name of the file being converted, records done in it so far)."""

START_METHOD = "forkserver"
"""How local worker processes start.

Not "fork": forking a process that has threads (a Dask client's event loop, the orchestrator's progress thread,
a native library's pool) copies locks some other thread held, and the child can deadlock; Python 3.12 warns about
it and 3.14 no longer defaults to it. "forkserver" forks each worker from a single-threaded server process that
imported :data:`WORKER_PRELOAD` once, so a worker starts as fast as a fork without inheriting the orchestrator's
threads. Measured through this module on the 2-core dev machine (shared, so noisy), from opening a pool of 2
(manager process included) until both workers had run a task importing the conversion stack (0.3-0.5 s of
imports): fork 100-220 ms; forkserver with preload 450-690 ms for the first pool of a process (the server starts
and imports the stack, once), 75-145 ms for later ones; forkserver without preload 0.9-1.4 s; spawn 1.1-1.6 s.
Per-task overhead was about 100 us with every method. Workers live for the whole build, so whatever the method,
imports happen once per worker and never per task. Like spawn, forkserver re-imports the main module in each worker
(as ``__mp_main__``): a script that opens a local pool needs the ``if __name__ == "__main__":`` guard.
"""

WORKER_PRELOAD = (
    "rdfgen.publish.shards",  # convert(), the build's task
    "rdfgen.publish",
    "rdfgen.sources.pubmed_xml",
    "rdfgen.sources.medline",
    "rdfgen.sources.pubmed_page",
    "rdfgen.mesh.enrich",
)
"""Modules the fork server imports once, before it forks any worker: the conversion stack (add the module that
defines the task function). A module that fails to import is skipped by multiprocessing, silently."""

REPORT_INTERVAL = 0.25
"""Seconds between two reports of one worker that are not forced: at most four a second reach the orchestrator."""

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a Dask scheduler before giving up with :class:`SchedulerUnreachableError`."""

INSTALL_HINT = "pip install 'rdfgen[cluster]' (or: pip install 'dask[distributed]')"


class ExecutorError(RdfgenError):
    """The executor asked for cannot be had: an unknown kind, a bad --jobs, a missing package, no scheduler."""

    exit_code = 2


class DaskNotInstalledError(ExecutorError):
    """--executor dask without the ``distributed`` package installed."""


class SchedulerUnreachableError(ExecutorError):
    """The Dask scheduler address is malformed, or nothing answered there in time."""


def worker_key() -> str:
    """A key naming the worker process a task runs in, for :meth:`ProgressChannel.report`."""
    return f"{socket.gethostname()}:{os.getpid()}"


class ProgressChannel:
    """Carries (worker key, file name, records done) from tasks to the orchestrator, whichever kind runs them.

    Tasks receive the channel as an argument (it pickles) and call :meth:`report` as often as they like: the
    channel itself drops reports that come sooner than :data:`REPORT_INTERVAL` after the last one of the same
    worker, unless the file name changed or ``force`` is given (use it for a file's final count, which must not
    be dropped). The orchestrator calls :meth:`drain` from its own thread.
    """

    def __init__(self, interval: float = REPORT_INTERVAL) -> None:
        self.interval = interval
        self._last: dict[str, tuple[str, float]] = {}

    def report(self, worker_key: str, name: str, records: int, *, force: bool = False) -> None:
        """Send one report, unless the same worker sent one for the same file less than `interval` ago."""
        now = time.monotonic()
        last = self._last.get(worker_key)
        if not force and last is not None and last[0] == name and now - last[1] < self.interval:
            return
        self._last[worker_key] = (name, now)
        self._send((worker_key, name, records))

    def drain(self) -> list[Progress]:
        """Every report that arrived since the last drain, oldest first; never blocks."""
        raise NotImplementedError

    def _send(self, progress: Progress) -> None:
        raise NotImplementedError

    def __getstate__(self) -> dict[str, Any]:
        # The rate limit is per process: a copy sent to a worker starts with none.
        return {**self.__dict__, "_last": {}}


class InProcessChannel(ProgressChannel):
    """For tasks that run in the orchestrator's process: a thread-safe deque (a pickled copy is a separate one)."""

    def __init__(self, interval: float = REPORT_INTERVAL) -> None:
        super().__init__(interval)
        self._reports: collections.deque[Progress] = collections.deque()

    def _send(self, progress: Progress) -> None:
        self._reports.append(progress)

    def drain(self) -> list[Progress]:
        return _drain_deque(self._reports)


class ManagerQueueChannel(ProgressChannel):
    """For a local process pool: a queue in a ``multiprocessing`` manager process.

    A plain ``multiprocessing.Queue`` cannot travel as a task argument (only through inheritance); a manager
    queue's proxy pickles and reconnects in any child of the orchestrator. Each report is one round trip to the
    manager (tens of microseconds), harmless at a few reports a second.
    """

    def __init__(self, reports: Any, interval: float = REPORT_INTERVAL) -> None:
        super().__init__(interval)
        self._reports = reports

    def _send(self, progress: Progress) -> None:
        self._reports.put_nowait(progress)

    def drain(self) -> list[Progress]:
        drained: list[Progress] = []
        while True:
            try:
                drained.append(self._reports.get_nowait())
            except queue.Empty:
                return drained


class DaskEventChannel(ProgressChannel):
    """For a Dask cluster: worker events on a topic the orchestrator's client subscribes to.

    ``Worker.log_event`` is fire-and-forget on the stream every worker already keeps open to the scheduler, and
    the scheduler forwards each event to subscribed clients; a task never waits for it. ``distributed.Queue``
    (marked experimental) would make every report a blocking round trip through the scheduler and open a second
    client connection from each worker; ``Pub``/``Sub`` are gone from current releases. The scheduler keeps the
    last ``distributed.admin.low-level-log-length`` (1000) events of a topic, a few tens of KB, for its lifetime.
    """

    def __init__(self, topic: str, interval: float = REPORT_INTERVAL) -> None:
        super().__init__(interval)
        self.topic = topic
        self._reports: collections.deque[Progress] = collections.deque()

    def receive(self, event: tuple[float, Any]) -> None:
        """The client's event handler (runs on the client's event loop thread): keep the report for drain()."""
        _, (key, name, records) = event
        self._reports.append((key, name, records))

    def _send(self, progress: Progress) -> None:
        from distributed import get_worker

        try:
            worker = get_worker()
        except ValueError:  # not in a Dask task's thread: nowhere to send it
            return
        worker.log_event(self.topic, list(progress))

    def drain(self) -> list[Progress]:
        return _drain_deque(self._reports)

    def __getstate__(self) -> dict[str, Any]:
        return {**super().__getstate__(), "_reports": collections.deque()}


def _drain_deque(reports: collections.deque[Progress]) -> list[Progress]:
    """Pop what is there now: popleft is atomic, so producers on other threads may go on appending."""
    drained: list[Progress] = []
    while True:
        try:
            drained.append(reports.popleft())
        except IndexError:
            return drained


class InProcessExecutor(Executor):
    """Runs each task inside submit(), in the calling thread: for --jobs 1 and for debugging.

    Eager rather than lazy, so every concurrent.futures helper (``wait``, ``as_completed``) works and results come
    in submission order by construction. A task's exception is kept in its future and raised by ``result()``, with
    its traceback, as a pool would; KeyboardInterrupt and SystemExit are not caught.
    """

    def __init__(self) -> None:
        self._shutdown = False

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future: Future[Any] = Future()
        future.set_running_or_notify_cancel()
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            future.set_exception(exc)
        else:
            future.set_result(result)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._shutdown = True


@dataclass(frozen=True)
class WorkerPool:
    """What :func:`open_executor` yields: where to submit tasks, where their progress comes back, and how wide.

    ``slots`` is how many tasks can run at once (jobs; for Dask the workers' threads when connecting, which can
    change as workers come and go): enough to bound how many tasks the orchestrator keeps in flight.
    """

    kind: str
    executor: Executor
    channel: ProgressChannel
    slots: int


@contextmanager
def open_executor(
    kind: str = "local",
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    timeout: float = CONNECT_TIMEOUT,
) -> Iterator[WorkerPool]:
    """Run tasks in-process (local, jobs 1), in a local process pool (local, jobs > 1 or None: one per core),
    or on the Dask cluster whose scheduler is at `scheduler` (kind "dask").

    On leaving the block normally, waits for every submitted task; when the block raises, cancels the tasks not
    yet started, waits for the running ones (a Dask cluster drops them instead) and closes everything.
    """
    if kind == "local":
        jobs = default_jobs() if jobs is None else jobs
        if jobs < 1:
            raise ExecutorError(f"--jobs must be at least 1, not {jobs}")
        opened = _in_process() if jobs == 1 else _process_pool(jobs)
    elif kind == "dask":
        if not scheduler:
            raise ExecutorError("--executor dask needs --scheduler tcp://HOST:PORT")
        opened = _dask(scheduler, timeout)
    else:
        raise ExecutorError(f"unknown executor {kind!r}: expected 'local' or 'dask'")
    with opened as pool:
        yield pool


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity, which a container or taskset narrows; else all)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def _in_process() -> Iterator[WorkerPool]:
    yield WorkerPool("local", InProcessExecutor(), InProcessChannel(), 1)


@contextmanager
def _process_pool(jobs: int) -> Iterator[WorkerPool]:
    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(list(WORKER_PRELOAD))  # takes effect when the fork server first starts
    with context.Manager() as manager:  # outlives the pool: workers report until the pool is shut down
        executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
        with _shutdown_on_exit(executor):
            yield WorkerPool("local", executor, ManagerQueueChannel(manager.Queue()), jobs)


def _start_method() -> str:
    """:data:`START_METHOD` where the platform has it (not on Windows), else "spawn"."""
    return START_METHOD if START_METHOD in multiprocessing.get_all_start_methods() else "spawn"


@contextmanager
def _dask(scheduler: str, timeout: float) -> Iterator[WorkerPool]:
    client = _connect(scheduler, timeout)
    channel = DaskEventChannel(f"rdfgen-progress-{uuid4().hex}")
    try:
        # Subscribing before submitting: both travel on the client's ordered stream, so no event precedes it.
        client.subscribe_topic(channel.topic, channel.receive)
        # pure=False: a conversion writes files, so two identical calls are two tasks, never one cached result.
        executor = client.get_executor(pure=False)
        with _shutdown_on_exit(executor):
            yield WorkerPool("dask", executor, channel, sum(client.nthreads().values()))
    finally:
        client.close()


@contextmanager
def _shutdown_on_exit(executor: Executor) -> Iterator[None]:
    """Wait for all tasks after a normal exit; after an error, cancel what has not started and wait for the rest.

    Dask's executor has no ``cancel_futures``: ``wait=False`` cancels everything there, running tasks included.
    """
    try:
        yield
    except BaseException:
        if isinstance(executor, ProcessPoolExecutor):
            executor.shutdown(wait=True, cancel_futures=True)
        else:
            executor.shutdown(wait=False)
        raise
    executor.shutdown(wait=True)


def _connect(scheduler: str, timeout: float) -> Any:
    """A ``distributed.Client`` for `scheduler`, or an :class:`ExecutorError` that says what to do."""
    try:
        import distributed
    except ImportError:
        raise DaskNotInstalledError(f"--executor dask needs the 'distributed' package: {INSTALL_HINT}") from None
    _check_address(scheduler)
    try:
        return distributed.Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SchedulerUnreachableError(
            f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s ({exc}); "
            "is `dask scheduler` running there, and is the address right?"
        ) from None


def _check_address(scheduler: str) -> None:
    """Refuse a malformed address up front: a Client that fails on one keeps the process waiting at exit."""
    from distributed.comm.addressing import get_address_host_port, parse_address
    from distributed.comm.registry import get_backend

    try:
        get_backend(parse_address(scheduler)[0])
        get_address_host_port(scheduler)
    except ValueError as exc:
        raise SchedulerUnreachableError(
            f"not a Dask scheduler address: {scheduler!r} ({exc}); expected tcp://HOST:PORT"
        ) from None
