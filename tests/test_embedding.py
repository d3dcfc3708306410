"""The fast embedding (rdfgen.serialize.embedding) against today's pyld-framed one, for every fixture record.

embed_object builds the schema.org object straight from N-Triples term strings; pyld stays here, as the judge:
the object must equal what jsonld.embed frames (so the written .embed.jsonld stays byte-identical), and expand with the
bundled context to a subset of the record's triples. Each record is mapped once (MeSH-enriched, as published) and the
copies of the same file in the shared data collection are read once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

import rdfgen
from rdfgen.iris import Iris
from rdfgen.mesh import load_enricher
from rdfgen.model import Record
from rdfgen.publish.records import map_record
from rdfgen.resources import seed_path
from rdfgen.serialize import embedding
from rdfgen.serialize.embedding import ORDER_PREDICATES, embed_object, embed_text, embedding_context
from rdfgen.serialize.graph import to_graph
from rdfgen.serialize.ntriples import nt_term
from rdfgen.vocab import BIRO, RDF, RDFGEN, SDO, XSD

from .reference_writers import embed, embed_json, parse_embed

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "pubmed-xml"
SEED_PMID = "33783695"


def _sources() -> dict[str, tuple[Path, dict[str, str]]]:
    """Every fixture file that holds records, once: the shared collection's copies of tests/data files are skipped."""
    found: dict[str, tuple[Path, dict[str, str]]] = {}
    seen: set[str] = set()
    candidates = [(seed_path(), {"format": "pubmed-page", "pmid": SEED_PMID})]
    candidates += [(p, {}) for p in sorted((DATA / "xml").glob("*.xml")) + sorted((DATA / "medline").glob("*"))]
    candidates += [(p, {}) for p in sorted(SHARED.glob("**/*.xml"))] if SHARED.is_dir() else []
    for path, options in candidates:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            found[path.name if path.is_relative_to(DATA) or path == seed_path() else f"shared/{path.name}"] = (
                path, options)
    return found


SOURCES = _sources()


