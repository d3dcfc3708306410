"""rdfgen/_native.c says what its Python twins say: a record's shard members (rdfgen.publish.members), whose bytes
give what the published dumps say: the record's own statements in its graph, the shared ones in the shared graph,
each statement once; the tally of a record's classes and predicates for the shard's index; and the statements the
shapes check reads, grouped by subject and predicate (rdfgen.publish.shapes_check.index_py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.model import Record
from rdfgen.publish import members as m
from rdfgen.publish import shapes_check as sc
from rdfgen.publish import shards
from rdfgen.publish.build import BuildOptions, build_files
from rdfgen.sources.pubmed_xml import iter_pubmed_xml
from tests.conftest import DATA

native = pytest.mark.skipif(m._native is None, reason="rdfgen._native was not built (no C compiler at install)")

UNDER, ARTICLE = "<https://example.org/pubmed/7/", "<https://example.org/pubmed/7>"
GRAPH_END, SHARED_END = b" <https://example.org/pubmed/7#graph> .\n", b" <https://example.org/shared#graph> .\n"

_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=12)
_subject = st.one_of(
    st.sampled_from([ARTICLE, "_:list1", "<https://example.org/pubmed/7/author/1>", "<https://example.org/pubmed/8>",
                     "<https://example.org/pubmed/7>x", "<https://example.org/pubmed/77>", "<http://id.nlm.nih.gov/mesh/D1>"]),
    _text.map(lambda t: f"<https://example.org/pubmed/7/{t}>"),
    _text.map(lambda t: f"<{t}>"),
)
_object = st.one_of(_subject, _text.map(lambda t: f'"{t}"'), _text.map(lambda t: f'"{t}"@en'))
_triple = st.tuples(_subject, st.sampled_from(["<https://schema.org/name>", "<http://purl.org/dc/terms/é>"]),
                    _object)


def _copy(triple: tuple[str, str, str], which: int) -> tuple[str, str, str]:
    """The same statement made of new str objects (those of ``which``'s bits), as a mapping that builds a term
    twice makes it: equal, not identical."""
    return tuple(t[:1] + t[1:] if len(t) > 1 and which >> k & 1 else t for k, t in enumerate(triple))  # type: ignore[return-value]


@native
@settings(max_examples=300, deadline=None)
@given(st.lists(_triple, max_size=40).flatmap(
    lambda ts: st.lists(st.tuples(st.sampled_from(ts), st.integers(0, 7)).map(lambda tw: _copy(*tw)), max_size=60)
    if ts else st.just([])))
def test_native_members_are_the_bytes_of_the_python_twin(triples: list[tuple[str, str, str]]) -> None:
    assert m._native is not None
    assert m._native(triples, UNDER, ARTICLE, GRAPH_END, SHARED_END) == m.members_py(
        triples, UNDER, ARTICLE, GRAPH_END, SHARED_END)


RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_typing = st.tuples(_subject, st.sampled_from([RDF_TYPE, "<https://schema.org/name>", RDF_TYPE[:-2] + "e>"]),
                    st.sampled_from(["<https://schema.org/Person>", "<http://purl.org/ontology/bibo/Article>",
                                     "<https://schema.org/ScholarlyArticle>"]))


@native
@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_triple, _typing), max_size=60), st.sets(st.sampled_from(["<p>", RDF_TYPE]), max_size=2))
def test_native_tally_is_the_python_twin(triples: list[tuple[str, str, str]], known: set[str]) -> None:
    """Same counts in the same (first-seen) order, which the index's JSON keeps; the same predicates added to a set
    that already holds some. The predicate is compared by value, not only as the mapping's constant object."""
    assert m._native_tally is not None
    native_props, python_props = set(known), set(known)
    rdf_type = "".join(RDF_TYPE)  # equal, not the same object
    counted = m._native_tally(triples, rdf_type, native_props)
    assert list(counted.items()) == list(m.tally_py(triples, RDF_TYPE, python_props).items())
    assert native_props == python_props == known | {p for _s, p, _o in triples}
    assert sum(counted.values()) == sum(p == RDF_TYPE for _s, p, _o in triples)


@native
@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_triple, _typing), max_size=60).flatmap(
    lambda ts: st.lists(st.sampled_from(ts), max_size=80) if ts else st.just([])),
    st.sets(st.sampled_from(["<https://schema.org/name>", "<http://purl.org/dc/terms/é>", RDF_TYPE]), max_size=3),
    st.booleans())
