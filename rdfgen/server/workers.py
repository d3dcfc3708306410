"""SPARQL queries in worker processes that the server can kill: the endpoint's answer to queries no one can stop.

pyoxigraph cannot interrupt a query, and an aggregate over a cartesian product holds its thread for hours; four of
them used to hold every thread of the old pool for good. So each query runs in a worker process that has the store
open read-only (RocksDB allows any number of read-only openers beside each other). A query past its deadline gets
its worker killed (SIGKILL) and replaced, and the client gets 503 at the deadline; the CPU and memory it held are
released at once. Workers are spawned as needed up to a maximum and one spare is kept ready, so a point query
never waits for a bomb to end: the operating system shares the cores, and a 10 ms lookup beside eight bombs on two
cores still answers in well under a second. Each worker's address space is capped, so a query that would
materialise too much dies alone (its client gets 503) instead of taking the machine down.

Spawned, not forked: the server has threads (uvicorn, RocksDB) and a fork would copy their locks mid-use.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdfgen.memory import limit_malloc_arenas

log = logging.getLogger("rdfgen.server")

DEFAULT_MEMORY_MB = 1024
"""Address space a query worker may use; a query past it fails alone."""
DEMOTE_AFTER = 1.0
"""Seconds after which a running query's worker gets a lower CPU priority (nice 10): point queries, which end well
before, keep the cores they need beside any number of long ones. A demoted worker is not reused (an unprivileged
process cannot raise its priority back), so the next query gets a fresh one."""


class QueryTimeoutError(Exception):
    """The query did not finish (or start) within the server's --timeout."""


class QueryFailedError(Exception):
    """The query could not be answered: a syntax error (``syntax`` True: the client's fault, 400) or a failure of
    the engine, such as the worker dying past its memory cap (503)."""

    def __init__(self, message: str, *, syntax: bool = False, status: int = 400) -> None:
        super().__init__(message)
        self.syntax = syntax
        self.status = status


@dataclass(frozen=True)
class QueryJob:
    """One query and the dataset the protocol gives it: ``default_graphs``/``named_graphs`` from
    ``default-graph-uri``/``named-graph-uri`` override the query's own FROM/FROM NAMED (SPARQL 1.1 Protocol 2.1.4);
    without either, a query that names its own dataset (``own_dataset``) gets it, and any other query sees the
    union of the record graphs as its default graph."""

    text: str
    base_iri: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    own_dataset: bool = False
    max_results: int = 10_000


@dataclass
class RawAnswer:
    """What a worker sends back: pyoxigraph terms (they pickle), converted by the caller."""

    kind: str  # "boolean", "rows" or "graph"
    boolean: bool = False
    columns: list[str] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)
    truncated: bool = False


def evaluate(store: Any, job: QueryJob, deadline: float | None = None,
             abandoned: threading.Event | None = None) -> RawAnswer:
    """Run ``job`` on ``store`` (in a worker process, or a thread for an in-memory store); raises SyntaxError for a
    malformed query. A thread cannot be killed, so there it stops at the next row once past its deadline."""
    import pyoxigraph as ox

    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs or job.named_graphs:  # the request's dataset is exactly the graphs it names
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif not job.own_dataset:
        options["use_default_graph_as_union"] = True
    answer = store.query(job.text, **options)
    if isinstance(answer, ox.QueryBoolean):
        return RawAnswer("boolean", boolean=bool(answer))
    items: list[Any] = []
    truncated = False
    for n, item in enumerate(answer):
        if n >= job.max_results:
            truncated = True
            break
        if n % 256 == 0 and deadline is not None and (
                time.monotonic() > deadline or (abandoned is not None and abandoned.is_set())):
            raise QueryTimeoutError
        items.append(item)
    if isinstance(answer, ox.QuerySolutions):
        columns = [v.value for v in answer.variables]
        return RawAnswer("rows", columns=columns, items=[tuple(sol[c] for c in columns) for sol in items],
                         truncated=truncated)
    return RawAnswer("graph", items=[(t.subject, t.predicate, t.object) for t in items], truncated=truncated)


