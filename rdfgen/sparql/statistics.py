"""The statistics graph: dataset-wide counts computed once when records are loaded, so the library's aggregate queries
read a few thousand precomputed rows instead of joining millions of statements at query time.

It is the named graph ``BASE statistics#graph`` (beside ``BASE shared#graph``), typed ``stat:Statistics``, in the
namespace ``https://w3id.org/rdfgen/statistics#``. It is never published (not in the dumps, not in a record's
document): a store derives it from its records. Each row of an aggregate is a blank node of one class, with one
property per column (named after the variable of the SELECT that computes it, in ``_ROWS``, or after the column of
the Python pass that counts it where SPARQL was slow: YearCount, CitationCount, CoAuthors, SubtreeCount,
Authorship, the DOI rows):

| class | properties | read by |
|---|---|---|
| JournalCount | journal, citations, citingArticles | journals-most-cited |
| YearCount | year (absent for undated works), references, works | references-by-year |
| DescriptorCount | descriptor, name, articles, major, minor | mesh-frequency |
| SubtreeCount | descriptor, name, articles, indexed, keyword | mesh-subtree-counts |
| KeywordCount | key (case-folded), keyword, articles | keyword-frequency |
| TypeCount | publicationType, articles | publication-types |
| CoAuthors | author1, name1, author2, name2, articles (pairs with 2 articles or more), pairRank | co-authors |
| Gap | pmid, article, missing (what a record lacks) | data-quality |
| CitationCount | least, citations (a bucket: 1, 2, 3-5, 6-10, 11-50, 51+), works | citation-distribution |
| Authorship | rank, orcid, author, name, pmid, article, position | authors-by-orcid |
| DoiKey | key (a DOI case-folded), work (a node with that DOI) | citing-articles, co-cited-works |
| CoCited | key, rank, work, coCitations (the first rows of co-cited-works for a much cited DOI) | co-cited-works |
| CoCitedList | key, kept (CoCited rows kept for the DOI), complete (whether they are all its rows) | co-cited-works |
| Citing | key, rank, article, pmid, title, position (citing-articles' first rows, much cited DOI) | citing-articles |
| CitingList | key, kept, complete (as CoCitedList) | citing-articles |

DOIs compare without regard to case: a DoiKey row per node with a DOI lets a fast form look a work up by its
folded DOI (folded as a ``lowercase`` parameter is, by :class:`rdfgen.sparql.library.Param`) instead of folding
every DOI of the store. The rows are nodes of
their own, not properties of the works, so that a DESCRIBE of a work or an article shows nothing of them.

Co-citation cannot be counted for every pair of works (an article of 30 references makes 435 pairs), and counting it
at query time grows with the number of articles citing the work (27,000 of 30,000 synthetic articles cite the most
cited one: 731,000 pairs). So the first rows of co-cited-works, and of citing-articles, are kept ranked for the DOIs
cited by at least :data:`CO_CITED_MIN_ARTICLES` articles, from one pass over the store's ``bibo:cites``; less cited
DOIs are answered live, fast because they are few.

Authorship rows are not counts but the first rows of a listing too long to rank at query time: the first ``limit``
rows (the query's default) of authors-by-orcid without an ORCID, each with its rank, so that the fast form reads
the first n (n up to the rows kept) with no sort, and answers any other request live. The graph also names the
store's shared graph (``stat:sharedGraph``), so that a fast form counting per graph can tell it from a record's.

The counts are the plain queries' own aggregates with the record-level patterns scoped to record graphs
(``GRAPH ?g``), where each statement is once instead of once per graph that repeats it; tests/test_statistics.py
proves that every fast form (queries/statistics/*.rq) returns the rows of its plain form. The graph is rebuilt at
the end of every load; its marker (``stat:Statistics``, and the format) is removed as soon as a record changes
(:func:`rdfgen.sparql.store.replace_record`, ``delete_record``, a load without statistics): a store without the
marker answers with the plain forms, slower but never stale. The rows themselves are dropped by the next refresh
(see :func:`unmark_statistics_update`), so a reader of this graph must check the marker, as the library does.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from rdfgen.memory import release_free_memory
from rdfgen.sparql.library import LIMIT, bind, load_query

STAT = "https://w3id.org/rdfgen/statistics#"
STATISTICS_CLASS = ox.NamedNode(STAT + "Statistics")
STATISTICS_FORMAT = "5"
CO_CITED_MIN_ARTICLES = 300
"""A DOI cited by this many articles or more gets its co-cited works precomputed; below it, a live count reads
fewer than about 10,000 (article, work) pairs, well under a second."""
"""Bumped whenever the row classes change: a store whose statistics graph has another format (made by an older
rdfgen, lacking a class a fast form reads) is answered by the plain forms until a load refreshes it."""
_FORMAT = ox.NamedNode(STAT + "format")
_SHARED = ox.NamedNode(STAT + "sharedGraph")

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
_RECORD_GRAPH = re.compile(r"^(?P<base>.+/)pubmed/\d+#graph$")

_PREFIXES = f"""PREFIX stat: <{STAT}>
PREFIX schema: <https://schema.org/>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX biro: <http://purl.org/spar/biro/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfgen: <https://w3id.org/rdfgen/vocab#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def _scans(*patterns: str) -> str:
    """A join of triple patterns stated in one record graph, each pattern a subquery of its own: the engine then
    reads each one's statements in one scan and joins them by hashing, where a group of patterns made it look up
    each solution's next statement in the index. DescriptorCount's join of 100,000 headings took 1.47 CPU s as a
    group and 0.51 s as scans (10 x 1,000 generated articles); the same solutions, as every variable is bound."""
    return " ".join(f"{{ SELECT * WHERE {{ GRAPH ?g {{ {pattern} }} }} }}" for pattern in patterns)


