"""The embedded SPARQL store: published files into a pyoxigraph Store, one named graph per record.

A record's triples live in its own graph ``BASE pubmed/{pmid}#graph`` (DESIGN.md, "IRIs"), so a newer version of
the record replaces it as a unit and a DeleteCitation removes it as a unit, while shared nodes (journals, MeSH terms,
cited works) that several records mention stay as long as one record still says them. Queries read the default graph
as the union of the named graphs (``use_default_graph_as_union``), so they need no ``GRAPH`` clause.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from rdfgen.errors import RdfgenError, SourceError
from rdfgen.iris import DEFAULT_BASE, Iris
from rdfgen.serialize.graph import from_nt

# Per-record files written by ``rdfgen build``: out/pubmed/{pmid}.nt / .ttl (the PMID names the graph).
_RECORD_FILE = re.compile(r"^(\d+)\.(nt|ttl)(\.gz)?$")
_QUAD_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
_TRIPLE_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "rdf": ox.RdfFormat.RDF_XML,
                   "jsonld": ox.RdfFormat.JSON_LD}


class StoreError(RdfgenError):
    """The store could not be opened or written (a lock held by another process, a full disk...)."""

    exit_code = 2


@dataclass
class LoadReport:
    """What a load put where: files read and the record graphs they filled."""

    files: list[Path] = field(default_factory=list)
    graphs: set[str] = field(default_factory=set)
    quads: int = 0

    def summary(self) -> str:
        return f"{len(self.files)} file(s), {len(self.graphs)} record graph(s), {self.quads} quads in the store"


def open_store(path: Path | str | None = None, *, read_only: bool = False) -> ox.Store:
    """A persistent store at ``path`` (created if missing), or an in-memory one when ``path`` is None."""
    try:
        if path is None:
            return ox.Store()
        if read_only:
            if not Path(path).is_dir():
                raise StoreError(f"{path}: no store there; create one with `rdfgen load --store {path}`")
            return ox.Store.read_only(str(path))
        Path(path).mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc


def record_graph(pmid: str, base: str = DEFAULT_BASE) -> ox.NamedNode:
    """The named graph of one record, minted by :class:`rdfgen.iris.Iris` like every other IRI."""
    return ox.NamedNode(str(Iris(base).graph(pmid)))


def dataset_files(paths: Iterable[Path | str]) -> list[Path]:
    """The files a load reads: a build folder gives its dataset.nq.gz (all graphs at once) or, failing that, its
    per-record .nt files (.ttl where no .nt exists); other paths are taken as given."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            files.append(path)
            continue
        if not path.is_dir():
            raise StoreError(f"{path}: no such file or folder")
        if (path / "dataset.nq.gz").is_file():
            files.append(path / "dataset.nq.gz")
            continue
        records = path / "pubmed" if (path / "pubmed").is_dir() else path
        by_pmid: dict[str, Path] = {}
        for f in sorted(records.iterdir()):
            m = _RECORD_FILE.match(f.name)
            if m and (m.group(1) not in by_pmid or m.group(2) == "nt"):
                by_pmid[m.group(1)] = f
        if not by_pmid:
            raise StoreError(f"{path}: no dataset.nq.gz and no per-record .nt/.ttl files; run `rdfgen build` first")
        files.extend(by_pmid[k] for k in sorted(by_pmid))
    return files


def _format_of(path: Path) -> tuple[str, ox.RdfFormat]:
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    ext = name.rsplit(".", 1)[-1].lower()
    if ext in _QUAD_FORMATS:
        return ext, _QUAD_FORMATS[ext]
    if ext in _TRIPLE_FORMATS:
        return ext, _TRIPLE_FORMATS[ext]
    raise StoreError(f"{path}: unknown RDF file type (expected .nq, .trig, .nt, .ttl, .rdf or .jsonld, maybe .gz)")


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")


def _graph_of_record_file(path: Path, base: str | None) -> ox.NamedNode | None:
    """``{pmid}.nt`` belongs in ``BASE pubmed/{pmid}#graph``; BASE is read off the article's own IRI in the file
    when not given, so a build made with ``--base`` loads into its own graphs."""
    m = _RECORD_FILE.match(path.name)
    if m is None:
        return None
    pmid = m.group(1)
    if base is None:
        suffix = f"pubmed/{pmid}"
        fmt = _format_of(path)[1]
        with _open(path) as f:
            for quad in ox.parse(f, fmt, lenient=True):
                s = quad.subject
                if isinstance(s, ox.NamedNode) and s.value.endswith("/" + suffix):
                    base = s.value[: -len(suffix)]
                    break
    return record_graph(pmid, base or DEFAULT_BASE)


_DATASET_GRAPHS = ("/shared#graph", "/mesh#graph")
"""Graphs of the dataset as a whole (statements records share; the MeSH tree), not of one record."""


def _shared_graph_of(graph: ox.NamedNode) -> ox.NamedNode:
    """``BASE shared#graph`` beside ``BASE pubmed/{pmid}#graph`` (see Iris.shared_graph)."""
    base = graph.value[: graph.value.rindex("pubmed/")]
    return ox.NamedNode(base + "shared#graph")


