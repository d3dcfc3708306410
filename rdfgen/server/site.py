"""What the server publishes, read-only: a pyoxigraph store (one named graph per record), maybe the build folder it
was loaded from, the base IRI, and a small in-memory index of the records for the search page.

Paths the server is asked for are mapped here to IRIs and files, and only here: a file is served only when its name
comes from a fixed list (dumps) or a fixed pattern (``pubmed/{digits}.{known extension}``) and it resolves inside the
folder, so no request path can reach another file.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from rdfgen.iris import Iris
from rdfgen.serialize import formats
from rdfgen.serialize.graph import to_graph
from rdfgen.serialize.jsonld import jsonld_text
from rdfgen.serialize.ntriples import nt_term, ntriples
from rdfgen.serialize.turtle import turtle_text
from rdfgen.sparql.results import from_oxigraph

Triple = tuple[Node, Node, Node]
DUMPS = ("dataset.nt.gz", "dataset.nq.gz", "dataset.ttl", "void.ttl")
# Documents `rdfgen build` writes per record; .rdf and .nq the server makes from the record's graph.
RECORD_FILES = {"ttl": "ttl", "nt": "nt", "jsonld": "jsonld", "html": "html", "embed.jsonld": "embed.jsonld"}
_PCT = re.compile(r"%[0-9a-fA-F]{2}")

_INDEX_QUERY = """
PREFIX schema: <https://schema.org/>
PREFIX bibo: <http://purl.org/ontology/bibo/>
SELECT ?g ?pmid ?title (SAMPLE(?d) AS ?date) (GROUP_CONCAT(DISTINCT ?author; separator="\\u001f") AS ?authors)
       (GROUP_CONCAT(DISTINCT ?term; separator="\\u001f") AS ?terms)
WHERE {
  GRAPH ?g {
    ?article bibo:pmid ?pmid ; schema:headline ?title .
    OPTIONAL { ?article schema:datePublished ?d }
  }
  FILTER(STR(?g) = CONCAT(STR(?article), "#graph"))
  # Names of authors with an ORCID and of MeSH terms live in the shared graph (stated once for all records).
  OPTIONAL { GRAPH ?g { ?article schema:author ?a } GRAPH ?ga { ?a schema:name ?author } }
  OPTIONAL { { GRAPH ?g { ?article schema:about ?t } GRAPH ?gt { ?t schema:name ?term } }
             UNION { GRAPH ?g { ?article schema:keywords ?term } } }
}
GROUP BY ?g ?pmid ?title
"""


@dataclass(frozen=True)
class Entry:
    """One record as the index page lists and searches it."""

    pmid: str
    title: str
    date: str
    authors: tuple[str, ...]
    terms: tuple[str, ...]

    def matches(self, words: list[str]) -> bool:
        """Every word in the title, an author's name or a MeSH term/keyword (case-insensitive)."""
        haystack = " ".join((self.title, *self.authors, *self.terms)).casefold()
        return all(w in haystack for w in words)


def normalise_path(raw_path: bytes) -> str:
    """The request path as sent (still percent-encoded, as the IRIs are), with hex digits upper case as
    :func:`rdfgen.iris.segment` writes them, so ``%2f`` and ``%2F`` name the same DOI."""
    text = raw_path.decode("latin-1")
    return _PCT.sub(lambda m: m.group(0).upper(), text)