def _worker_main(conn: Connection, store_path: str, memory_mb: int) -> None:
    """A worker process: open the store read-only, then answer jobs until told to stop (None) or killed."""
    import resource

    limit_malloc_arenas(1)
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import pyoxigraph as ox

    store = ox.Store.read_only(store_path)
    with contextlib.suppress(EOFError, OSError):  # the server closed the pipe: it is stopping, so is this worker
        conn.send(("ready", os.getpid()))
        while (job := conn.recv()) is not None:
            conn.send(_outcome(store, job, memory_mb))


def _outcome(store: Any, job: QueryJob, memory_mb: int) -> tuple[str, Any]:
    try:
        return "ok", evaluate(store, job)
    except SyntaxError as exc:
        return "syntax", str(exc)
    except MemoryError:
        return "failed", f"the query needs more than the {memory_mb} MB a query may use"
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        return "error", str(exc)


class DaemonPool(Executor):
    """A fixed pool of daemon threads. Not a ThreadPoolExecutor: Python joins those at exit, so one abandoned
    query would keep a stopped server from exiting until the query ended (hours, for a cross join)."""

    def __init__(self, workers: int) -> None:
        self.jobs: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None] = \
            queue.SimpleQueue()
        self.threads = [threading.Thread(target=self._work, name=f"sparql-{n}", daemon=True) for n in range(workers)]
        for thread in self.threads:
            thread.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.jobs.put((future, lambda *a: fn(*a, **kwargs), args))
        return future

    def _work(self) -> None:
        while (job := self.jobs.get()) is not None:
            future, fn, args = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to the waiting request
                future.set_exception(exc)

    def shutdown(self, wait: bool = False, *, cancel_futures: bool = True) -> None:
        for _ in self.threads:
            self.jobs.put(None)


class _Worker:
    def __init__(self, ctx: Any, store_path: str, memory_mb: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, store_path, memory_mb), daemon=True,
                                   name="rdfgen-sparql")
        self.process.start()
        child.close()
        self.ready = False
        self.demoted = False
        self.expired = False
        self.idle_since = time.monotonic()

    def demote(self) -> None:
        with contextlib.suppress(OSError, TypeError):
            os.setpriority(os.PRIO_PROCESS, self.process.pid or 0, 10)
            self.demoted = True

    def wait_ready(self) -> None:
        """Block until the worker has opened the store (raises EOFError if it died trying)."""
        if not self.ready:
            message = self.conn.recv()
            if message[0] != "ready":
                raise EOFError(message)
            self.ready = True

    def call(self, job: QueryJob) -> tuple[str, Any]:
        self.wait_ready()
        self.conn.send(job)
        return self.conn.recv()  # type: ignore[no-any-return]

    def expire(self) -> None:
        """The deadline's timer: remember why the worker is killed, so the waiting thread reports a timeout whatever
        the clocks say when it wakes."""
        self.expired = True
        self.terminate()

    def terminate(self) -> None:
        """SIGKILL, from the deadline's timer thread: the thread waiting in ``call`` then gets EOF and cleans up (the
        pipe is not closed here, under that thread's feet)."""
        with contextlib.suppress(OSError, AttributeError):
            self.process.kill()

    def kill(self) -> None:
        self.terminate()
        self.process.join(timeout=5)
        self._close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.terminate()
            self.process.join(timeout=5)
        self._close()

    def _close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()