class Mapped:
    """One record as published: its rdflib triples, the same as N-Triples term strings, and today's embedding."""

    def __init__(self, record: Record, found: list[tuple[Node, Node, Node]]) -> None:
        self.record = record
        self.pmid = record.pmid
        self.article = str(Iris().article(record.pmid))
        self.keywords = tuple(k.text for k in record.keywords)
        self.graph = to_graph(found)
        self.strings = [(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in found]
        self.today = embed(self.graph, URIRef(self.article), self.keywords)

    def fast(self) -> dict[str, Any]:
        return embed_object(self.strings, self.article, self.keywords)


@cache
def mapped(name: str) -> tuple[Mapped, ...]:
    path, options = SOURCES[name]
    records = [r for r in rdfgen.read(path, errors="skip", **options) if isinstance(r, Record)]
    return tuple(Mapped(*map_record(r, Iris(), load_enricher())) for r in records)


def all_mapped() -> Iterator[Mapped]:
    for name in SOURCES:
        yield from mapped(name)


def test_fixtures_are_found() -> None:
    assert SEED_PMID in {m.pmid for m in mapped(seed_path().name)}
    assert sum(len(mapped(name)) for name in SOURCES) >= 60


@pytest.mark.parametrize("name", SOURCES)
def test_equals_todays_pyld_framed_object(name: str) -> None:
    for m in mapped(name):
        fast = m.fast()
        assert fast == m.today, m.pmid
        assert embed_text(fast) == embed_json(m.today), m.pmid  # key order too: the files stay byte-identical


def _subset_problems(embedded: Graph, record: Graph) -> list[str]:
    """Triples of the embedding missing from the record. Ground triples are looked up; a blank node of the embedding
    (a nested node without @id) must match some record node on all of its ground statements."""
    problems = [f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in embedded
                if not isinstance(s, BNode) and not isinstance(o, BNode) and (s, p, o) not in record]
    for b in {t for t in embedded.subjects() if isinstance(t, BNode)}:
        facts = [(p, o) for p, o in embedded.predicate_objects(b) if not isinstance(o, BNode)]
        if not any(all((x, p, o) in record for p, o in facts) for x in set(record.subjects())):
            problems.append(f"blank node with {facts}")
    return problems


@pytest.mark.parametrize("name", SOURCES)
def test_expands_to_a_subset_of_the_record(name: str) -> None:
    for m in mapped(name):
        embedded = parse_embed(embed_text(m.fast()))  # pyld with the bundled context: schema.org is never fetched
        assert len(embedded) > 5, m.pmid
        assert _subset_problems(embedded, m.graph) == [], m.pmid


def _author_order(m: Mapped) -> list[str]:
    """Authors in list order, read from the record graph independently of both embeddings."""
    article = URIRef(m.article)
    position = {str(m.graph.value(ship, RDFGEN.agent)): int(m.graph.value(ship, RDFGEN.position))
                for ship in m.graph.objects(article, RDFGEN.authorship)}
    authors = [str(a) for a in m.graph.objects(article, SDO.author)]
    return sorted(authors, key=lambda a: (position.get(a, 10**9), a))


@pytest.mark.parametrize("name", SOURCES)
def test_object_shape(name: str) -> None:
    for m in mapped(name):
        obj = m.fast()
        assert list(obj)[:3] == ["@context", "@id", "@type"], m.pmid
        assert obj["@context"] == embedding_context() and obj["@id"] == m.article
        assert obj["@type"] in ("ScholarlyArticle", "Chapter", "Book") or "ScholarlyArticle" in obj["@type"]
        assert isinstance(obj.get("name") or obj.get("headline"), str), m.pmid
        assert {"@id": f"{m.article}/id/pmid", "@type": "PropertyValue", "name": "pmid", "propertyID": "pmid",
                "value": m.pmid} in obj["identifier"]
        assert [a["@id"] for a in obj.get("author", [])] == _author_order(m), m.pmid
        if "keywords" in obj:  # record order; a keyword given twice is placed by its last occurrence, as today
            rank = {k: i for i, k in enumerate(m.keywords)}
            assert obj["keywords"] == sorted(obj["keywords"], key=lambda k: (rank.get(k, len(rank)), k)), m.pmid
            assert set(rank) <= set(obj["keywords"]), m.pmid


def test_seed_equals_the_golden_embedding() -> None:
    (m,) = mapped(seed_path().name)
    assert rdfgen.embed(m.record, validate=False) == m.today  # the API's object is the one compared everywhere here
    assert embed_text(m.fast()) == (DATA / "golden" / f"{SEED_PMID}.embed.jsonld").read_text(encoding="utf-8")


def test_order_predicates_are_the_vocabulary() -> None:
    assert ORDER_PREDICATES == {
        "authorship": nt_term(RDFGEN.authorship), "author_position": nt_term(RDFGEN.position),
        "agent": nt_term(RDFGEN.agent), "reference": nt_term(RDFGEN.reference),
        "reference_position": nt_term(SDO.position), "references": nt_term(BIRO.references)}


# Shapes the fixtures do not have, each compared with the pyld path. Left out: shapes where today's object depends on
# rdflib's set iteration order (PYTHONHASHSEED), which the fast path replaces by the triples' order: a list-ordered key
# (author, citation, keywords) on a nested node or without the keywords argument, and one property with both node
# values and literals under an @id-coerced term (two keys, ``url`` and ``schema:url``, in either order).
A = URIRef("http://localhost:8000/pubmed/1")


def U(local: str) -> URIRef:  # noqa: N802 - reads like the other vocabulary namespaces
    return URIRef(f"{A}/{local}")


SYNTHETIC: dict[str, list[tuple[Node, Node, Node]]] = {
    "literals under @id-coerced terms": [
        (A, RDF.type, SDO.ScholarlyArticle), (A, SDO.url, Literal("http://x")), (A, SDO.sameAs, Literal("a")),
        (A, SDO.sameAs, Literal("b")), (A, SDO.inDefinedTermSet, Literal("c"))],
    "typed, native and language-tagged literals": [
        (A, RDF.type, SDO.ScholarlyArticle), (A, SDO.datePublished, Literal("2020-01-02", datatype=XSD.date)),
        (A, SDO.position, Literal(3)), (A, SDO.name, Literal("Titel", lang="DE")),
        (A, SDO.name, Literal("T", lang="en")),
        (A, SDO.dateCreated, Literal("2020", datatype=SDO.Date)), (A, SDO.isAccessibleForFree, Literal(True)),
        (A, SDO.ratio, Literal(0.5, datatype=XSD.double)), (A, SDO.identifier, Literal("2020", datatype=XSD.gYear)),
        (A, SDO.about, Literal("free text")), (A, SDO.keywords, Literal("k", lang="en"))],
    "cycles (pyld embeds a node again unless it is on the path above its parent)": [
        (A, RDF.type, SDO.ScholarlyArticle), (A, SDO.citation, A), (A, SDO.isPartOf, U("j")), (U("j"), SDO.hasPart, A),
        (U("j"), RDF.type, SDO.Periodical), (U("j"), SDO.hasPart, U("j")), (U("j"), SDO.isPartOf, U("k")),
        (U("k"), SDO.hasPart, U("j")), (U("k"), SDO.hasPart, A), (U("k"), SDO.name, Literal("k"))],
    "several types, schema: and xsd: ids, sameAs people": [
        (A, RDF.type, SDO.ScholarlyArticle), (A, RDF.type, SDO.MedicalScholarlyArticle),
        (A, RDF.type, URIRef("http://purl.org/ontology/bibo/Article")), (A, SDO.about, SDO.Thing),
        (A, SDO.about, URIRef(f"{XSD}foo")), (A, SDO.mentions, SDO.name), (A, SDO.genre, SDO.Article),
        (A, SDO.author, U("a1")),
        (U("a1"), SDO.sameAs, U("p1")), (U("p1"), SDO.sameAs, U("a1")), (U("p1"), SDO.name, Literal("P")),
        (U("p1"), SDO.sameAs, URIRef("https://orcid.org/1")), (U("a1"), RDF.type, SDO.Person),
        (U("a1"), SDO.name, Literal("A"))],
    "not a ScholarlyArticle": [(A, RDF.type, SDO.Book), (A, SDO.name, Literal("B"))],
    "no statement about the article": [(U("x"), SDO.name, Literal("x"))],
    "article only referenced": [(U("x"), SDO.citation, A)],
    "arrays sorted by JSON text": [(A, RDF.type, SDO.ScholarlyArticle)] + [
        (A, SDO.alternateName, Literal(s))
        for s in ["ab", "ab c", "ab!", 'a"b', "a\\b", "a\nb", "é", "a\tb", "ä\u2028", "\U0001f600x", "a b", "\x01"]] + [
        (A, SDO.sameAs, URIRef(u)) for u in ["http://x/a", "http://x/a!", "http://x/ab", "http://x/a%20"]] + [
        (A, SDO.about, U(x)) for x in ("t!", "t", "t0")] + [(U("t"), SDO.name, Literal("t"))],
    "authors, citations and keywords in list order": [
        (A, RDF.type, SDO.ScholarlyArticle), (A, SDO.author, U("au2")), (A, SDO.author, U("au1")),
        (A, SDO.author, U("au3")), (A, SDO.author, U("au0")), (A, SDO.keywords, Literal("b")),
        (A, SDO.keywords, Literal("a")), (A, SDO.keywords, Literal("c")), (A, SDO.keywords, Literal("0")),
        (A, RDFGEN.authorship, U("s1")), (U("s1"), RDFGEN.position, Literal(1)), (U("s1"), RDFGEN.agent, U("au1")),
        (A, RDFGEN.authorship, U("s2")), (U("s2"), RDFGEN.position, Literal(2)), (U("s2"), RDFGEN.agent, U("au2")),
        (A, SDO.citation, U("w2")), (A, SDO.citation, U("w1")), (A, RDFGEN.reference, U("r1")),
        (U("r1"), SDO.position, Literal(1)), (U("r1"), BIRO.references, U("w1")), (A, RDFGEN.reference, U("r2")),
        (U("r2"), SDO.position, Literal(2)), (U("r2"), BIRO.references, U("w2"))],
    "blank nodes": [
        (A, RDF.type, SDO.ScholarlyArticle), (A, SDO.funding, BNode("g1")), (BNode("g1"), SDO.name, Literal("G")),
        (BNode("g1"), RDF.type, SDO.Grant), (A, SDO.about, BNode("l1")), (BNode("l1"), RDF.first, Literal("x")),
        (BNode("l1"), RDF.rest, RDF.nil)],
    "dct:conformsTo, outside schema.org, before its keys": [
        (A, RDF.type, SDO.ScholarlyArticle), (A, SDO.name, Literal("n")),
        (A, URIRef("http://purl.org/dc/terms/conformsTo"),
         URIRef("https://bioschemas.org/profiles/ScholarlyArticle/0.2-DRAFT-2020_12_03")),
        (A, URIRef("http://purl.org/dc/terms/title"), Literal("not read"))],
    "repeated statements": [(A, RDF.type, SDO.ScholarlyArticle), (A, SDO.name, Literal("n")),
                            (A, SDO.name, Literal("n")), (A, RDF.type, SDO.ScholarlyArticle)],
}
KEYWORDS = {"authors, citations and keywords in list order": ("c", "a")}


@pytest.mark.parametrize("case", SYNTHETIC)
def test_synthetic_shapes_equal_todays_object(case: str) -> None:
    found = SYNTHETIC[case]
    today = embed(to_graph(found), A, KEYWORDS.get(case, ()))
    fast = embed_object([tuple(nt_term(t) for t in triple) for triple in found], str(A), KEYWORDS.get(case, ()))
    assert fast == today
    assert embed_text(fast) == embed_json(today)


@pytest.mark.parametrize("obj", [
    {"a": [], "b": {}, "c": [1, 2.5, True, None, {"x": [], "y": {"z": -0.0}}], "t": ("u", 1)},
    {"k": "é\u2028\"\\\n\x01\x7f\U0001f600", "f": 1e100, "nan": float("nan"), "big": 10**30},
])
def test_embed_text_writes_what_embed_json_writes(obj: dict[str, Any]) -> None:
    assert embed_text(obj) == embed_json(obj)


def test_escaped_terms_are_decoded() -> None:
    found = [("<http://x/a>", "<https://schema.org/name>", r'"tab\t quote\" \u00E9 \U0001F600 back\\"'),
             ("<http://x/a>", "<https://schema.org/sameAs>", r"<http://x/\u00E9>"),
             ("<http://x/a>", "<https://schema.org/description>", '"plain"^^<http://www.w3.org/2001/XMLSchema#string>')]
    obj = embed_object(found, "http://x/a")
    assert obj == {"@context": embedding_context(), "@id": "http://x/a", "description": "plain",
                   "name": 'tab\t quote" \u00e9 \U0001f600 back\\', "sameAs": ["http://x/\u00e9"]}


def test_an_unimplemented_frame_feature_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "frame.jsonld").write_text(json.dumps({"@context": "context.jsonld", "@explicit": True}))
    monkeypatch.setattr(embedding, "ontology_path", lambda name: tmp_path / name)
    with pytest.raises(NotImplementedError, match="@explicit"):
        embedding._vocabulary.__wrapped__()