# An article as the plain queries test for one: a record graph's node with a headline.
_ARTICLE = "?article schema:headline ?title"
# The references of record graphs: an article's entry and the work it references, both in the article's graph.
_REFERENCED = _scans("?article rdfgen:reference ?entry", "?entry biro:references ?work")
# The same, each entry's work looked up in the index: slower (works per citation count, 30,000 generated articles:
# 12.0 CPU s against 4.1) but its memory is the count's own, where the scans' hash join of every reference entry
# added 370 MB to the peak (466 against 839 MB); the other counts join fewer solutions.
_REFERENCED_LOOKED_UP = "GRAPH ?g { ?article rdfgen:reference ?entry . ?entry biro:references ?work }"
# Each gap of data-quality as an anti-join (MINUS: the plain query's NOT EXISTS, ?article being bound) or, for an
# incomplete author list, a join with the articles that say so; one branch a gap, in place of a FILTER testing the
# six gaps of each article one by one (1.07 -> 0.68 CPU s).
_GAP_TESTS = (
    ("doi", "MINUS { ?article bibo:doi ?doi }"),
    ("abstract", "MINUS { ?article bibo:abstract ?abstract }"),
    ("authors", "MINUS { ?article schema:author ?author }"),
    ("date", "MINUS { ?article schema:datePublished ?date }"),
    ("complete author list", "{ SELECT DISTINCT ?article WHERE { ?article rdfgen:authorListComplete false } }"),
    ("mesh headings", "MINUS { ?article rdfgen:meshHeading ?heading }"),
)
_GAPS = "\n  UNION ".join(f"{{ {_scans(_ARTICLE, '?article bibo:pmid ?pmid')} {test} BIND(\"{missing}\" AS ?missing) }}"
                         for missing, test in _GAP_TESTS)

# One SELECT per row class, run on the union default graph (as the plain queries are); each solution becomes a
# row node whose properties are named after the variables. The WHERE clauses are the plain queries' aggregates, their
# record-level patterns joined as _scans (JournalCount 1.5 -> 1.25 CPU s, DescriptorCount 1.95 -> 1.0, KeywordCount
# 0.25 -> 0.16, TypeCount 0.10 -> 0.03).
_ROWS = (
    # rdfgen:reference is stated only in a record's graph, by its article (which shapes.ttl requires to have a PMID
    # and a headline): the plain query's test for them is left out, as it costs more than the rest of the count.
    ("JournalCount", f"""SELECT ?journal (COUNT(DISTINCT ?entry) AS ?citations)
       (COUNT(DISTINCT ?article) AS ?citingArticles)
WHERE {{
  {_REFERENCED}
  ?work schema:isPartOf/schema:isPartOf?/schema:isPartOf? ?journal .
  ?journal a schema:Periodical .
}}
GROUP BY ?journal"""),
    ("DescriptorCount", f"""SELECT ?descriptor (MIN(?n) AS ?name) (COUNT(DISTINCT ?article) AS ?articles)
       (COUNT(DISTINCT ?majorArticle) AS ?major) (COUNT(DISTINCT ?minorArticle) AS ?minor)
WHERE {{
  {_scans("?article rdfgen:meshHeading ?heading", "?heading rdfgen:descriptor ?descriptor",
          "?heading rdfgen:descriptorName ?n", "?heading rdfgen:majorTopic ?isMajor")}
  BIND(IF(?isMajor, ?article, ?none) AS ?majorArticle)
  BIND(IF(?isMajor, ?none, ?article) AS ?minorArticle)
}}
GROUP BY ?descriptor"""),
    ("KeywordCount", f"""SELECT ?key (MIN(?k) AS ?keyword) (COUNT(DISTINCT ?article) AS ?articles)
WHERE {{ {_scans(_ARTICLE, "?article schema:keywords ?k")} BIND(LCASE(STR(?k)) AS ?key) }}
GROUP BY ?key"""),
    ("TypeCount", f"""SELECT (?type AS ?publicationType) (COUNT(DISTINCT ?article) AS ?articles)
WHERE {{ {_scans(_ARTICLE, "?article rdfgen:publicationTypeName ?type")} }}
GROUP BY ?type"""),
    ("Gap", f"""SELECT DISTINCT ?pmid ?article ?missing
WHERE {{
  {_GAPS}
}}"""),
)


