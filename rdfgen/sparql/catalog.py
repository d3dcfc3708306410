"""The catalog: a SQLite database beside a store that lists its records for people browsing them. Full-text search
over titles, abstracts, authors, keywords and MeSH terms (FTS5, in Python's own sqlite3), the index in date or title
order a page at a time, and facets with counts (year, journal, publication type, MeSH major topic, keyword).

Why not SPARQL: a word search there is a scan of every title and name with CONTAINS, and an ordered, counted,
faceted listing of 30,000 records is a sort and a group of all of them on every page. The catalog answers each with
an index. It is derived from the store (point lookups of each record's graph, about a millisecond a record), so any
store can have one, and it is kept in step by ``rdfgen load``: after each shard the records it added, replaced or
deleted are indexed again, and the shards indexed are remembered, so a killed load's rerun catches up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from rdfgen.iris import Iris

CATALOG_NAME = "rdfgen-catalog.sqlite"
"""The catalog's file inside a store's folder (RocksDB leaves files it does not know alone)."""

CATALOG_FORMAT = "2"
"""Bumped when the tables or what is read into them change: a catalog of another format is rebuilt by the next load."""

FACETS = ("year", "journal", "type", "mesh", "keyword")
"""Facet names people choose from: publication year, journal title, publication type, MeSH major topic, keyword."""

LINKS = ("descriptor", "mapped", "author-iri", "journal-iri")
"""What a resource page lists articles by: MeSH descriptor UI (a heading of the record), descriptor UI a keyword
of the record maps to, author IRI (an ORCID person is one IRI across records), journal IRI."""

SORTS = ("date", "title", "pmid", "volume")

MEMO_SIZE = 1024
"""Answers a read-only catalog keeps (facet counts of the searches and filters asked last)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records(pmid INTEGER PRIMARY KEY, title TEXT NOT NULL, date TEXT NOT NULL,
                                   journal TEXT NOT NULL, authors TEXT NOT NULL, volume TEXT NOT NULL,
                                   issue TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_by_date ON records(date DESC, pmid DESC);
CREATE INDEX IF NOT EXISTS records_by_title ON records(title COLLATE NOCASE, pmid);
CREATE TABLE IF NOT EXISTS facets(facet TEXT NOT NULL, value TEXT NOT NULL, pmid INTEGER NOT NULL,
                                  PRIMARY KEY(facet, value, pmid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_by_record ON facets(pmid);
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(title, abstract, authors, keywords, subjects,
                                                     tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS indexed(entry TEXT PRIMARY KEY);
"""

_SEP = "\x1f"

_S = "https://schema.org/"
_R = "https://w3id.org/rdfgen/vocab#"


@dataclass(frozen=True)
class CatalogRecord:
    """What the catalog keeps of a record: its listing line, its words and its facet values."""

    pmid: str
    title: str
    date: str
    journal: str
    authors: tuple[str, ...]
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    major: tuple[str, ...] = ()
    volume: str = ""
    issue: str = ""
    links: tuple[tuple[str, str], ...] = ()  # (kind in LINKS, value)

    def facet_values(self) -> Iterator[tuple[str, str]]:
        if self.date[:4].isdigit():
            yield "year", self.date[:4]
        if self.journal:
            yield "journal", self.journal
        yield from (("type", t) for t in self.types)
        yield from (("mesh", m) for m in self.major)
        yield from (("keyword", k) for k in self.keywords)
        yield from self.links


@dataclass(frozen=True)
class Page:
    """One page of a listing: how many records match in all, and this page's records in order."""

    total: int
    records: list[CatalogRecord]


class CatalogError(ValueError):
    """A request the catalog cannot answer: an unknown facet or sort order."""


class Catalog:
    """A store's catalog, opened read-write for a load or read-only for a server (one connection per thread)."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self._memo: dict[tuple[object, ...], object] | None = {} if read_only else None
        if read_only:
            self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path)
            if self._format() not in (None, CATALOG_FORMAT):  # an older rdfgen's: start again (the load refills it)
                self.db.close()
                self.path.unlink()
                self.db = sqlite3.connect(self.path)
            self.db.executescript(_SCHEMA)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (CATALOG_FORMAT,))
            self.db.commit()

    def _format(self) -> str | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.DatabaseError:
            return "unreadable"
        return str(row[0]) if row else None

    @classmethod
    def in_memory(cls, store: ox.Store, base: str) -> Catalog:
        """A catalog held in memory, built from ``store`` now: for a store that has no folder (a dump loaded in
        memory), which is small."""
        catalog = cls.__new__(cls)
        catalog.path = Path(":memory:")
        catalog._memo = None
        catalog.db = sqlite3.connect(":memory:", check_same_thread=False)
        catalog.db.executescript(_SCHEMA)
        catalog.rebuild(store, base)
        return catalog

    @classmethod
    def of_store(cls, store_dir: Path | str, *, read_only: bool = False) -> Catalog | None:
        """The catalog of the store in ``store_dir``; None when read-only and there is none yet."""
        path = Path(store_dir) / CATALOG_NAME
        if read_only and not path.is_file():
            return None
        return cls(path, read_only=read_only)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- keeping it in step with the store ------------------------------------------------------------------------

    def index(self, store: ox.Store, base: str, pmids: Iterable[str]) -> tuple[int, int]:
        """Index these records as the store holds them now: each one there is (re)written, each one not there is
        removed. Returns (written, removed). One transaction: a killed run leaves the catalog as it was."""
        with self.db:
            return self._index(store, Iris(base), pmids)

    def _index(self, store: ox.Store, iris: Iris, pmids: Iterable[str]) -> tuple[int, int]:
        written = removed = 0
        reader = RecordReader(store)  # for this call: what it remembers of shared nodes holds while the store does
        pmids = sorted(pmids, key=int)  # FTS5 appends rows in rowid order; one out of order flushes what it holds
        for start in range(0, len(pmids), _BATCH):
            batch = pmids[start:start + _BATCH]
            records = reader.read(iris, batch)
            for pmid in batch:
                self._remove(int(pmid))
                record = records.get(pmid)
                if record is None:
                    removed += 1
                else:
                    self._write(record)
                    written += 1
        return written, removed

    def rebuild(self, store: ox.Store, base: str, entries: Iterable[str] = ()) -> int:
        """Index every record of ``base`` the store holds, in place of what the catalog held, and remember
        ``entries`` (load state keys) as indexed. One transaction, the base written last: a killed rebuild leaves
        the old catalog, which the next load rebuilds again."""
        with self.db:
            for table in ("records", "facets", "words", "indexed"):
                self.db.execute(f"DELETE FROM {table}")
            written = self._index(store, Iris(base), record_pmids(store, base))[0]
            self.db.executemany("INSERT OR IGNORE INTO indexed VALUES (?)", [(e,) for e in entries])
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('base', ?)", (base,))
        return written

    @property
    def base(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'base'").fetchone()
        return str(row[0]) if row else None

    def is_indexed(self, entry: str) -> bool:
        return self.db.execute("SELECT 1 FROM indexed WHERE entry = ?", (entry,)).fetchone() is not None

    def mark_indexed(self, entry: str) -> None:
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO indexed VALUES (?)", (entry,))

    def _remove(self, pmid: int) -> None:
        for table, key in (("records", "pmid"), ("facets", "pmid"), ("words", "rowid")):
            self.db.execute(f"DELETE FROM {table} WHERE {key} = ?", (pmid,))

    def _write(self, r: CatalogRecord) -> None:
        pmid = int(r.pmid)
        self.db.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (pmid, r.title, r.date, r.journal, _SEP.join(r.authors), r.volume, r.issue))
        self.db.executemany("INSERT OR IGNORE INTO facets VALUES (?, ?, ?)",
                            [(facet, value, pmid) for facet, value in r.facet_values()])
        self.db.execute("INSERT INTO words(rowid, title, abstract, authors, keywords, subjects) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (pmid, r.title, r.abstract, " ; ".join(r.authors), " ; ".join(r.keywords),
                         " ; ".join(r.subjects)))

    # --- reading ----------------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        if self._memo is not None and ("len",) in self._memo:
            return self._memo[("len",)]  # type: ignore[return-value]
        count = int(self.db.execute("SELECT COUNT(*) FROM records").fetchone()[0])
        if self._memo is not None:
            self._memo[("len",)] = count
        return count

    def page(self, *, text: str = "", facets: Sequence[tuple[str, str]] = (), sort: str = "date", offset: int = 0,
             limit: int = 50) -> Page:
        """Records matching every word of ``text`` (prefixes: "tumo" finds "tumors") and every facet value given,
        in ``sort`` order (date: newest first; title: A to Z; pmid: highest first), ``limit`` from ``offset``."""
        order = {"date": "r.date DESC, r.pmid DESC", "title": "r.title COLLATE NOCASE, r.pmid",
                 "pmid": "r.pmid DESC",
                 "volume": "CAST(r.volume AS INTEGER) DESC, r.volume DESC, CAST(r.issue AS INTEGER) DESC, "
                           "r.issue DESC, r.date DESC, r.pmid DESC"}.get(sort)
        if order is None:
            raise CatalogError(f"unknown sort order {sort!r}; one of {', '.join(SORTS)}")
        where, args = self._filter(text, facets)
        total = self.db.execute(f"SELECT COUNT(*) FROM records r {where}", args).fetchone()[0]
        rows = self.db.execute(
            f"SELECT r.pmid, r.title, r.date, r.journal, r.authors, r.volume, r.issue FROM records r {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?", (*args, max(0, limit), max(0, offset))).fetchall()
        return Page(int(total), [CatalogRecord(str(p), t, d, j, tuple(a.split(_SEP)) if a else (), volume=v, issue=i)
                                 for p, t, d, j, a, v, i in rows])

    def facet_counts(self, facet: str, *, text: str = "", facets: Sequence[tuple[str, str]] = (),
                     limit: int = 20) -> list[tuple[str, int]]:
        """The most frequent values of ``facet`` among the records matching ``text`` and ``facets``, with counts;
        years in descending order of year, the others by count. A read-only catalog (a server's) keeps the answers
        it gave last (counting a facet over 30,000 records takes milliseconds; the index page shows five)."""
        key = (facet, text, tuple(facets), limit)
        if self._memo is not None and key in self._memo:
            return self._memo[key]  # type: ignore[return-value]
        found = self._facet_counts(facet, text, facets, limit)
        if self._memo is not None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = found
        return found

    def _facet_counts(self, facet: str, text: str, facets: Sequence[tuple[str, str]],
                      limit: int) -> list[tuple[str, int]]:
        if facet not in FACETS + LINKS:
            raise CatalogError(f"unknown facet {facet!r}; one of {', '.join(FACETS)}")
        where, args = self._filter(text, facets)
        order = "f.value DESC" if facet == "year" else "n DESC, f.value"
        scope = f"AND f.pmid IN (SELECT r.pmid FROM records r {where})" if where else ""
        rows = self.db.execute(
            f"SELECT f.value, COUNT(*) AS n FROM facets f WHERE f.facet = ? {scope} "
            f"GROUP BY f.value ORDER BY {order} LIMIT ?", (facet, *args, max(0, limit))).fetchall()
        return [(str(v), int(n)) for v, n in rows]

    def _filter(self, text: str, facets: Sequence[tuple[str, str]]) -> tuple[str, list[object]]:
        clauses: list[str] = []
        args: list[object] = []
        match = fts_query(text)
        if match:
            clauses.append("r.pmid IN (SELECT rowid FROM words WHERE words MATCH ?)")
            args.append(match)
        for facet, value in facets:
            if facet not in FACETS + LINKS:
                raise CatalogError(f"unknown facet {facet!r}; one of {', '.join(FACETS)}")
            clauses.append("r.pmid IN (SELECT pmid FROM facets WHERE facet = ? AND value = ?)")
            args += [facet, value]
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), args


def fts_query(text: str) -> str:
    """An FTS5 query that finds records with every word of ``text`` as a word prefix. Each word is quoted, so
    nothing a user types is FTS5 syntax (AND, NEAR, quotes, colons) and no input is an error."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words[:32])


# --- reading a record from the store -----------------------------------------------------------------------------


def record_pmids(store: ox.Store, base: str) -> Iterator[str]:
    """PMIDs of the store's record graphs under ``base``."""
    prefix = base + "pubmed/"
    for graph in store.named_graphs():
        value = graph.value if isinstance(graph, ox.NamedNode) else ""
        if value.startswith(prefix) and value.endswith("#graph") and value[len(prefix):-6].isdigit():
            yield value[len(prefix):-6]


_PREFIXES = f"PREFIX schema: <{_S}>\nPREFIX rdfgen: <{_R}>\n"

_OWN = ("title", "date", "abstract", "keywords", "types")
"""What the "own" query's ?k numbers: a record's own values of schema:headline, datePublished, abstract, keywords
and rdfgen:publicationTypeName."""

_QUERIES = {
    # kind: the pattern for one record (?g its graph, ?a its article); ?v the value, ?n an author's position.
    # one branch a property: each an index lookup, where ?a ?p ?v with a filter reads every statement of the article
    "own": " UNION ".join(f"{{ GRAPH ?g {{ ?a {p} ?v }} BIND({k} AS ?k) }}" for k, p in enumerate((
        "schema:headline", "schema:datePublished", "schema:abstract", "schema:keywords",
        "rdfgen:publicationTypeName"))),
    # (the order of the patterns is pyoxigraph's order of lookups: these orders measured fastest)
    "author": """GRAPH ?g { ?s rdfgen:position ?n ; rdfgen:agent ?agent . ?a rdfgen:authorship ?s }
                ?agent schema:name ?v""",
    "about": "GRAPH ?g { ?a schema:about ?v }",  # a shared MeSH term: its name and code from RecordReader
    "major": "GRAPH ?g { ?h rdfgen:majorTopic true ; rdfgen:descriptorName ?v . ?a rdfgen:meshHeading ?h }",
    "part-of": "GRAPH ?g { ?a schema:isPartOf ?v }",  # a shared issue or volume: its journal from RecordReader
    "mapped": "GRAPH ?g { ?a rdfgen:keywordSubject ?term } ?term schema:termCode ?v",
    "author-iri": "GRAPH ?g { ?a schema:author ?agent } BIND(STR(?agent) AS ?v)",
}
"""One query per kind of field, each over a batch of records: one UNION of them all costs 30 times more, as
pyoxigraph then evaluates the journal path before binding the article. A row names its record by its place in the
batch (?i, an integer the store does not have to look up as it does an IRI)."""

_BATCH = 200

_NAME, _CODE, _PART_OF = (ox.NamedNode(_S + p) for p in ("name", "termCode", "isPartOf"))
_VOLUME, _ISSUE, _PERIODICAL = (ox.NamedNode(_S + p) for p in ("volumeNumber", "issueNumber", "Periodical"))
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

Fields = dict[str, list[tuple[int, str]]]
"""A record's values by kind ("title", "author", "journal-iri", ...): (author position or 0, value)."""


class RecordReader:
    """Reads the catalog fields of records: a SPARQL query per kind of field over a batch of records, and the
    names and codes of the shared nodes they point to (MeSH terms, issues, volumes, journals) looked up once.

    Why: turning a stored string back into a Python string is most of the cost, and the query joining a record to
    the name of its MeSH term or journal does that again for every record naming it. The reader remembers what each
    shared node says, so it is for one pass over a store that is not changing (one ``Catalog.index``)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._terms: dict[object, Fields] = {}
        self._containers: dict[object, Fields] = {}
        self._said: dict[tuple[object, ox.NamedNode], list[object]] = {}

    def read(self, iris: Iris, pmids: Sequence[str]) -> dict[str, CatalogRecord]:
        """The records the store holds among ``pmids`` (read ``_BATCH`` at a time)."""
        found: dict[str, CatalogRecord] = {}
        for start in range(0, len(pmids), _BATCH):
            batch = pmids[start:start + _BATCH]
            for pmid, fields in zip(batch, self._batch(iris, batch), strict=True):
                record = _record(pmid, fields)
                if record is not None:
                    found[pmid] = record
        return found

    def _batch(self, iris: Iris, batch: Sequence[str]) -> list[Fields]:
        values = " ".join(f"({ox.NamedNode(str(iris.graph(p)))} {ox.NamedNode(iris.article_iri(p))} {i})"
                          for i, p in enumerate(batch))
        fields: list[Fields] = [{} for _ in batch]
        for kind, pattern in _QUERIES.items():
            query = f"{_PREFIXES}SELECT ?i ?k ?v ?n WHERE {{ VALUES (?g ?a ?i) {{ {values} }} {pattern} }}"
            for i, k, v, n in store_rows(self.store, query):
                record = fields[int(i.value)]
                if kind == "about":
                    shared = self._term(v)
                elif kind == "part-of":
                    shared = self._container(v)
                else:
                    key = _OWN[int(k.value)] if kind == "own" else kind
                    place = int(n.value) if n is not None and n.value.isdigit() else 0
                    record.setdefault(key, []).append((place, v.value))
                    continue
                for key, found in shared.items():
                    record.setdefault(key, []).extend(found)
        return fields

    def _objects(self, subject: object, predicate: ox.NamedNode) -> list[object]:
        """Objects of a shared node in any graph (the default graph as the union, as the queries have it): an issue's
        volume and journal are shared by more records than the issue is."""
        found = self._said.get((subject, predicate))
        if found is None:
            found = []  # a literal is the subject of nothing
            if isinstance(subject, (ox.NamedNode, ox.BlankNode)):
                found = [q.object for q in self.store.quads_for_pattern(subject, predicate, None, None)]
            self._said[subject, predicate] = found
        return found

    def _values(self, subject: object, predicate: ox.NamedNode) -> list[tuple[int, str]]:
        return [(0, o.value) for o in self._objects(subject, predicate)]  # type: ignore[attr-defined]

    def _term(self, term: object) -> Fields:
        """What a record's schema:about term gives it: "subject" its names, "descriptor" its codes."""
        found = self._terms.get(term)
        if found is None:
            found = self._terms[term] = {"subject": self._values(term, _NAME), "descriptor": self._values(term, _CODE)}
        return found

    def _container(self, container: object) -> Fields:
        """What a record's schema:isPartOf (an issue, volume or journal) gives it: "journal" and "journal-iri" of
        each schema:Periodical up its isPartOf chain (zero or more steps), "volume" the volume number of it or its
        parent (zero or one step), "issue" its issue number."""
        found = self._containers.get(container)
        if found is not None:
            return found
        chain, todo = [container], [container]
        while todo:
            for parent in self._objects(todo.pop(), _PART_OF):
                if parent not in chain:
                    chain.append(parent)
                    todo.append(parent)
        journals = [node for node in chain if self._is_periodical(node)]
        found = self._containers[container] = {
            "journal": [name for node in journals for name in self._values(node, _NAME)],
            "journal-iri": [(0, node.value) for node in journals  # type: ignore[attr-defined]
                            if not isinstance(node, ox.BlankNode)],  # STR() of a blank node is no value
            "volume": [v for node in [container, *self._objects(container, _PART_OF)]
                       for v in self._values(node, _VOLUME)],
            "issue": self._values(container, _ISSUE)}
        return found

    def _is_periodical(self, node: object) -> bool:
        return _PERIODICAL in self._objects(node, _RDF_TYPE)


def store_rows(store: ox.Store, query: str) -> Iterator[ox.QuerySolution]:
    """The solutions of a SELECT ``query`` with the default graph as the union of the store's graphs."""
    return iter(store.query(query, use_default_graph_as_union=True))  # type: ignore[arg-type]


def _record(pmid: str, fields: dict[str, list[tuple[int, str]]]) -> CatalogRecord | None:
    """A record from its fields' values (sorted, so the catalog does not depend on the engine's order)."""
    def texts(key: str) -> tuple[str, ...]:
        return tuple(sorted({v for _, v in fields.get(key, ())}))

    if not fields.get("title"):
        return None
    authors = [name for _, name in sorted(set(fields.get("author", ())))]
    return CatalogRecord(pmid=pmid, title=min(texts("title")), date=min(texts("date"), default=""),
                         journal=min(texts("journal"), default=""), authors=tuple(dict.fromkeys(authors)),
                         abstract=" ".join(texts("abstract")), keywords=texts("keywords"), subjects=texts("subject"),
                         types=texts("types"), major=texts("major"), volume=min(texts("volume"), default=""),
                         issue=min(texts("issue"), default=""),
                         links=tuple((kind, v) for kind in LINKS for v in texts(kind)))


def refresh_catalog(store: ox.Store, store_dir: Path | str, base: str, entries: Iterable[tuple[str, list[str]]],
                    ) -> tuple[int, int]:
    """Bring the catalog of ``store_dir`` in step after a load: each (entry key, PMIDs it touched) not indexed yet
    has its records indexed again as the store holds them now. Returns (written, removed)."""
    written = removed = 0
    entries = list(entries)
    with closing(Catalog(Path(store_dir) / CATALOG_NAME)) as catalog:
        if catalog.base != base:
            return catalog.rebuild(store, base, [key for key, _ in entries]), 0
        for key, pmids in entries:
            if catalog.is_indexed(key):
                continue
            w, r = catalog.index(store, base, pmids)
            written, removed = written + w, removed + r
            catalog.mark_indexed(key)
    return written, removed