def render_rdf(triples: list[Triple], fmt: formats.RdfFormat, graph: URIRef | None = None) -> str:
    """Triples in a format of the registry, written as the build writes them (sorted N-Triples, pretty Turtle,
    full-graph JSON-LD); N-Quads put them in ``graph`` (the record's), or the default graph."""
    if fmt.name in ("ntriples", "nquads"):
        return ntriples(triples, graph if fmt.quads else None)
    if fmt.name in ("turtle", "jsonld"):
        terms = [(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in triples]
        return turtle_text(terms) if fmt.name == "turtle" else jsonld_text(terms)
    return to_graph(triples).serialize(format=fmt.rdflib)


# Every registry format but TriG: one graph in TriG says nothing that N-Quads does not.
RDF_FORMATS = tuple(f for f in formats.FORMATS if f.name != "trig")


class Site:
    """The published dataset behind the server. ``data_dir`` may be None (a bare store: everything is rendered from
    the graphs); the store is never written to."""

    def __init__(self, store: ox.Store, data_dir: Path | None, base: str, max_results: int,
                 modified: float) -> None:
        self.store = store
        self.modified = modified
        self.data_dir = data_dir.resolve() if data_dir is not None else None
        self.iris = Iris(base)
        self.base = base
        self.max_results = max_results
        self.entries = self._index()
        self.pmids = frozenset(e.pmid for e in self.entries)

    # --- paths, IRIs and files ------------------------------------------------------------------------------------

    def iri(self, path: str) -> str:
        """The IRI a request path names: BASE + the path without its leading slash."""
        return self.base + path.lstrip("/")

    def local(self, iri: str) -> str:
        """A link to ``iri`` that stays on this server when the IRI is ours (whatever host serves it)."""
        return "/" + iri[len(self.base):] if iri.startswith(self.base) else iri

    def _inside(self, path: Path) -> Path | None:
        """``path`` if it is a regular file that resolves inside the data folder (no symlink out of it)."""
        if self.data_dir is None:
            return None
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not real.is_relative_to(self.data_dir) or not real.is_file():
            return None
        return real

    def record_file(self, pmid: str, ext: str) -> Path | None:
        if self.data_dir is None or not pmid.isdigit() or ext not in RECORD_FILES:
            return None
        return self._inside(self.data_dir / "pubmed" / f"{pmid}.{RECORD_FILES[ext]}")

    def dump(self, name: str) -> Path | None:
        """A dump by its exact name; any other name (``..``, an absolute path, an encoded slash) is not one."""
        if name not in DUMPS or self.data_dir is None:
            return None
        return self._inside(self.data_dir / name)

    def dumps(self) -> list[tuple[str, Path]]:
        return [(name, path) for name in DUMPS if (path := self.dump(name)) is not None]

    # --- graphs ---------------------------------------------------------------------------------------------------

    def is_record(self, pmid: str) -> bool:
        return pmid in self.pmids

    def record_triples(self, pmid: str) -> list[Triple]:
        """The record's own graph as published: its .nt file when there is one (the store keeps values, not lexical
        forms: "1.0"^^xsd:decimal comes back as "1"), else its named graph in the store."""
        file = self.record_file(pmid, "nt")
        if file is not None:
            return [_triple(q) for q in ox.parse(path=file, format=ox.RdfFormat.N_TRIPLES)]
        graph = ox.NamedNode(str(self.iris.graph(pmid)))
        own = list(self.store.quads_for_pattern(None, None, None, graph))
        return [_triple(q) for q in own] + self._shared_closure(own)

    def _shared_closure(self, own: list[ox.Quad]) -> list[Triple]:
        """What the record's document also holds about shared nodes (journal chain, MeSH terms and their
        ancestors, cited works): the shared graph's statements reachable from the record's own."""
        shared = ox.NamedNode(str(self.iris.shared_graph()))
        queue = [q.object for q in own if isinstance(q.object, ox.NamedNode)]
        seen, out = set(queue), []
        while queue:
            for quad in self.store.quads_for_pattern(queue.pop(), None, None, shared):
                out.append(_triple(quad))
                if isinstance(quad.object, ox.NamedNode) and quad.object not in seen:
                    seen.add(quad.object)
                    queue.append(quad.object)
        return out

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return next(iter(self.store.quads_for_pattern(node, None, None, None)), None) is not None

    def describe(self, iri: str) -> list[Triple]:
        """A concise bounded description: the IRI's statements (through blank nodes, e.g. list cells) from every
        graph, plus up to ``max_results`` statements that point at it, so a journal page lists its articles."""
        seen: dict[Triple, None] = {}
        queue: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
        visited = set(queue)
        while queue:
            subject = queue.pop()
            for quad in self.store.quads_for_pattern(subject, None, None, None):
                seen.setdefault(_triple(quad), None)
                if isinstance(quad.object, ox.BlankNode) and quad.object not in visited:
                    visited.add(quad.object)
                    queue.append(quad.object)
        incoming = 0
        for quad in self.store.quads_for_pattern(None, None, ox.NamedNode(iri), None):
            if isinstance(quad.subject, ox.NamedNode) and incoming < self.max_results:
                before = len(seen)
                seen.setdefault(_triple(quad), None)
                incoming += len(seen) > before
        return list(seen)

    @lru_cache(maxsize=512)  # noqa: B019 - one Site per server, alive as long as it; the store is read-only
    def record_graph(self, pmid: str) -> Graph:
        return to_graph(self.record_triples(pmid))

    # --- index ----------------------------------------------------------------------------------------------------

    def _index(self) -> list[Entry]:
        entries = []
        rows = self.store.query(_INDEX_QUERY)
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            pmid = row["pmid"].value
            if str(self.iris.graph(pmid)) != row["g"].value:
                continue
            entries.append(Entry(pmid, row["title"].value, row["date"].value if row["date"] else "",
                                 tuple(sorted(_split(row["authors"]))), tuple(sorted(_split(row["terms"])))))
        return sorted(entries, key=lambda e: (e.date, int(e.pmid)), reverse=True)

    def search(self, text: str) -> Iterator[Entry]:
        words = text.casefold().split()
        return (e for e in self.entries if e.matches(words))


def _split(term: ox.Literal | None) -> list[str]:
    return [x for x in term.value.split("\u001f") if x] if term is not None else []


def _triple(quad: ox.Quad | ox.Triple) -> Triple:
    return (from_oxigraph(quad.subject), from_oxigraph(quad.predicate), from_oxigraph(quad.object))  # type: ignore


def data_dir_of(path: Path) -> Path:
    """Check a --data folder up front, with a message that says what to do."""
    if not (path / "dataset.nq.gz").is_file():
        raise FileNotFoundError(f"{path}: no dataset.nq.gz here; run `rdfgen build --out {path}` first")
    return path


def modified_time(data_dir: Path | None, store_path: Path | None) -> float:
    """When the data last changed, for Last-Modified on pages made from the store: the dump's or store's mtime."""
    for path in (data_dir / "dataset.nq.gz" if data_dir else None, store_path):
        if path is not None and path.exists():
            return path.stat().st_mtime
    return time.time()


def file_etag(path: Path) -> str:
    st = os.stat(path)
    return f'"{st.st_mtime_ns:x}-{st.st_size:x}"'