_WORK_YEAR = """SELECT ?work (MIN(?y) AS ?year)
WHERE { ?work dcterms:issued ?issued BIND(xsd:integer(SUBSTR(STR(?issued), 1, 4)) AS ?y) }
GROUP BY ?work"""
# A work's year does not depend on the entry citing it: the least year of each work once, not of each entry.
_YEAR_COUNT = f"""SELECT ?year (COUNT(DISTINCT ?entry) AS ?references) (COUNT(DISTINCT ?work) AS ?works)
WHERE {{ {_REFERENCED} OPTIONAL {{ {_WORK_YEAR} }} }}
GROUP BY ?year"""
_DATED_YEAR_COUNT = f"""SELECT ?year (COUNT(DISTINCT ?entry) AS ?references) (COUNT(DISTINCT ?work) AS ?works)
WHERE {{ {{ {_WORK_YEAR} }} FILTER(BOUND(?year)) {_REFERENCED} }}
GROUP BY ?year"""
_CITATIONS_PER_WORK = f"""SELECT ?n (COUNT(?work) AS ?works)
WHERE {{ {{ SELECT ?work (COUNT(DISTINCT ?entry) AS ?n) WHERE {{ {_REFERENCED_LOOKED_UP} }} GROUP BY ?work }} }}
GROUP BY ?n"""
_ONE_WORK_AN_ENTRY = """SELECT (COUNT(*) AS ?statements) (COUNT(DISTINCT ?entry) AS ?entries)
WHERE { GRAPH ?g { ?entry biro:references ?work } }"""
_BUCKETS = ((2, None), (5, 3), (10, 6), (50, 11))
"""CitationCount's buckets: (greatest count, least count), a count of 1 or 2 its own bucket; 51 and more the last."""


def statistics_graph(base: str) -> ox.NamedNode:
    """``BASE statistics#graph``: beside the shared graph, never a record's graph."""
    return ox.NamedNode(base + "statistics#graph")


def record_bases(store: ox.Store) -> list[str]:
    """The bases the store's record graphs were minted under (one, unless builds with different ``--base`` were
    loaded into one store); the shared and MeSH graphs name none."""
    bases: dict[str, None] = {}
    for graph in store.named_graphs():
        m = _RECORD_GRAPH.match(graph.value) if isinstance(graph, ox.NamedNode) else None
        if m is not None:
            bases.setdefault(m.group("base"), None)
    return list(bases)


_BATCH = 200_000
"""Statistics quads written at once by the bulk loader (no transaction: the marker, written last, says when the
graph is whole). Each call of it costs about a quarter of a second whatever it writes, so the rows of every class
share the batches; what is left at the end, when it is little, goes in one transaction instead."""
_SMALL = 20_000


