"""What the server publishes, read-only: a pyoxigraph store (one named graph per record), maybe the build folder it
was loaded from, the base IRI, and a small in-memory index of the records for the search page.

Paths the server is asked for are mapped here to IRIs and files, and only here: a file is served only when its name
comes from a fixed list (dumps) or a fixed pattern (``pubmed/{digits}.{known extension}``) and it resolves inside the
folder, so no request path can reach another file.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import overload

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
# Documents `rdfgen build` writes per record; .rdf and .nq the server makes from the record's graph, and the
# citations too when the build did not write them (rdfgen.publish.documents).
RECORD_FILES = {ext: ext for ext in ("ttl", "nt", "jsonld", "html", "embed.jsonld", "csl.json", "bib", "ris")}
_PCT = re.compile(r"%[0-9a-fA-F]{2}")

_PREFIXES = """PREFIX schema: <https://schema.org/>
PREFIX bibo: <http://purl.org/ontology/bibo/>
"""

# The records in index order (newest first), only their keys: what a page of the index or of search results needs
# first. ``{match}`` holds one sub-select per search word.
_ORDER_QUERY = _PREFIXES + """SELECT ?article (MAX(?d) AS ?date) ?pmid
WHERE {
  GRAPH ?g { ?article bibo:pmid ?pmid ; schema:headline ?title . OPTIONAL { ?article schema:datePublished ?d } }
  FILTER(STR(?g) = CONCAT(STR(?article), "#graph") && STRSTARTS(STR(?article), {records}))
  {match}
}
GROUP BY ?article ?pmid
ORDER BY DESC(?date) DESC(xsd:integer(?pmid))
"""

# The records with a word in their title, an author's name, a MeSH term's name or a keyword (names of ORCID persons
# and MeSH terms live in the shared graph). A sub-select per word, each evaluated once, then joined: the articles of
# each are a set, where a FILTER EXISTS per article and word costs a plan per row.
_WORD_MATCH = """{ SELECT DISTINCT ?article WHERE {
    { GRAPH ?h { ?article schema:headline ?text } }
    UNION { GRAPH ?h { ?article schema:author ?a } ?a schema:name ?text }
    UNION { GRAPH ?h { ?article schema:about ?t } ?t schema:name ?text }
    UNION { GRAPH ?h { ?article schema:keywords ?text } }
    FILTER(CONTAINS(LCASE(STR(?text)), {word}))
  } }"""

# What a listed record shows: title and authors, for one page of records at a time.
_ENTRY_QUERY = _PREFIXES + """SELECT ?article ?title (GROUP_CONCAT(DISTINCT ?author; separator="\\u001f") AS ?authors)
WHERE {
  VALUES ?article { {articles} }
  GRAPH ?g { ?article schema:headline ?title }
  FILTER(STR(?g) = CONCAT(STR(?article), "#graph"))
  OPTIONAL { GRAPH ?g { ?article schema:author ?a } ?a schema:name ?author }
}
GROUP BY ?article ?title
"""

# The records of one sitemap page, with PubMed's revision date: LIMIT/OFFSET without ORDER BY, so the engine streams
# the rows (a stable order on a read-only store) and never holds more than one page of them.
_SITEMAP_QUERY = _PREFIXES + """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?article ?modified
WHERE {
  GRAPH ?g { ?article bibo:pmid ?pmid . OPTIONAL { ?article dcterms:modified ?modified } }
  FILTER(STR(?g) = CONCAT(STR(?article), "#graph") && STRSTARTS(STR(?article), {records}))
}
LIMIT {limit} OFFSET {offset}
"""

# How many records there are, counted by the engine as the rows stream past.
_COUNT_QUERY = _PREFIXES + """SELECT (COUNT(*) AS ?n)
WHERE {
  GRAPH ?g { ?article bibo:pmid ?pmid }
  FILTER(STR(?g) = CONCAT(STR(?article), "#graph") && STRSTARTS(STR(?article), {records}))
}
"""

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ORGANIZATION = ox.NamedNode("https://schema.org/Organization")
_AFFILIATION = ox.NamedNode("https://schema.org/affiliation")
_ORCID = "https://orcid.org/"
_PERSON_PREDICATES = tuple(ox.NamedNode(p) for p in (
    _RDF_TYPE.value, "https://schema.org/name", "http://xmlns.com/foaf/0.1/name", "https://schema.org/givenName",
    "http://xmlns.com/foaf/0.1/givenName", "https://schema.org/familyName", "http://xmlns.com/foaf/0.1/familyName",
    "https://w3id.org/rdfgen/vocab#initials", "https://schema.org/honorificSuffix",
    "https://w3id.org/rdfgen/vocab#orcid", "https://schema.org/sameAs"))
"""What rdfgen.mapping.people states of a person besides affiliations (tests/test_server_scale.py checks that a
record's document from the store has every statement of its published one)."""

PAGE_NODE_QUADS = 24
"""Statements read of each shared node for an article page (a cited work's type, title, date, DOI, journal...)."""

INVERSE_PER_GROUP = 20
"""Subjects listed per property pointing at a resource, on its page (more a page at a time, ``?rel=&page=``)."""

_LABELS = tuple((ox.NamedNode(p), template) for p, template in (
    ("https://schema.org/name", "{}"), ("https://schema.org/headline", "{}"),
    ("https://schema.org/volumeNumber", "volume {}"), ("https://schema.org/issueNumber", "issue {}")))


@dataclass(frozen=True)
class InverseGroup:
    """The subjects of one property that point at a resource: how many there are, and one page of them."""

    predicate: str
    total: int
    subjects: list[tuple[str, str]]  # (IRI, label)
    page: int = 1


PAGE_LINKS = 100
"""Statements pointing at a resource that its page and documents list (a journal's articles, a person's
authorships): the first ones, with the count and a query for all of them, so no page grows with a node's
popularity."""


@dataclass(frozen=True)
class Entry:
    """One record as the index page lists it."""

    pmid: str
    title: str
    date: str
    authors: tuple[str, ...]


class Listing(Sequence[Entry]):
    """Records in index order, read from the store a page at a time: the keys of the matching records (a few bytes
    each) on first use, titles and authors only for the slice a page shows. Nothing is held per record between
    requests but the unfiltered order, which the index page reads on every visit."""

    def __init__(self, site: Site, words: tuple[str, ...] = ()) -> None:
        self.site, self.words = site, words
        self._keys: list[tuple[str, str, str]] | None = None  # (article IRI, pmid, date)

    def keys(self) -> list[tuple[str, str, str]]:
        if self._keys is None:
            match = "\n  ".join(_WORD_MATCH.replace("{word}", str(ox.Literal(w))) for w in self.words)
            records = str(ox.Literal(self.site.base + "pubmed/"))  # records under another base are not served
            query = _ORDER_QUERY.replace("{match}", match).replace("{records}", records)
            rows = self.site.store.query("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n" + query,
                                         use_default_graph_as_union=True)
            assert isinstance(rows, ox.QuerySolutions)
            self._keys = [(r["article"].value, r["pmid"].value, r["date"].value if r["date"] else "") for r in rows]
        return self._keys

    def __len__(self) -> int:
        return len(self.keys())

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> list[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | list[Entry]:
        if isinstance(index, int):
            return self.site.entries_of([self.keys()[index]])[0]
        return self.site.entries_of(self.keys()[index])


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
        self.entries = Listing(self)

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
        """A point lookup of the record's graph, where a set of every PMID would grow with the dataset."""
        return pmid.isdigit() and self.store.contains_named_graph(ox.NamedNode(str(self.iris.graph(pmid))))

    @lru_cache(maxsize=32)  # noqa: B019 - one Site per server; a page reads a record twice (embedding, body)
    def record_triples(self, pmid: str, per_node: int | None = None) -> list[Triple]:
        """The record's own graph as published: its .nt file when there is one (the store keeps values, not lexical
        forms: "1.0"^^xsd:decimal comes back as "1"), else its named graph in the store with the shared statements it
        names; ``per_node`` bounds those per shared node (an article page: :data:`PAGE_NODE_QUADS`)."""
        return [_triple(q) for q in self._record_quads(pmid, per_node)]

    def record_terms(self, pmid: str, per_node: int | None = None) -> list[tuple[str, str, str]]:
        """:meth:`record_triples` as N-Triples term strings, what the page, citation and embedding writers read:
        pyoxigraph writes a term in N-Triples in native code, where an rdflib term costs tens of microseconds to
        make (most of a page, measured)."""
        return [(str(q.subject), str(q.predicate), str(q.object)) for q in self._record_quads(pmid, per_node)]

    def _record_quads(self, pmid: str, per_node: int | None) -> list[ox.Quad | ox.Triple]:
        file = self.record_file(pmid, "nt")
        if file is not None:
            return list(ox.parse(path=file, format=ox.RdfFormat.N_TRIPLES))
        graph = ox.NamedNode(str(self.iris.graph(pmid)))
        own = list(self.store.quads_for_pattern(None, None, None, graph))
        return own + self._shared_closure(own, per_node)  # type: ignore[operator]

    def _shared_closure(self, own: list[ox.Quad], per_node: int | None = None) -> list[ox.Quad]:
        """What the record's document also holds about shared nodes (journal chain, MeSH terms and their
        ancestors, cited works, ORCID persons): the shared graph's statements reachable from the record's own.

        ``per_node`` bounds what is read of each shared node, for a page that shows a label or two of each: a work
        cited by thousands of records carries a title and date from each of them, which its document lists and its
        citing article's page does not."""
        shared = ox.NamedNode(str(self.iris.shared_graph()))
        orgs = [q.subject for q in own if q.predicate == _RDF_TYPE and q.object == _ORGANIZATION]
        queue = [q.object for q in own if isinstance(q.object, ox.NamedNode) and q.predicate != _RDF_TYPE]
        seen, out = set(queue), []
        while queue:
            node = queue.pop()
            quads: Iterable[ox.Quad] = self._person_quads(node, orgs, shared) if node.value.startswith(_ORCID) \
                else self.store.quads_for_pattern(node, None, None, shared)
            if per_node is not None:
                quads = itertools.islice(quads, per_node)
            for quad in quads:
                out.append(quad)
                if isinstance(quad.object, ox.NamedNode) and quad.object not in seen and quad.predicate != _RDF_TYPE:
                    seen.add(quad.object)
                    queue.append(quad.object)
        return out

    def _person_quads(self, person: ox.NamedNode, orgs: list[ox.NamedNode], shared: ox.NamedNode) -> list[ox.Quad]:
        """An ORCID person's statements, read predicate by predicate (index lookups) so that the affiliations the
        person has in every other article are never read: of those, only this record's own (``orgs``)."""
        found = [q for p in _PERSON_PREDICATES for q in self.store.quads_for_pattern(person, p, None, shared)]
        found += [q for org in orgs for q in self.store.quads_for_pattern(person, _AFFILIATION, org, shared)]
        return found

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return next(iter(self.store.quads_for_pattern(node, None, None, None)), None) is not None

    def describe(self, iri: str, links: int = PAGE_LINKS) -> tuple[list[Triple], int]:
        """A concise bounded description: the IRI's statements (through blank nodes, e.g. list cells) from every
        graph but the statistics, plus the first ``links`` statements that point at it (a journal's articles, a
        person's authorships); returns them with the number of all statements pointing at it, so a page can say
        how many more there are. Reading stops at ``links``: a journal of 5,000 articles costs what one of 100
        does (the count is the store's, in Rust, not a Python loop)."""
        node = ox.NamedNode(iri)
        skip = ox.NamedNode(self.base + "statistics#graph")
        seen: dict[Triple, None] = {}
        queue: list[ox.NamedNode | ox.BlankNode] = [node]
        visited = set(queue)
        while queue:
            subject = queue.pop()
            for quad in self.store.quads_for_pattern(subject, None, None, None):
                if quad.graph_name == skip:
                    continue
                seen.setdefault(_triple(quad), None)
                if isinstance(quad.object, ox.BlankNode) and quad.object not in visited:
                    visited.add(quad.object)
                    queue.append(quad.object)
        incoming: dict[Triple, None] = {}
        for quad in self.store.quads_for_pattern(None, None, node, None):
            if len(incoming) >= links:
                break
            if isinstance(quad.subject, ox.NamedNode):
                incoming.setdefault(_triple(quad), None)
        return list(seen) + [t for t in incoming if t not in seen], self.count_links(iri) if len(incoming) >= links \
            else len(incoming)

    def inverse_groups(self, iri: str, rel: str | None = None, page: int = 1,
                       per: int = INVERSE_PER_GROUP) -> list[InverseGroup]:
        """What points at ``iri``, grouped by property, each group counted (in the store, in Rust) and listing a
        page of its subjects with their labels: ``per`` of every property, or page ``page`` of ``rel`` alone. Nothing
        grows with the popularity of ``iri`` but the counts."""
        node = ox.NamedNode(iri)
        query = (f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p {node} FILTER(isIRI(?s)) }} "
                 "GROUP BY ?p ORDER BY ?p")
        rows = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        counts = [(r["p"].value, int(r["n"].value)) for r in rows]
        groups = []
        for predicate, total in counts:
            if rel is not None and predicate != rel:
                continue
            first = (page - 1) * per if rel is not None else 0
            subjects: dict[str, None] = {}
            for quad in self.store.quads_for_pattern(None, ox.NamedNode(predicate), node, None):
                if isinstance(quad.subject, ox.NamedNode):
                    subjects.setdefault(quad.subject.value, None)
                    if len(subjects) >= first + per:
                        break
            shown = [(s, self.label(s)) for s in list(subjects)[first:first + per]]
            groups.append(InverseGroup(predicate, total, shown, page if rel is not None else 1))
        return groups

    def label(self, iri: str) -> str:
        """A resource's name for a list: its name or headline, "volume 22", "issue 3", else the IRI."""
        node = ox.NamedNode(iri)
        for predicate, template in _LABELS:
            for quad in self.store.quads_for_pattern(node, predicate, None, None):
                return template.format(quad.object.value)
        return iri

    def count_links(self, iri: str) -> int:
        """How many distinct statements point at ``iri`` (from IRIs, as listed by :meth:`describe`)."""
        query = f"SELECT (COUNT(DISTINCT *) AS ?n) WHERE {{ ?s ?p {ox.NamedNode(iri)} FILTER(isIRI(?s)) }}"
        rows = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        return int(next(iter(rows))["n"].value)

    def record_graph(self, pmid: str) -> Graph:
        """The record's triples as an rdflib Graph, for the article page; not cached (the page is), so memory does
        not hold hundreds of parsed graphs."""
        return to_graph(self.record_triples(pmid))

    # --- sitemap --------------------------------------------------------------------------------------------------

    def _records_literal(self) -> str:
        return str(ox.Literal(self.base + "pubmed/"))  # records under another base are not served

    @lru_cache(maxsize=1)  # noqa: B019 - one Site per server, and the store is read-only while it runs
    def record_count(self) -> int:
        """How many records the store holds (one streaming count, not a list of them)."""
        rows = self.store.query(_COUNT_QUERY.replace("{records}", self._records_literal()),
                                use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        return int(next(iter(rows))["n"].value)

    def sitemap_page(self, offset: int, limit: int) -> list[tuple[str, str | None]]:
        """(article IRI, revision date) of ``limit`` records from ``offset``: one page of the sitemap, read by a
        query that stops after the page."""
        query = (_SITEMAP_QUERY.replace("{records}", self._records_literal())
                 .replace("{limit}", str(int(limit))).replace("{offset}", str(int(offset))))
        rows = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        return [(r["article"].value, r["modified"].value if r["modified"] else None) for r in rows]

    # --- index ----------------------------------------------------------------------------------------------------

    def search(self, text: str) -> Listing:
        """The records whose title, authors' names, MeSH terms or keywords hold every word (case-insensitive)."""
        return Listing(self, tuple(text.casefold().split()))

    def entries_of(self, keys: Sequence[tuple[str, str, str]]) -> list[Entry]:
        """Title and authors of the listed records (article IRI, PMID, date), in the order given: one query."""
        if not keys:
            return []
        values = " ".join(f"<{iri}>" for iri, _, _ in keys)
        rows = self.store.query(_ENTRY_QUERY.replace("{articles}", values), use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        found = {r["article"].value: (r["title"].value, tuple(sorted(_split(r["authors"])))) for r in rows}
        entries = []
        for iri, pmid, date in keys:
            title, authors = found.get(iri, ("", ()))
            entries.append(Entry(pmid, title, date, authors))
        return entries


def _split(term: ox.Literal | None) -> list[str]:
    return [x for x in term.value.split("\u001f") if x] if term is not None else []


_NAMED: dict[str, URIRef] = {}
"""rdflib IRIs made before, by IRI: predicates, classes, journals and MeSH terms recur in every record, and an
rdflib URIRef checks its IRI each time one is made. Bounded: emptied past _NAMED_MAX."""
_NAMED_MAX = 50_000


_SHORT: dict[ox.Literal, Node] = {}
"""rdflib literals made before, the short ones (positions, dates, booleans, publication types, languages, names that
recur across records): an rdflib Literal parses its lexical form each time one is made. Keyed by the pyoxigraph
literal (value, datatype and language); bounded like _NAMED, and only short values, so no abstract is kept."""
_SHORT_LENGTH = 40


def _node(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if type(term) is ox.NamedNode:
        iri = term.value
        found = _NAMED.get(iri)
        if found is None:
            if len(_NAMED) >= _NAMED_MAX:
                _NAMED.clear()
            found = _NAMED[iri] = URIRef(iri)
        return found
    if type(term) is ox.Literal:
        known = _SHORT.get(term)
        if known is None:
            known = from_oxigraph(term)  # type: ignore[assignment]
            if len(term.value) <= _SHORT_LENGTH:
                if len(_SHORT) >= _NAMED_MAX:
                    _SHORT.clear()
                _SHORT[term] = known  # type: ignore[assignment]
        return known  # type: ignore[return-value]
    return from_oxigraph(term)  # type: ignore[return-value]


def _triple(quad: ox.Quad | ox.Triple) -> Triple:
    return (_node(quad.subject), _node(quad.predicate), _node(quad.object))  # type: ignore[arg-type]


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