def test_native_shapes_index_is_the_python_twin(triples: list[tuple[str, str, str]], wanted: set[str],
                                                frozen: bool) -> None:
    """The same subjects, predicates and values in the same order (a subject's statements together or apart,
    repeats kept, one value as itself and several as a list), for the predicates the shapes read."""
    assert sc._native_index is not None
    predicates = frozenset(wanted) if frozen else set(wanted)
    made = sc._native_index(triples, predicates)
    assert made == sc.index_py(triples, predicates)
    assert [list(d.items()) for d in made.values()] == [
        list(d.items()) for d in sc.index_py(triples, predicates).values()]


_CLASSES = ["<https://schema.org/Person>", "<http://purl.org/ontology/bibo/Article>", "<https://schema.org/Thing>"]
_PREDICATES = ["<https://schema.org/name>", "<http://purl.org/dc/terms/é>", RDF_TYPE, sc.RDFS_SUBCLASS]
_numbers = st.lists(st.integers(0, 4), max_size=3).map(tuple)


@native
@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_triple, _typing, st.tuples(_subject, st.just(sc.RDFS_SUBCLASS), st.sampled_from(_CLASSES))),
                max_size=60),
       st.dictionaries(st.sampled_from(_CLASSES), _numbers),
       st.lists(st.tuples(st.sampled_from(_PREDICATES), _numbers), max_size=3).map(tuple),
       st.lists(st.tuples(st.sampled_from(_PREDICATES), _numbers), max_size=3).map(tuple))
def test_native_shape_targets_are_the_python_twin(triples: list[tuple[str, str, str]], by_class: dict[str, Any],
                                                  subject_targets: Any, object_targets: Any) -> None:
    """Each shape's focus nodes in the same order (the order its violations are met in), and the same word on
    rdfs:subClassOf, for class, subjects-of and objects-of targets over any statements."""
    assert sc._native_targets is not None
    idx = sc.index_py(triples, frozenset(_PREDICATES))
    args = (idx, by_class, subject_targets, object_targets, 5, RDF_TYPE, sc.RDFS_SUBCLASS)
    native_foci, native_subclassing = sc._native_targets(*args)
    python_foci, python_subclassing = sc.targets_py(*args)
    assert [list(f) for f in native_foci] == [list(f) for f in python_foci]
    assert native_subclassing is python_subclassing


@native
def test_native_shapes_index_refuses_what_is_not_a_statement() -> None:
    assert sc._native_index is not None
    with pytest.raises(TypeError, match="statement 1"):
        sc._native_index([("<a>", "<p>", "<C>"), ("<a>", "<p>")], frozenset({"<p>"}))
    with pytest.raises(TypeError, match="set"):
        sc._native_index([("<a>", "<p>", "<C>")], ["<p>"])


@native
def test_native_tally_refuses_what_is_not_a_statement() -> None:
    assert m._native_tally is not None
    with pytest.raises(TypeError, match="statement 1"):
        m._native_tally([("<a>", RDF_TYPE, "<C>"), ("<a>",)], RDF_TYPE, set())
    with pytest.raises(TypeError):
        m._native_tally([("<a>", RDF_TYPE, "<C>")], RDF_TYPE, frozenset())


@pytest.mark.parametrize("writer", [pytest.param(m._native, marks=native, id="native"),
                                    pytest.param(m.members_py, id="python")])