class WorkerPool:
    """Query worker processes over one on-disk store: up to ``max_workers`` at once, ``spare`` kept idle and ready.
    Workers idle for ``idle_ttl`` seconds beyond the spare ones are stopped (each holds some 30 MB): a burst of
    clients keeps its workers (spawning one costs more than most queries), a quiet server gives them back."""

    def __init__(self, store_path: Path | str, *, max_workers: int, spare: int = 1, idle_ttl: float = 60.0,
                 memory_mb: int = DEFAULT_MEMORY_MB) -> None:
        self.store_path = str(store_path)
        self.max_workers = max(1, max_workers)
        self.spare = spare
        self.idle_ttl = idle_ttl
        self.memory_mb = memory_mb
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._busy = 0
        self._lock = threading.Lock()
        self._freed = threading.Condition(self._lock)
        self._closed = False
        # Threads that wait for a worker's answer: not asyncio's default executor, whose few threads (cores + 4)
        # would leave queries queued behind long ones before they even reach a worker.
        self._waiters = DaemonPool(2 * self.max_workers)
        for _ in range(max(1, min(spare + 1, self.max_workers))):
            self._idle.append(self._spawn())

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self.store_path, self.memory_mb)

    @contextlib.contextmanager
    def _worker(self, deadline: float) -> Iterator[_Worker]:
        """An idle worker (a new one if there is room), waiting for one until ``deadline``."""
        with self._lock:
            while not self._idle and self._busy + len(self._idle) >= self.max_workers:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise QueryTimeoutError
                self._freed.wait(left)
            worker = self._idle.pop() if self._idle else None
            self._busy += 1
            short = self.spare > len(self._idle) and self._busy + len(self._idle) < self.max_workers
        healthy = False
        try:
            if worker is None:
                worker = self._spawn()
            if short:  # keep a spare ready for the next query, started now rather than when it is needed
                threading.Thread(target=self._add_spare, daemon=True).start()
            yield worker
            healthy = True
        finally:
            with self._lock:
                self._busy -= 1
                if healthy and worker is not None and not worker.demoted and not self._closed:
                    worker.idle_since = time.monotonic()
                    self._idle.append(worker)
                    worker = None
                stale = self._stale()
                self._freed.notify()
            for old in stale:
                old.stop()
            if worker is not None:
                (worker.stop if healthy else worker.kill)()

    def _stale(self) -> list[_Worker]:
        """Idle workers past their time, beyond the spare ones, taken out of the pool (called under the lock). The
        idle list is a stack: the most recently used on top, the longest idle at the bottom."""
        now = time.monotonic()
        stale = []
        while len(self._idle) > self.spare and now - self._idle[0].idle_since > self.idle_ttl:
            stale.append(self._idle.pop(0))
        return stale

    def _add_spare(self) -> None:
        spare = self._spawn()
        with self._lock:
            if self._closed or self._busy + len(self._idle) >= self.max_workers:
                surplus = spare
            else:
                self._idle.append(spare)
                self._freed.notify()
                surplus = None
        if surplus is not None:
            surplus.stop()

    def run(self, job: QueryJob, deadline: float) -> RawAnswer:
        """Answer ``job`` in a worker (blocking: call it from a thread). Past ``deadline`` the worker is killed and
        QueryTimeoutError raised; a worker that dies (its memory cap) gives QueryFailedError. A worker that dies
        before it has opened the store is not the query's fault: the query gets one more worker."""
        for attempt in (1, 2):
            with self._worker(deadline) as worker:
                timers = [threading.Timer(max(0.0, deadline - time.monotonic()), worker.expire),
                          threading.Timer(DEMOTE_AFTER, worker.demote)]
                for timer in timers:
                    timer.daemon = True
                    timer.start()
                try:
                    status, value = worker.call(job)
                    break
                except (EOFError, OSError, BrokenPipeError) as exc:
                    if worker.expired or time.monotonic() >= deadline - 0.01:
                        raise QueryTimeoutError from exc
                    worker.process.join(timeout=1)
                    log.warning("a query worker died %s (exit code %s): %.200s",
                                "while it opened the store" if not worker.ready else "answering",
                                worker.process.exitcode, " ".join(job.text.split()))
                    if worker.ready or attempt == 2:
                        raise QueryFailedError("the query worker died (exit code "
                                               f"{worker.process.exitcode}; most often the query needed more memory "
                                               "than a query may use)", status=503) from exc
                finally:
                    for timer in timers:
                        timer.cancel()
        if status == "ok":
            return value  # type: ignore[no-any-return]
        if status == "syntax":
            raise QueryFailedError(value, syntax=True)
        raise QueryFailedError(value, status=503 if status == "failed" else 400)

    async def run_async(self, job: QueryJob, deadline: float) -> RawAnswer:
        return await asyncio.get_running_loop().run_in_executor(self._waiters, self.run, job, deadline)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._freed.notify_all()
        for worker in idle:
            worker.stop()
        self._waiters.shutdown()
