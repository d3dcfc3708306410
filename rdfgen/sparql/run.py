"""Running a query on any backend: an in-memory or persistent pyoxigraph store, an rdflib graph, or a remote endpoint.

Every backend reads the default graph as the union of the named graphs (one graph per record), as ``oxigraph
serve --union-default-graph`` does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph

from rdfgen.sparql.endpoint import _run_endpoint
from rdfgen.sparql.library import (
    DEFAULT_TIMEOUT,
    ParamValues,
    QueryError,
    QueryInfo,
    QuerySyntaxError,
    T,
    bind,
    fast_form,
    load_query,
    parse_query,
    uses_service,
)
from rdfgen.sparql.results import Result, _plain, from_oxigraph
from rdfgen.sparql.statistics import has_statistics


def _with_timeout(fn: Callable[[], T], timeout: float | None) -> T:
    """Run ``fn`` but stop waiting after ``timeout`` seconds. An embedded engine cannot be interrupted, so the work
    goes on in a daemon thread; the caller (a CLI process about to exit) gets its error on time."""
    if not timeout:
        return fn()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise QueryError(f"query did not finish within {timeout:g} s (--timeout)")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _run_oxigraph(store: ox.Store, text: str) -> Result:
    try:
        answer = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"malformed query: {exc}") from exc
    if isinstance(answer, ox.QuerySolutions):
        columns = [v.value for v in answer.variables]
        rows = [tuple(from_oxigraph(sol[c]) for c in columns) for sol in answer]
        return Result("rows", columns, rows)
    if isinstance(answer, ox.QueryBoolean):
        return Result("boolean", boolean=bool(answer))
    triples = [(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)) for t in answer]
    return Result("graph", triples=triples)  # type: ignore[arg-type]


def _run_rdflib(graph: Graph, text: str) -> Result:
    try:
        answer = graph.query(text)
    except Exception as exc:  # pyparsing's ParseException carries line and column
        if type(exc).__name__ == "ParseException":
            raise QuerySyntaxError(f"malformed query: {exc}") from exc
        raise
    if answer.type == "SELECT":
        columns = [str(v) for v in answer.vars or []]
        rows = [tuple(_plain(t) for t in row) for row in answer]
        return Result("rows", columns, rows)  # type: ignore[arg-type]
    if answer.type == "ASK":
        return Result("boolean", boolean=bool(answer.askAnswer))
    return Result("graph", triples=[tuple(_plain(t) for t in tr) for tr in answer])  # type: ignore[misc]


def check_syntax(text: str) -> None:
    """Parse locally before a query leaves for an endpoint, so a typo is reported with its line by the same parser
    as for local data. pyoxigraph parses eagerly but evaluates lazily, so an empty store does no work here."""
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"malformed query: {exc}") from exc


DataSource = Path | str | Iterable[Path | str] | ox.Store | Graph


def open_data(data: DataSource) -> ox.Store | Graph:
    """A store or graph to query: pyoxigraph or rdflib objects pass through; a build folder opens the store cached
    beside its dump (made on first use, rdfgen.sparql.cache), so repeated queries do not reload the dataset; other
    paths (dumps, record files, several folders) load into an in-memory pyoxigraph store."""
    if isinstance(data, ox.Store | Graph):
        return data
    from rdfgen.sparql.cache import cached_store
    from rdfgen.sparql.store import load, open_store

    paths = [data] if isinstance(data, str | Path) else list(data)
    if len(paths) == 1 and (Path(paths[0]) / "dataset.nq.gz").is_file():
        cached = cached_store(Path(paths[0]))
        if cached is not None:
            return open_store(cached, read_only=True)
    return load(paths)[0]


def _form_for(info: QueryInfo, target: ox.Store | Graph) -> QueryInfo:
    """The fast form of a library query when the store holds the statistics it reads, else the query itself."""
    if isinstance(target, ox.Store) and has_statistics(target):
        return fast_form(info) or info
    return info


def run(query: QueryInfo | str, params: ParamValues | None = None, *, data: DataSource | None = None,
        store: ox.Store | Path | str | None = None, endpoint: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT, auth: tuple[str, str] | None = None) -> Result:
    """Bind and run a library query (name, path or QueryInfo) or a query text on exactly one backend.

    ``data``: a build folder or RDF files (in-memory pyoxigraph), or a ready pyoxigraph Store or rdflib
    Graph/Dataset; ``store``: a persistent pyoxigraph store (path or Store); ``endpoint``: a SPARQL 1.1 protocol URL.
    """
    if sum(x is not None for x in (data, store, endpoint)) != 1:
        raise QueryError("give exactly one of data, store or endpoint")
    if isinstance(query, QueryInfo):
        info = query
    elif "{" in query:
        info = parse_query(query)
    else:
        info = load_query(query)
    text = bind(info, params)
    if endpoint is None and uses_service(text):
        raise QueryError("federated queries (SERVICE) are not run on local data: the embedded engine would call the "
                         "SERVICE IRI over the network. Run the query at an endpoint that allows it (--endpoint).")
    if endpoint is not None:
        check_syntax(text)
        return _run_endpoint(endpoint, text, info.returns, timeout, auth)
    if store is not None:
        from rdfgen.sparql.store import open_store

        target: ox.Store | Graph = store if isinstance(store, ox.Store) else open_store(store, read_only=True)
    else:
        assert data is not None
        target = open_data(data)
    if isinstance(target, Graph):
        if isinstance(target, Dataset):
            target.default_union = True
        return _with_timeout(lambda: _run_rdflib(target, text), timeout)
    fast = _form_for(info, target)
    if fast is not info:
        text = bind(fast, params)
    return _with_timeout(lambda: _run_oxigraph(target, text), timeout)