def test_members_of_a_real_record(writer) -> None:  # noqa: ANN001 - either twin
    """Every statement of a real record once, in N-Triples, and in N-Quads in its own or the shared graph."""
    iris = Iris("https://example.org/")
    record = next(r for r in iter_pubmed_xml(DATA / "xml" / "metapub_1000.xml")
                  if isinstance(r, Record) and r.references and r.authors and r.mesh_headings)
    triples = list(record_triples(record, iris))
    own = f"<{iris.article(record.pmid)}"
    graph_end = f" <{iris.graph(record.pmid)}> .\n".encode()
    unique, nq, nt = writer(triples + triples[:50], own + "/", own + ">", graph_end, SHARED_END)
    assert unique == list(dict.fromkeys(triples))
    lines = nt.decode().splitlines()
    assert sorted(lines) == sorted(" ".join(t) + " ." for t in unique)
    quads = nq.decode().splitlines()
    assert [q.rsplit(" ", 2)[0] for q in quads] == [line[:-2] for line in lines]
    owned = [q for q in quads if q.endswith(graph_end.decode().strip())]
    assert owned and all(q.startswith((own + "/", own + ">", "_:")) for q in owned)
    assert quads[:len(owned)] == owned  # the record's own statements first
    assert all(not q.startswith((own + "/", own + ">", "_:")) for q in quads[len(owned):])


@native
def test_native_members_refuse_what_is_not_a_statement() -> None:
    assert m._native is not None
    with pytest.raises(TypeError, match="statement 1"):
        m._native([("<a>", "<b>", "<c>"), ("<a>", "<b>")], UNDER, ARTICLE, GRAPH_END, SHARED_END)
    with pytest.raises(TypeError, match="term 2 of statement 0"):
        m._native([("<a>", "<b>", 3)], UNDER, ARTICLE, GRAPH_END, SHARED_END)
    with pytest.raises(UnicodeEncodeError):  # as str.encode refuses it in the Python twin
        m._native([("<a>", "<b>", '"\ud800"')], UNDER, ARTICLE, GRAPH_END, SHARED_END)

    class Term(str):  # its own hash and equality would be Python code in the C loop: refused, never misread
        pass

    with pytest.raises(TypeError, match="term 0 of statement 0"):
        m._native([(Term("<a>"), "<b>", "<c>")], UNDER, ARTICLE, GRAPH_END, SHARED_END)



@native
def test_a_build_through_the_python_twin_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the extension could not be built, the whole build (shards, dumps) is byte for byte the same."""
    source = str(DATA / "xml" / "metapub_1000.xml")
    build_files([source], tmp_path / "native", BuildOptions(documents=False))
    monkeypatch.setattr(shards, "members", m.members_py)
    monkeypatch.setattr(shards, "tally", m.tally_py)
    monkeypatch.setattr(sc, "_index", sc.index_py)
    monkeypatch.setattr(sc, "_targets", sc.targets_py)
    build_files([source], tmp_path / "python", BuildOptions(documents=False))
    written = sorted(p.relative_to(tmp_path / "native") for p in (tmp_path / "native").rglob("*.gz"))
    assert len(written) >= 4
    for path in written:
        assert (tmp_path / "native" / path).read_bytes() == (tmp_path / "python" / path).read_bytes(), path


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["http://localhost:8000/", "https://w3id.org/rdfgen/", "http://x.org/a%20b/", "tag://x/",
                        "http://ex.org/pubmed/1/", "http://ex.org/{odd}|/"]),
       st.lists(st.integers(1, 10**9).map(str), min_size=2, max_size=4))
def test_own_prefixes_are_each_records_own(base: str, pmids: list[str]) -> None:
    """The prefixes worked out once per base (rdfgen.mapping.core.own_prefixes) are what each record's own
    computation gives, whichever record came first, for every C part's prefixes."""
    from rdfgen.mapping import people, references, subjects
    from rdfgen.mapping.core import _OWN_PREFIXES, RecordContext, own_prefixes

    _OWN_PREFIXES.clear()
    iris = Iris(base)
    for pmid in pmids:
        ctx = RecordContext(Record(pmid=pmid, title="t"), iris)
        assert own_prefixes(ctx, references._native_prefixes) == references._native_prefixes(ctx)
        assert own_prefixes(ctx, subjects._native_prefixes) == subjects._native_prefixes(ctx)
        for role in ("author", "investigator", "editor"):
            assert own_prefixes(ctx, people._native_prefixes, role) == people._native_prefixes(ctx, role)