def refresh_statistics(store: ox.Store, base: str) -> int:
    """Recompute the statistics graph from the records the store holds now; returns the number of rows. The old
    graph is dropped first and the marker (``stat:Statistics``) written last, so a reader in between finds no
    statistics and runs the plain forms: slower, never a mix of old and new counts."""
    graph = statistics_graph(base)
    store.update(f"DROP SILENT GRAPH {graph}")
    out = _Writer(store, base)
    for cls, select in _ROWS:
        solutions = store.query(_PREFIXES + select, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [(v, v.value) for v in solutions.variables]
        out.write(cls, ([(name, solution[v]) for v, name in names] for solution in solutions))
    works = _works_per_citation_count(store)
    out.write("YearCount", _year_counts(store, works))
    out.write("CitationCount", _citation_buckets(works))
    out.write("CoAuthors", _ranked_pairs(_co_authors(store)))
    out.write("SubtreeCount", _subtree_counts(store))
    out.write("Authorship", _first_authorships(store))
    keys = _doi_keys(store)
    out.write("DoiKey", ([("key", ox.Literal(key)), ("work", work)]
                         for work, work_keys in keys.items() for key in sorted(work_keys)))
    citations = _citations(store, keys)
    _write_kept(out, "CoCited", ("work", "coCitations"), _co_cited(citations))
    _write_kept(out, "Citing", ("article", "pmid", "title", "position"), _citing_first(store, citations))
    out.close()
    store.add(ox.Quad(graph, _SHARED, ox.NamedNode(base + "shared#graph"), graph))
    store.add(ox.Quad(graph, _FORMAT, ox.Literal(STATISTICS_FORMAT), graph))
    store.add(ox.Quad(graph, _RDF_TYPE, STATISTICS_CLASS, graph))
    return out.rows


Row = list[tuple[str, Any]]


def _works_per_citation_count(store: ox.Store) -> Counter[int]:
    """How many works are referenced by n entries, for each n: the engine counts without reading a work back."""
    return Counter({int(s["n"].value): int(s["works"].value) for s in _select(store, _CITATIONS_PER_WORK)})


def _citation_buckets(works: Counter[int]) -> Iterator[Row]:
    """CitationCount rows: the works of each count summed per bucket, as the SPARQL of them bucketed each work."""
    buckets: Counter[tuple[int, str]] = Counter()
    for n, count in works.items():
        least, label = next(((least or n, str(n) if least is None else f"{least}-{most}")
                             for most, least in _BUCKETS if n <= most), (51, "51+"))
        buckets[least, label] += count
    for (least, label), count in buckets.items():
        yield [("least", _integer(least)), ("citations", ox.Literal(label)), ("works", _integer(count))]


def _year_counts(store: ox.Store, works: Counter[int]) -> Iterator[Row]:
    """YearCount rows. Grouping every reference by its work's year costs the engine a join of each reference with
    the years (4.8 s for 295,000 references); the dated works are few (32,000 of 247,000), so their references are
    counted from the works instead, and the undated ones are what is left of the totals, which the citation counts
    give: exact when each entry references one work (what the mapping states), else the whole query answers."""
    check = next(_select(store, _ONE_WORK_AN_ENTRY))
    if check["statements"] != check["entries"]:
        yield from _rows(_select(store, _YEAR_COUNT), ("year", "references", "works"))
        return
    references = sum(n * count for n, count in works.items())
    cited = sum(works.values())
    for row in _rows(_select(store, _DATED_YEAR_COUNT), ("year", "references", "works")):
        references -= int(row[1][1].value)
        cited -= int(row[2][1].value)
        yield row
    if cited:
        yield [("year", None), ("references", _integer(references)), ("works", _integer(cited))]


def _rows(solutions: Iterable[ox.QuerySolution], columns: tuple[str, ...]) -> Iterator[Row]:
    return ([(c, s[c]) for c in columns] for s in solutions)


# Each article's authors in each graph stating them, as one text (IRIs hold no space) made by the engine from the
# two patterns' scans: 0.37 CPU s against 0.70 for a solution an authorship, and pairs of Python strings are hashed
# and compared faster than terms. schema:author is an IRI (shapes.ttl); a blank node, whose STR() is an error, makes
# no pair.
_CO_AUTHORED = f"""SELECT ?article (GROUP_CONCAT(STR(?author)) AS ?authors)
WHERE {{ {_scans(_ARTICLE, "?article schema:author ?author")} FILTER(isIRI(?author)) }}
GROUP BY ?article ?g"""


def _co_author_pairs(store: ox.Store) -> Counter[tuple[str, str]]:
    """For each pair of authors (their IRIs, in order) of an article stated in one graph, the articles they share."""
    authors: dict[Any, list[list[str]]] = {}
    for article, text in _select(store, _CO_AUTHORED):
        authors.setdefault(article, []).append(sorted(set(text.value.split(" "))))
    pairs: Counter[tuple[str, str]] = Counter()
    for by_graph in authors.values():
        pairs.update({pair for iris in by_graph for pair in itertools.combinations(iris, 2)})
    return pairs


def _co_authors(store: ox.Store) -> Iterator[Row]:
    """CoAuthors rows (unranked): pairs of authors (by their IRIs' order) of 2 articles or more, with each one's
    least name. The engine took 4.4 s to pair the 61,000 authorships of 10,000 articles; the pairs of each article
    are counted here instead (:func:`_co_author_pairs`, 1.4 -> 0.6 CPU s), from the authorships read once."""
    names: dict[Any, Any] = {}

    def name(author: Any) -> Any:
        if author not in names:
            found = [q.object for q in store.quads_for_pattern(author, _NAME, None, None)]
            names[author] = min(found, key=_literal_order) if found else None
        return names[author]

    for (first, second), n in _co_author_pairs(store).items():
        if n >= 2:
            a, b = ox.NamedNode(first), ox.NamedNode(second)
            yield [("author1", a), ("name1", name(a)), ("author2", b), ("name2", name(b)), ("articles", _integer(n))]


_NAME = ox.NamedNode("https://schema.org/name")
_BROADER = ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader")
_ABOUT = ox.NamedNode("https://schema.org/about")
_KEYWORD_SUBJECT = ox.NamedNode("https://w3id.org/rdfgen/vocab#keywordSubject")


# The MeSH terms with their codes and names (in any graph), each pattern read in one scan and hash-joined: 0.55 CPU s
# for the 24,786 descriptors of the real MeSH tree, where a code and a name looked up per node took 1.55 s. A
# descriptor without a name is no row, as the join on schema:name says.
_MESH_DESCRIPTORS = """SELECT DISTINCT ?node ?code ?name WHERE {
  { SELECT DISTINCT ?node WHERE { ?node schema:inDefinedTermSet <http://id.nlm.nih.gov/mesh/> } }
  { SELECT DISTINCT ?node ?code WHERE { ?node schema:termCode ?code } }
  { SELECT DISTINCT ?node ?name WHERE { ?node schema:name ?name } }
}"""


def _subtree_counts(store: ox.Store) -> Iterator[Row]:
    """SubtreeCount rows: per MeSH descriptor (a ``D`` code), the articles indexed with it or anything under it
    (``schema:about``), or whose keywords map to it or under it (``rdfgen:keywordSubject``), and their union.

    What the SPARQL aggregate said (``?term skos:broader* ?top`` for every article's term, then COUNT DISTINCT per
    descriptor), counted in one pass over the record graphs instead: each article's terms are read from its own
    graph, their ancestors (the term itself included) come from a memo of the MeSH tree, and each descriptor's
    counters go up once per article. Memory is the tree and the counters, never a set of articles. On bench/run.py's
    10 x 1,000 generated articles (the real MeSH tree) the same 23,012 rows took 25.3 s in SPARQL and take 2.8 CPU s
    here (3.8 s when each descriptor's code and name were looked up one by one); on bench_queries.py's flatter
    synthetic vocabulary 0.4 s against 2.7 s. A descriptor node counts for each of its ``D`` codes, as the join on
    schema:termCode says."""
    codes: dict[ox.NamedNode, set[ox.Literal]] = {}
    names: dict[ox.Literal, ox.Literal] = {}
    for node, code, name in _select(store, _MESH_DESCRIPTORS):
        if isinstance(node, ox.NamedNode) and isinstance(code, ox.Literal) and code.value.startswith("D"):
            codes.setdefault(node, set()).add(code)
            if code not in names or _literal_order(name) < _literal_order(names[code]):
                names[code] = name
    broader: dict[Any, list[Any]] = {}
    for q in store.quads_for_pattern(None, _BROADER, None, None):
        broader.setdefault(q.subject, []).append(q.object)
    memo: dict[Any, frozenset[ox.Literal]] = {}

    def descriptors(term: Any) -> frozenset[ox.Literal]:
        """The descriptor codes of ``term`` and everything above it (skos:broader*; cycles end)."""
        found = memo.get(term)
        if found is None:
            seen, stack = {term}, [term]
            while stack:
                for up in broader.get(stack.pop(), ()):
                    if up not in seen:
                        seen.add(up)
                        stack.append(up)
            found = memo[term] = frozenset().union(*(codes[n] for n in seen if n in codes))
        return found

    # Counted by Counter.update, in C: a Python loop of three counts for each of an article's ~100 codes was most
    # of the pass.
    articles: Counter[ox.Literal] = Counter()
    on_index: Counter[ox.Literal] = Counter()
    on_keyword: Counter[ox.Literal] = Counter()
    for graph in store.named_graphs():
        indexed = _subjects_terms(store, _ABOUT, graph)
        keyword = _subjects_terms(store, _KEYWORD_SUBJECT, graph)
        for article in indexed.keys() | keyword.keys():
            by_index = frozenset().union(*(descriptors(t) for t in indexed.get(article, ())))
            by_keyword = frozenset().union(*(descriptors(t) for t in keyword.get(article, ())))
            articles.update(by_index | by_keyword)
            on_index.update(by_index)
            on_keyword.update(by_keyword)
    for code, n in articles.items():
        yield [("descriptor", code), ("name", names[code]), ("articles", _integer(n)),
               ("indexed", _integer(on_index[code])), ("keyword", _integer(on_keyword[code]))]


def _subjects_terms(store: ox.Store, predicate: ox.NamedNode, graph: Any) -> dict[Any, set[Any]]:
    found: dict[Any, set[Any]] = {}
    for q in store.quads_for_pattern(None, predicate, None, graph):
        found.setdefault(q.subject, set()).add(q.object)
    return found


def _literal_order(term: Any) -> tuple[str, str, str]:
    """MIN over names as SPARQL orders plain literals (by their text); language and datatype break ties."""
    return (getattr(term, "value", str(term)), getattr(term, "language", None) or "",
            str(getattr(term, "datatype", "")))


class _Writer:
    """Rows of every class into the statistics graph, each as a node of its class with one ``stat:`` property per
    bound column, in batches as they come (a baseline's rows must not all sit in memory). A batch is N-Quads text
    for the bulk loader: each column is written as its row's IRI hashes it already, and the loader reads text
    faster than Python makes quads (0.3 s against 1.5 s for 200,000 quads). A row with a blank node goes as quads,
    so that no parser renames it."""

    def __init__(self, store: ox.Store, base: str) -> None:
        self.store, self.base, self.graph = store, base, statistics_graph(base)
        self.lines: list[str] = []
        self.quads: list[ox.Quad] = []
        self.rows = 0
        self._properties: dict[str, tuple[ox.NamedNode, str]] = {}

    def write(self, cls: str, rows: Iterable[Row]) -> int:
        """Write ``rows`` as ``cls`` rows; returns how many."""
        graph, kind, count, lines = f" {self.graph} .\n", ox.NamedNode(STAT + cls), 0, self.lines
        typed = f" {_RDF_TYPE} {kind}{graph}"
        prefix = f"{self.base}statistics/{cls}/"
        for columns in rows:
            values = [(self._property(name), value) for name, value in columns if value is not None]
            row = _row_iri(prefix, values)
            if any(isinstance(value, (ox.BlankNode, ox.Triple)) for _, value in values):
                self.quads.append(ox.Quad(row, _RDF_TYPE, kind, self.graph))
                self.quads += [ox.Quad(row, p, value, self.graph) for (p, _), value in values]
            else:
                subject = f"<{row.value}>"
                lines.append(subject + typed)
                lines += [f"{subject} {p} {value}{graph}" for (_, p), value in values]
            count += 1
            if len(lines) + len(self.quads) >= _BATCH:
                self._flush()
        self.rows += count
        release_free_memory()  # the query's joins and groups are freed: not kept mapped under the next one's
        return count

    def close(self) -> None:
        """Write what is left of the last batch."""
        self._flush()

    def _flush(self) -> None:
        if self.lines:
            text = "".join(self.lines).encode()
            if len(self.lines) >= _SMALL:
                self.store.bulk_load(text, format=ox.RdfFormat.N_QUADS)
            else:
                self.store.load(text, format=ox.RdfFormat.N_QUADS)
            self.lines.clear()
        if self.quads:
            self.store.extend(self.quads)
            self.quads.clear()

    def _property(self, name: str) -> tuple[ox.NamedNode, str]:
        found = self._properties.get(name)
        if found is None:
            node = ox.NamedNode(STAT + name)
            found = self._properties[name] = (node, str(node))
        return found


Kept = list[tuple[str, list[tuple[Any, ...]], bool]]
"""The first rows of a listing kept per DOI key: (key, rows in order, whether they are all of the listing's)."""


def _write_kept(out: _Writer, cls: str, columns: tuple[str, ...], kept: Kept) -> int:
    """``cls`` rows (key, rank and ``columns``) for the kept rows of each key, and one ``cls``List row per key
    saying how many were kept and whether that is all, which the fast form reads to choose its branch."""
    rows = out.write(cls, (
        [("key", ox.Literal(key)), ("rank", _integer(rank)), *zip(columns, values, strict=True)]
        for key, ranked, _ in kept for rank, values in enumerate(ranked, 1)))
    return rows + out.write(cls + "List", (
        [("key", ox.Literal(key)), ("kept", _integer(len(ranked))),
         ("complete", ox.Literal(str(complete).lower(), datatype=_BOOLEAN))] for key, ranked, complete in kept))


def _ranked_pairs(pairs: Iterable[Row]) -> list[Row]:
    """Co-author pairs with their rank in co-authors' order (most shared articles first, then by the authors'
    IRIs): those of any threshold of 2 or more are the first ones, so a limit picks them by rank."""
    def order(row: Row) -> tuple[int, str, str]:
        values = dict(row)
        return -int(values["articles"].value), values["author1"].value, values["author2"].value

    return [[*row, ("pairRank", _integer(n))] for n, row in enumerate(sorted(pairs, key=order), 1)]


def _doi_keys(store: ox.Store) -> dict[ox.NamedNode, set[str]]:
    """The case-folded DOIs of each node with a DOI (folded as a ``lowercase`` parameter is)."""
    keys: dict[ox.NamedNode, set[str]] = {}
    for s in _select(store, "SELECT DISTINCT ?work ?doi WHERE { ?work bibo:doi ?doi }"):
        keys.setdefault(s["work"], set()).add(s["doi"].value.lower())
    return keys


@dataclass
class _Citations:
    """The store's citations, read once: each citing (graph, article) with the works it cites (as numbers), and for
    each DOI key, the citing (graph, article) pairs and the cited nodes with that key."""

    nodes: list[ox.NamedNode] = field(default_factory=list)
    cites: dict[tuple[Any, Any], set[int]] = field(default_factory=dict)
    citing: dict[str, list[tuple[Any, Any]]] = field(default_factory=dict)
    key_nodes: dict[str, list[int]] = field(default_factory=dict)

    def much_cited(self) -> list[str]:
        """The DOI keys cited by :data:`CO_CITED_MIN_ARTICLES` articles or more, in order."""
        return sorted(k for k, articles in self.citing.items() if len(articles) >= CO_CITED_MIN_ARTICLES)


_CITED_DOI_NODES = f"""SELECT ?work (COUNT(*) AS ?n)
WHERE {{ {{ SELECT DISTINCT ?work WHERE {{ ?work bibo:doi ?doi }} }} {_scans("?article bibo:cites ?work")} }}
GROUP BY ?work"""
_CITES = ox.NamedNode("http://purl.org/ontology/bibo/cites")


def _citations(store: ox.Store, keys: dict[ox.NamedNode, set[str]]) -> _Citations:
    """The record graphs' ``bibo:cites`` (a citing article states its citations in its own record's graph) that
    the much cited DOI keys need: the articles citing a node of such a key, and everything they cite. Which keys
    may be much cited is known first from the citations of each node with a DOI, counted by the engine (a key's
    citing articles are at most the sum over its nodes), so that only their citations are read, by index lookups:
    reading all of them took 5.6 s for the 295,000 citations of 10,000 generated articles, most for no key."""
    cited = {s["work"]: int(s["n"].value) for s in _select(store, _CITED_DOI_NODES)}
    nodes: dict[str, list[ox.NamedNode]] = {}
    for work, work_keys in keys.items():
        if isinstance(work, ox.NamedNode):
            for key in work_keys:
                nodes.setdefault(key, []).append(work)
    candidates = {key: works for key, works in nodes.items()
                  if sum(cited.get(w, 0) for w in works) >= CO_CITED_MIN_ARTICLES}
    c, ids = _Citations(), {}
    citers = {(q.graph_name, q.subject): None for works in candidates.values() for work in works
              for q in store.quads_for_pattern(None, _CITES, work, None)
              if not isinstance(q.graph_name, ox.DefaultGraph)}
    for graph, article in citers:
        for q in store.quads_for_pattern(article, _CITES, None, graph):
            work = q.object
            if isinstance(work, ox.NamedNode):
                n = ids.setdefault(work, len(ids))
                if n == len(c.nodes):
                    c.nodes.append(work)
                c.cites.setdefault((graph, article), set()).add(n)
    for key, works in candidates.items():
        c.key_nodes[key] = [ids[w] for w in works if w in ids]
    for citer, cited_ids in c.cites.items():
        for key in {k for n in cited_ids for k in keys.get(c.nodes[n], ()) if k in candidates}:
            c.citing.setdefault(key, []).append(citer)
    return c


def _co_cited(c: _Citations) -> Kept:
    """For each much cited DOI key: co-cited-works' own count (articles citing a node with the key and another work,
    the work not a node with the key), ranked as it ranks (most co-citations first, then by IRI), its first
    ``limit`` rows (the query's default), and whether they are all of them."""
    kept = _kept("co-cited-works")
    lists = []
    for key in c.much_cited():
        # Each article's works once: the articles are counted.
        counts = Counter(itertools.chain.from_iterable(c.cites[citer] for citer in c.citing[key]))
        for n in c.key_nodes[key]:
            counts.pop(n, None)
        by_count = counts.most_common()
        floor = by_count[kept - 1][1] if len(by_count) >= kept else 0
        ranked = sorted(((c.nodes[n], k) for n, k in by_count if k >= floor),
                        key=lambda item: (-item[1], item[0].value))
        lists.append((key, [(work, _integer(n)) for work, n in ranked[:kept]], len(by_count) <= kept))
    return lists


_GRAPH_PMID = re.compile(r"/pubmed/(\d+)#graph$")
_REFERENCES = ox.NamedNode("http://purl.org/spar/biro/references")
_POSITION = ox.NamedNode("https://schema.org/position")
_REFERENCE = ox.NamedNode("https://w3id.org/rdfgen/vocab#reference")
_PMID = ox.NamedNode("http://purl.org/ontology/bibo/pmid")
_HEADLINE = ox.NamedNode("https://schema.org/headline")

CitingRow = tuple[ox.NamedNode, ox.Literal, ox.Literal, ox.Literal]


def _citing_first(store: ox.Store, c: _Citations) -> Kept:
    """For each much cited DOI key: the first ``limit`` rows of citing-articles (article, pmid, title, position, in
    its order) and whether they are all of them. The citing record graphs are taken in order of the PMID in their
    IRI, which is their article's, until they give ``limit`` rows; each one's entries are read by index lookups."""
    kept = _kept("citing-articles")
    lists = []
    for key in c.much_cited():
        works = [c.nodes[n] for n in c.key_nodes[key]]
        graphs = sorted({g for g, _ in c.citing[key]}, key=_graph_order)
        rows: set[CitingRow] = set()
        used = 0
        for graph in graphs:
            if len(rows) >= kept:
                break
            used += 1
            rows.update(_citing_rows(store, graph, works))
        ranked = sorted(rows, key=_citing_order)
        lists.append((key, ranked[:kept], used == len(graphs) and len(ranked) <= kept))
    return lists


def _graph_order(graph: ox.NamedNode) -> tuple[int, str]:
    m = _GRAPH_PMID.search(graph.value)
    return (int(m.group(1)) if m else -1, graph.value)


def _citing_rows(store: ox.Store, graph: ox.NamedNode, works: list[ox.NamedNode]) -> Iterator[CitingRow]:
    """citing-articles' rows for the entries of one record graph that reference one of ``works`` (the article's
    PMID and headline as the whole store states them, as the plain form reads them)."""
    for work in works:
        for ref in store.quads_for_pattern(None, _REFERENCES, work, graph):
            entry = ref.subject
            positions = {q.object for q in store.quads_for_pattern(entry, _POSITION, None, None)}
            for article in {q.subject for q in store.quads_for_pattern(None, _REFERENCE, entry, None)}:
                pmids = {q.object for q in store.quads_for_pattern(article, _PMID, None, None)}
                titles = {q.object for q in store.quads_for_pattern(article, _HEADLINE, None, None)}
                yield from itertools.product([article], pmids, titles, positions)  # type: ignore[misc]


def _citing_order(row: CitingRow) -> tuple[Any, ...]:
    """ORDER BY xsd:integer(?pmid) ?pmid ?position ?article ?title: a PMID that is no integer sorts first."""
    article, pmid, title, position = row
    number = (1, int(pmid.value)) if pmid.value.isascii() and pmid.value.isdigit() else (0, 0)
    return number, pmid.value, int(position.value), article.value, title.value  # positions: xsd:integer (shapes)


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_INTEGER)