def _route(quads: Iterable[Any], graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """A record file's statements as the dumps hold them: the record's own (its article IRI, IRIs under it, list
    cells) in its graph, the shared ones (journals, MeSH terms, cited works) in the shared graph, stated once."""
    own = graph.value[: -len("#graph")]
    shared = _shared_graph_of(graph)
    for q in quads:
        s = q.subject
        mine = isinstance(s, ox.BlankNode) or s.value == own or s.value.startswith(own + "/")
        yield ox.Quad(s, q.predicate, q.object, graph if mine else shared)


def _graphs_in(path: Path, fmt: ox.RdfFormat) -> set[ox.NamedNode]:
    with _open(path) as f:
        return {q.graph_name for q in ox.parse(f, fmt, lenient=True) if isinstance(q.graph_name, ox.NamedNode)}


def load(paths: Iterable[Path | str], store: ox.Store | Path | str | None = None, *, base: str | None = None,
         replace: bool = True) -> tuple[ox.Store, LoadReport]:
    """Load published files into ``store`` (a Store, a path for a persistent one, or None for in-memory).

    N-Quads keep their graphs; a per-record ``{pmid}.nt``/``.ttl`` goes into that record's graph; any other triple
    file goes into the default graph. With ``replace`` a record graph already in the store is emptied first, so
    loading a newer build replaces records instead of merging two versions of one. Uses the bulk loader (no
    transaction, but no whole file in memory either).
    """
    st = store if isinstance(store, ox.Store) else open_store(store)
    report = LoadReport()
    for path in dataset_files(paths):
        ext, fmt = _format_of(path)
        graph = _graph_of_record_file(path, base) if ext not in _QUAD_FORMATS else None
        try:
            if replace and any(True for _ in st.named_graphs()):
                targets = {graph} if graph is not None else (_graphs_in(path, fmt) if ext in _QUAD_FORMATS else set())
                for g in targets:
                    # The shared and MeSH graphs accumulate across builds: replacing records never empties them.
                    if not g.value.endswith(_DATASET_GRAPHS) and st.contains_named_graph(g):
                        st.clear_graph(g)
            with _open(path) as f:
                if ext in _QUAD_FORMATS:
                    st.bulk_load(f, fmt)
                elif graph is not None:
                    st.bulk_extend(_route(ox.parse(f, fmt), graph))
                else:
                    st.bulk_load(f, fmt, to_graph=ox.DefaultGraph())
        except SyntaxError as exc:
            raise SourceError(f"not valid RDF: {exc}", file=str(path)) from exc
        except OSError as exc:
            raise StoreError(f"{path}: cannot load: {exc}") from exc
        report.files.append(path)
        if graph is not None:
            report.graphs.add(graph.value)
        elif ext in _QUAD_FORMATS:
            report.graphs.update(g.value for g in _graphs_in(path, fmt) if not g.value.endswith(_DATASET_GRAPHS))
    st.flush()
    report.quads = len(st)
    return st, report


def to_oxigraph(term: Node | Any) -> Any:
    """An rdflib term (or an N-Triples term string, as the mapping emits) as the pyoxigraph term of the same value
    (pyoxigraph terms pass through)."""
    if type(term) is str:
        term = from_nt(term)
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return term


def _as_quads(triples: Iterable[Any], graph: ox.NamedNode) -> Iterator[ox.Quad]:
    for t in triples:
        if isinstance(t, ox.Quad | ox.Triple):
            s, p, o = t.subject, t.predicate, t.object
        else:
            s, p, o = (to_oxigraph(x) for x in tuple(t)[:3])
        yield ox.Quad(s, p, o, graph)


def _graph_node(graph: ox.NamedNode | URIRef | str) -> ox.NamedNode:
    return graph if isinstance(graph, ox.NamedNode) else ox.NamedNode(str(graph))


def replace_record(store: ox.Store, pmid_graph: ox.NamedNode | URIRef | str, quads: Iterable[Any]) -> int:
    """Make ``pmid_graph`` hold exactly ``quads`` (pyoxigraph quads/triples or rdflib triples; their own graph, if
    any, is ignored), in one SPARQL update so a reader never sees the record half replaced; shared statements go
    to the shared graph. Returns the number of the record's own statements."""
    g = _graph_node(pmid_graph)
    routed = list(_route(_as_quads(quads, g), g))
    own = dict.fromkeys(f"{q.subject} {q.predicate} {q.object} ." for q in routed if q.graph_name == g)
    shared = dict.fromkeys(f"{q.subject} {q.predicate} {q.object} ." for q in routed if q.graph_name != g)
    body = "\n".join(own)
    update = f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}"
    if shared:
        update += f" ;\nINSERT DATA {{ GRAPH {_shared_graph_of(g)} {{\n" + "\n".join(shared) + "\n} }"
    store.update(update)
    return len(own)


def delete_record(store: ox.Store, graph: ox.NamedNode | URIRef | str) -> bool:
    """Remove a record's graph; shared nodes stay while another record's graph still states them."""
    g = _graph_node(graph)
    if not store.contains_named_graph(g):
        return False
    store.remove_graph(g)
    return True


def load_rdflib(paths: Iterable[Path | str], *, base: str | None = None) -> Dataset:
    """The same files in an rdflib Dataset whose default graph is the union of its graphs: the slow reference engine
    the library's queries are also checked against (tests, bench)."""
    ds = Dataset(default_union=True)
    for path in dataset_files(paths):
        ext, fmt = _format_of(path)
        graph = _graph_of_record_file(path, base) if ext not in _QUAD_FORMATS else None
        rdflib_format = {"nq": "nquads", "trig": "trig", "nt": "nt", "ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
        with _open(path) as f:
            if graph is not None:
                ds.graph(URIRef(graph.value)).parse(f, format=rdflib_format[ext])
            else:
                ds.parse(f, format=rdflib_format[ext])
    return ds