class _Dict(dict):  # type: ignore[type-arg]
    """A dict subclass: the C twin hands it to the Python one (its iteration could be Python code)."""


class _List(list):  # type: ignore[type-arg]
    """A list subclass, likewise."""


_JSON_TEXT = st.text(st.sampled_from(list('"\\\n\r\t\b\f\x00\x01\x1f\x7f\x85\u2028\u2029 aé€\U0001F600\'{}[]:,')),
                     max_size=12) | st.text(max_size=12)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _JSON_TEXT,
    lambda inner: (st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple)
                   | st.lists(inner, max_size=3).map(_List) | st.dictionaries(_JSON_TEXT, inner, max_size=4)
                   | st.dictionaries(_JSON_TEXT, inner, max_size=3).map(_Dict)),
    max_leaves=25)


@pytest.mark.skipif(embedding._native_indented is None, reason="rdfgen._native not built")
@settings(max_examples=300, deadline=None)
@given(value=_JSON)
def test_indented_json_in_c_is_the_twins_and_json_dumps(value: object) -> None:
    """Nested objects and arrays (tuples, subclasses), every kind of leaf, strings with the characters JSON escapes
    and those it leaves raw: the C join (rdfgen._native.indented), its Python twin and json.dumps agree."""
    expected = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    assert embedding.indented_json(value) == expected
    assert embedding.dumps_py(value, "\n") + "\n" == expected


def test_the_embedding_objects_of_the_fixtures_are_written_as_json_dumps_would() -> None:
    count = 0
    for m in all_mapped():
        obj = m.fast()
        assert embedding.indented_json(obj) == json.dumps(obj, indent=2, ensure_ascii=False) + "\n", m.pmid
        count += 1
    assert count >= 60