def _select(store: ox.Store, text: str) -> Iterator[ox.QuerySolution]:
    solutions = store.query(_PREFIXES + text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return iter(solutions)


def _kept(name: str) -> int:
    """How many first rows of a listing are kept: its query's default limit, what a request asks unless it says."""
    param = load_query(name).param(LIMIT)
    assert param is not None and param.default is not None, f"{name} declares a limit"
    return int(param.default)


def _ranked(columns: list[str], solutions: Iterable[ox.QuerySolution]) -> Iterator[Row]:
    return ([("rank", ox.Literal(str(n), datatype=_INTEGER)), *((c, s[c]) for c in columns)]
            for n, s in enumerate(solutions, 1))


def _first_authorships(store: ox.Store) -> Iterator[Row]:
    """The first rows of authors-by-orcid without an ORCID: the query itself, run for the fewest ORCID iDs (in its
    order) whose authorships fill them, so that it does not rank every authorship of the store."""
    kept = _kept("authors-by-orcid")
    people = sorted((s["orcid"].value, int(s["n"].value)) for s in _select(
        store, "SELECT ?orcid (COUNT(DISTINCT ?ship) AS ?n) WHERE { ?author rdfgen:orcid ?orcid . "
               "?ship rdfgen:agent ?author } GROUP BY ?orcid"))
    chosen, total = [], 0
    for orcid, n in people:
        if total >= kept:
            break
        chosen.append(orcid)
        total += n
    if not chosen:
        return iter(())
    text = bind(load_query("authors-by-orcid"), {"orcid": chosen, "limit": str(kept)})
    solutions = store.query(text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return _ranked([v.value for v in solutions.variables], solutions)


def _row_iri(prefix: str, values: list[tuple[tuple[ox.NamedNode, str], Any]]) -> ox.NamedNode:
    """A row's IRI (``prefix``: ``BASE statistics/CLASS/``), from what it says: the same counts give the same IRI in
    every store and every load (a killed and resumed load equals a fresh one), and no blank node is minted (DESIGN:
    none but rdf:List cells). ``values``: (property, its N-Triples form) and value of each bound column."""
    text = "\n".join(f"{p} {value}" for (_, p), value in values)
    return ox.NamedNode(prefix + hashlib.blake2b(text.encode(), digest_size=12).hexdigest())


def drop_all_statistics(store: ox.Store) -> list[str]:
    """Drop the statistics of every base the store's records are under; returns those bases."""
    bases = record_bases(store)
    for base in bases:
        store.update(f"DROP SILENT GRAPH {statistics_graph(base)}")
    return bases


def refresh_all(store: ox.Store) -> list[str]:
    """Refresh the statistics of a store whose records are under one base; returns that base, or nothing. Records
    of several bases (builds with different ``--base`` in one store) get no statistics: counts of the whole store
    are no one base's."""
    bases = drop_all_statistics(store)
    if len(bases) != 1:
        return []
    refresh_statistics(store, bases[0])
    return bases


def unmark_statistics_update(record_graph_iri: str) -> str:
    """The update that unmarks the statistics of the base a record graph belongs to: once a record changes they
    are stale, and queries fall back to their plain forms until the next load recomputes them. Only the marker
    goes (a few statements, looked up by the graph's name), not the rows: dropping the rows costs time in
    proportion to the store (13 s for the 372,000 statements of 10 x 1,000 generated articles), which a daily
    update loaded without statistics, or a record replaced through the API, must not pay. The stale rows stay
    until the next refresh drops them; nothing reads them meanwhile (every fast form is chosen by the marker)."""
    m = _RECORD_GRAPH.match(record_graph_iri)
    return _unmark_update(m.group("base")) if m else ""


def unmark_all_statistics(store: ox.Store) -> None:
    """Unmark the statistics of every base the store's records are under (see :func:`unmark_statistics_update`)."""
    for base in record_bases(store):
        store.update(_unmark_update(base))


def _unmark_update(base: str) -> str:
    """Delete the marker of the statistics of ``base``: the statements about the graph itself, in it."""
    graph = statistics_graph(base)
    return f"DELETE WHERE {{ GRAPH {graph} {{ {graph} ?p ?o }} }}"


def has_statistics(store: ox.Store) -> bool:
    """Whether the store holds a whole statistics graph of this rdfgen's format (index lookups, not a scan)."""
    current = ox.Literal(STATISTICS_FORMAT)
    return any(q.subject == q.graph_name and any(store.quads_for_pattern(q.subject, _FORMAT, current, q.graph_name))
               for q in store.quads_for_pattern(None, _RDF_TYPE, STATISTICS_CLASS, None))
