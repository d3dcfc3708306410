"""The read-only SPARQL 1.1 endpoint's engine: tell queries from updates, run a query with a deadline and a cap on
results, and write the answer in the negotiated format.

pyoxigraph releases the GIL while it evaluates, so a query runs in a worker thread and the event loop keeps serving.
It cannot be interrupted, though: a query past its deadline is abandoned (the client gets 503 at once), a lazy
SELECT or CONSTRUCT stops at the next row, but an aggregate holds its worker until it is done. The workers are a
bounded pool, so runaway queries take at most that many cores; later queries then wait and time out themselves.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from rdfgen.sparql.results import Result, from_oxigraph

# SPARQL results formats by media type, in the server's order of preference; "html" is the browser's table.
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/html": "html",
}
# ``?format=`` / ``?output=`` (sent by SPARQLWrapper and typed by people) override Accept.
FORMAT_PARAMS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv", "tsv": "text/tab-separated-values"}
QUERY_WORKERS = 4

# Strings, IRIs and comments, blanked so a keyword inside them is not taken for the query's own.
_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                     r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_PROLOGUE = re.compile(r"^\s*(?:(?:BASE|PREFIX\s+[^\s:]*:)\s*)*", re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_UPDATE = re.compile(r"^(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)


class QueryTimeoutError(Exception):
    """The query did not finish (or start) within the server's --timeout."""


def _mask(text: str) -> str:
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)


def is_update(text: str) -> bool:
    """An update (INSERT, DELETE, LOAD, DROP...) sent as a query: refused without being parsed or run."""
    masked = _mask(text)
    return bool(_UPDATE.match(masked[_PROLOGUE.match(masked).end():]))  # type: ignore[union-attr]


def uses_service(text: str) -> bool:
    """A federated query: pyoxigraph would fetch the SERVICE IRI, so the server could be made to call anywhere."""
    return bool(_SERVICE.search(_mask(text)))


@dataclass
class Answer:
    result: Result
    truncated: bool


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


class Engine:
    """Runs queries on a store in a bounded pool of threads, each with a deadline and a cap on rows."""

    def __init__(self, store: ox.Store, timeout: float, max_results: int, workers: int = QUERY_WORKERS) -> None:
        self.store = store
        self.timeout = timeout
        self.max_results = max_results
        self.pool = DaemonPool(workers)

    def close(self) -> None:
        self.pool.shutdown()

    def run(self, text: str, default_graphs: list[str], named_graphs: list[str], deadline: float,
            abandoned: threading.Event) -> Answer:
        """Evaluate in this (worker) thread; SyntaxError propagates for a 400. Stops early when abandoned."""
        if abandoned.is_set() or time.monotonic() > deadline:
            raise QueryTimeoutError
        options: dict[str, object] = {"use_default_graph_as_union": not default_graphs}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        answer = self.store.query(text, **options)  # type: ignore[arg-type]
        if isinstance(answer, ox.QueryBoolean):
            return Answer(Result("boolean", boolean=bool(answer)), False)
        items: list[object] = []
        truncated = False
        for n, item in enumerate(answer):
            if n >= self.max_results:
                truncated = True
                break
            if n % 256 == 0 and (abandoned.is_set() or time.monotonic() > deadline):
                raise QueryTimeoutError
            items.append(item)
        if isinstance(answer, ox.QuerySolutions):
            columns = [v.value for v in answer.variables]
            rows = [tuple(from_oxigraph(sol[c]) for c in columns) for sol in items]  # type: ignore[index]
            return Answer(Result("rows", columns, rows), truncated)
        triples = [(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))  # type: ignore
                   for t in items]
        return Answer(Result("graph", triples=triples), truncated)  # type: ignore[arg-type]
