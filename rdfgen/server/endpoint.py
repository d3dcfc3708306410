"""The read-only SPARQL 1.1 endpoint's engine: tell queries from updates, find the dataset a query asks for, and run
it with a deadline, a cap on results and a limit on each client's queries in flight.

On an on-disk store (what ``rdfgen serve`` always has: ``--store``, or the store cached beside ``--data``) queries
run in worker processes that are killed at the deadline (rdfgen.server.workers). An in-memory store (a Python
caller's ``create_app(store=ox.Store())``) cannot be shared with processes, so there queries run in a bounded pool
of threads: a lazy SELECT or CONSTRUCT stops at the next row past its deadline, but an aggregate holds its thread
until it is done, which is why the server never uses this path for a store it can open twice.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from rdfgen.server.workers import (
    DaemonPool,
    QueryFailedError,
    QueryJob,
    QueryTimeoutError,
    RawAnswer,
    WorkerPool,
    evaluate,
)
from rdfgen.sparql.library import names_dataset
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
"""Threads for an in-memory store."""

@dataclass
class Answer:
    result: Result
    truncated: bool


class TooManyQueriesError(Exception):
    """The client already has as many queries in flight as one client may."""


class Engine:
    """Runs queries with a deadline, a cap on rows and a per-client limit on queries in flight: in worker processes
    over an on-disk store (``store_path``), else in threads over ``store``."""

    def __init__(self, store: ox.Store, timeout: float, max_results: int, *, store_path: Path | None = None,
                 workers: int = 16, per_client: int = 4, base_iri: str | None = None) -> None:
        self.store = store
        self.timeout = timeout
        self.max_results = max_results
        self.per_client = per_client
        self.base_iri = base_iri
        self.in_flight: Counter[str] = Counter()
        self.processes = WorkerPool(store_path, max_workers=workers) if store_path is not None else None
        self.pool = DaemonPool(QUERY_WORKERS) if store_path is None else None

    def close(self) -> None:
        if self.processes is not None:
            self.processes.close()
        if self.pool is not None:
            self.pool.shutdown()

    def job(self, text: str, default_graphs: list[str], named_graphs: list[str]) -> QueryJob:
        return QueryJob(text, self.base_iri, tuple(default_graphs), tuple(named_graphs), names_dataset(text),
                        self.max_results)

    @asynccontextmanager
    async def client(self, client: str) -> AsyncIterator[None]:
        """One of ``client``'s queries in flight; TooManyQueriesError past the limit (the event loop is one thread,
        so the count needs no lock)."""
        if self.in_flight[client] >= self.per_client:
            raise TooManyQueriesError
        self.in_flight[client] += 1
        try:
            yield
        finally:
            self.in_flight[client] -= 1
            if not self.in_flight[client]:
                del self.in_flight[client]

    async def run(self, job: QueryJob) -> Answer:
        """The answer, or QueryTimeoutError at the deadline, QueryFailedError for a malformed or failed query."""
        deadline = time.monotonic() + self.timeout
        if self.processes is not None:
            raw = await self.processes.run_async(job, deadline)
        else:
            raw = await self._in_thread(job, deadline)
        return _answer(raw)

    async def _in_thread(self, job: QueryJob, deadline: float) -> RawAnswer:
        abandoned = threading.Event()
        assert self.pool is not None
        future = asyncio.get_running_loop().run_in_executor(self.pool, self._evaluate, job, deadline, abandoned)
        try:
            return await asyncio.wait_for(future, max(0.0, deadline - time.monotonic()))
        except TimeoutError as exc:
            abandoned.set()
            raise QueryTimeoutError from exc

    def _evaluate(self, job: QueryJob, deadline: float, abandoned: threading.Event) -> RawAnswer:
        if abandoned.is_set() or time.monotonic() > deadline:
            raise QueryTimeoutError
        try:
            return evaluate(self.store, job, deadline, abandoned)
        except SyntaxError as exc:
            raise QueryFailedError(str(exc), syntax=True) from exc
        except (OSError, ValueError, RuntimeError, TypeError) as exc:
            raise QueryFailedError(str(exc)) from exc


def _answer(raw: RawAnswer) -> Answer:
    """rdflib terms for the writers and pages."""
    if raw.kind == "boolean":
        return Answer(Result("boolean", boolean=raw.boolean), False)
    if raw.kind == "rows":
        rows = [tuple(from_oxigraph(term) for term in row) for row in raw.items]
        return Answer(Result("rows", raw.columns, rows), raw.truncated)
    triples = [tuple(from_oxigraph(term) for term in triple) for triple in raw.items]
    return Answer(Result("graph", triples=triples), raw.truncated)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Limits:
    """What one request may bring: a body of ``max_body`` bytes (413 past it), arriving within ``body_timeout``
    seconds (408), and a query of ``max_query`` characters (413, or 414 in a URL)."""

    max_body: int = 1 << 20
    max_query: int = 100_000
    body_timeout: float = 10.0


_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint: str, base: str) -> list[tuple[Any, Any, Any]]:
    """The SPARQL 1.1 Service Description of this endpoint (rdflib terms; no blank nodes, as everywhere here):
    query language, result formats, the union default graph, and the dataset it serves."""
    from rdflib import RDF, Literal, URIRef
    from rdflib.namespace import DCTERMS

    service, dataset, default = URIRef(endpoint), URIRef(f"{endpoint}#dataset"), URIRef(f"{endpoint}#default-graph")
    sd = {name: URIRef(_SD + name) for name in ("Service", "endpoint", "supportedLanguage", "SPARQL11Query",
                                                  "resultFormat", "feature", "UnionDefaultGraph", "defaultDataset",
                                                  "Dataset", "defaultGraph", "Graph")}
    triples = [(service, RDF.type, sd["Service"]), (service, sd["endpoint"], service),
               (service, sd["supportedLanguage"], sd["SPARQL11Query"]),
               (service, sd["feature"], sd["UnionDefaultGraph"]), (service, sd["defaultDataset"], dataset),
               (dataset, RDF.type, sd["Dataset"]), (dataset, sd["defaultGraph"], default),
               (default, RDF.type, sd["Graph"]), (dataset, DCTERMS.source, URIRef(f"{base}dataset")),
               (service, DCTERMS.description, Literal("rdfgen's read-only SPARQL 1.1 endpoint: the default graph is "
                                                      "the union of the record graphs; FROM and FROM NAMED are "
                                                      "honoured."))]
    triples += [(service, sd["resultFormat"], URIRef(_FORMATS + name)) for name in RESULT_FORMAT_IRIS]
    return triples
