"""turtle_text and jsonld_text, the writers that work on N-Triples term strings without rdflib: every fixture record
(and several records in one document) parses back to the graph its N-Triples say, with rdflib, pyld, and two Turtle
parsers that share nothing with rdflib (Oxigraph, and raptor's rapper when installed); the text does not depend on
the order of the triples; literal escaping, prefixed names, rdf:List shapes and IRIs that look like compact IRIs
survive the round trip (property tests).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld as pyld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.term import Node

import rdfgen
from rdfgen.model import Record
from rdfgen.resources import seed_path
from rdfgen.serialize import jsonld as jsonld_module
from rdfgen.serialize import ntriples as ntriples_module
from rdfgen.serialize import turtle as turtle_module
from rdfgen.serialize.jsonld import jsonld_text
from rdfgen.serialize.ntriples import nt_term
from rdfgen.serialize.turtle import group_triples, turtle_text

from .conftest import DATA
from .reference_writers import jsonld_full

StrTriple = tuple[str, str, str]

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "pubmed-xml"
RAPPER = shutil.which("rapper")
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EX = "http://example.org/"


# --- fixtures -----------------------------------------------------------------------------------------------------


def _fixture_files() -> list[Path]:
    """Every readable fixture once (the shared excerpts duplicate some of tests/data: same bytes, tested once)."""
    paths = [p for p in sorted((DATA / "xml").glob("*.xml")) if not p.name.startswith("hostile")]
    paths += sorted((DATA / "medline").glob("*"))
    paths += sorted(SHARED.glob("**/*.xml")) if SHARED.is_dir() else []
    seen: set[str] = set()
    unique = []
    for p in paths:
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            unique.append(p)
    return [seed_path(), *unique]


FILES = _fixture_files()


@cache
def records_of(path: Path) -> tuple[tuple[str, tuple[StrTriple, ...]], ...]:
    """(PMID, triples as N-Triples strings) for each record of a fixture, as the mapping emits them."""
    if path == seed_path():
        records = rdfgen.read(path, format="pubmed-page", pmid="33783695")
    else:
        records = rdfgen.read(path, errors="skip")
    return tuple((r.pmid, tuple(tuple(nt_term(x) for x in t) for t in rdfgen.triples(r, validate=False)))
                 for r in records if isinstance(r, Record))


def nt_text(triples: Iterable[StrTriple]) -> str:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples)


def _diff(expected: Graph, got: Graph) -> str:
    _, only_expected, only_got = graph_diff(expected, got)
    lines = ["only in the N-Triples:", *sorted(only_expected.serialize(format="nt").splitlines())[:20],
             "only in the output:", *sorted(only_got.serialize(format="nt").splitlines())[:20]]
    return "\n".join(lines)


def same_graph(expected: Graph, got: Graph) -> bool:
    """rdflib.compare.isomorphic, computed in two parts: the triples without blank nodes must be equal (a blank
    node mapping leaves them alone) and those with blank nodes isomorphic. Same answer, a fraction of the time of
    canonicalising every triple of a 1,000-triple record."""
    def split(g: Graph) -> tuple[set[tuple[Node, Node, Node]], Graph]:
        ground, blank = set(), Graph()
        for t in g:
            if isinstance(t[0], BNode) or isinstance(t[2], BNode):
                blank.add(t)
            else:
                ground.add(t)
        return ground, blank

    (ground_e, blank_e), (ground_g, blank_g) = split(expected), split(got)
    return ground_e == ground_g and isomorphic(blank_e, blank_g)


def assert_same_graph(expected: Graph, got: Graph, what: str) -> None:
    if not same_graph(expected, got):
        pytest.fail(f"{what}: not the graph of the N-Triples ({len(expected)} vs {len(got)} triples)\n"
                    + _diff(expected, got))


def _pyld_term(term: dict[str, str]) -> Node:
    if term["type"] == "blank node":
        return BNode(term["value"][2:])
    if term["type"] == "IRI":
        return URIRef(term["value"])
    if "language" in term:
        return Literal(term["value"], lang=term["language"])
    return Literal(term["value"], datatype=None if term["datatype"] == f"{XSD}string" else term["datatype"])


def pyld_graph(text: str) -> Graph:
    """JSON-LD -> RDF by pyld (an independent JSON-LD processor), as an rdflib Graph. pyld lower-cases language
    tags and, like RDF 1.1, does not tell "x" from "x"^^xsd:string: so does this Graph."""
    g = Graph()
    for quad in pyld.to_rdf(json.loads(text), {}).get("@default", []):
        g.add((_pyld_term(quad["subject"]), _pyld_term(quad["predicate"]), _pyld_term(quad["object"])))
    return g


def _pyld_normal(graph: Graph) -> Graph:
    """The graph as pyld reads it back (see pyld_graph)."""
    g = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        elif isinstance(o, Literal) and o.datatype == URIRef(f"{XSD}string"):
            o = Literal(str(o))
        g.add((s, p, o))
    return g


def check_writers(triples: list[StrTriple], what: str, with_pyld: bool = True) -> None:
    """Both writers' documents parse (rdflib; JSON-LD also pyld) to the graph of the N-Triples; the JSON is laid
    out exactly as json.dumps(indent=2, sort_keys=True) lays it out."""
    expected = Graph().parse(data=nt_text(triples), format="nt")
    ttl = turtle_text(triples)
    assert_same_graph(expected, Graph().parse(data=ttl, format="turtle"), f"{what}: Turtle (rdflib)")
    js = jsonld_text(triples)
    assert js == json.dumps(json.loads(js), indent=2, sort_keys=True, ensure_ascii=False) + "\n", what
    assert_same_graph(expected, Graph().parse(data=js, format="json-ld"), f"{what}: JSON-LD (rdflib)")
    if with_pyld:
        assert_same_graph(_pyld_normal(expected), pyld_graph(js), f"{what}: JSON-LD (pyld)")


# --- every fixture record -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture_records_round_trip(path: Path) -> None:
    """Each record alone (several records in one document: below, and the rapper test reads whole files)."""
    for pmid, triples in records_of(path):
        check_writers(list(triples), f"{path.name} PMID {pmid}")


def test_several_records_in_one_document() -> None:
    """The records of a file, and the first record of every other file, in one document: several articles that
    share journals, MeSH descriptors and cited works."""
    several = DATA / "xml" / "dreamytang_pubmed_result.xml"
    triples = [t for _, ts in records_of(several) for t in ts]
    others = [path for path in FILES if path != several][::3]
    triples += [t for path in others for _, ts in records_of(path)[:1] if len(ts) < 3000 for t in ts]
    assert len({t[0] for t in triples}) > 500
    check_writers(triples, "several records", with_pyld=False)


def test_fixtures_have_the_shapes_the_writers_special_case() -> None:
    """The fixtures exercise what the writers handle specially, so the round trips above cover it."""
    triples = {t for path in FILES for _, ts in records_of(path) for t in ts}
    objects = {o for _, _, o in triples}
    assert any(o.startswith("_:") for o in objects), "rdf:List cells"
    assert any(re.search(r'"@[a-z]', o) for o in objects), "language tags"
    assert any(o.endswith(f"<{XSD}integer>") for o in objects), "xsd:integer values"
    assert any(o.endswith(f"<{XSD}boolean>") for o in objects), "xsd:boolean values"
    assert any(o.endswith(f"<{XSD}gYear>") for o in objects), "other typed values"
    assert any("\\n" in o for o in objects) and any('\\"' in o for o in objects), "escapes in literals"
    assert any(o == "<http://id.nlm.nih.gov/mesh/>" for o in objects), "an IRI equal to a namespace (mesh:)"


@pytest.mark.parametrize("path", FILES[:1] + [DATA / "xml" / "dreamytang_pubmed_result.xml"], ids=lambda p: p.name)
def test_jsonld_text_is_jsonld_full(path: Path) -> None:
    """The same document as rdflib's writer (jsonld_full) gives for the same graph: a drop-in replacement."""
    for pmid, triples in records_of(path):
        graph = Graph().parse(data=nt_text(triples), format="nt")
        assert jsonld_text(triples) == jsonld_full(graph), pmid


# --- byte stability -----------------------------------------------------------------------------------------------


def test_same_triples_same_bytes() -> None:
    """Order, repetition and a pre-grouped input change nothing."""
    rng = random.Random(7)
    for path in FILES:
        for pmid, triples in records_of(path):
            shuffled = list(triples) + list(triples[: len(triples) // 3])
            rng.shuffle(shuffled)
            grouped = group_triples(shuffled)
            ttl, js = turtle_text(triples), jsonld_text(triples)
            assert turtle_text(shuffled) == ttl == turtle_text(grouped), pmid
            assert jsonld_text(shuffled) == js == jsonld_text(grouped), pmid
            assert sorted(grouped) == sorted(set(triples)), pmid


def test_turtle_shape() -> None:
    """Prefixes used (only), sorted; ``a`` first; lists inline; prefixed names where the local name allows."""
    (_, triples), = records_of(seed_path())
    ttl = turtle_text(triples)
    prefixes = re.findall(r"^@prefix (\w*):", ttl, re.M)
    assert prefixes == sorted(prefixes) and "rdf" not in prefixes  # rdf:type is `a`, rdf:first/rest are ( ... )
    for prefix in prefixes:
        assert re.search(rf"(?<![\w<]){prefix}:", ttl.split("\n\n", 1)[1]), f"unused prefix {prefix}"
    assert "bibo:authorList ( " in ttl and "rdf:first" not in ttl
    assert re.search(r"^<http://localhost:8000/pubmed/33783695> a \w+:\w+", ttl, re.M)
    assert '"^^xsd:' in ttl and "^^<" not in ttl
    assert "schema:inDefinedTermSet mesh: ;" in ttl


# --- Turtle through an independent parser -------------------------------------------------------------------------


def rapper(ttl: str, tmp_path: Path) -> str:
    """The Turtle as N-Triples, read by raptor."""
    src = tmp_path / "doc.ttl"
    src.write_text(ttl, encoding="utf-8")
    run = subprocess.run([str(RAPPER), "-q", "-i", "turtle", "-o", "ntriples", str(src)], capture_output=True,
                         text=True, encoding="utf-8", timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


def oxigraph(ttl: str) -> str:
    """The Turtle as N-Triples, read by Oxigraph's parser (Rust; a project dependency, so always there)."""
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in ox.parse(ttl, format=ox.RdfFormat.TURTLE))


def assert_same_nt(expected_nt: str, got_nt: str, what: str) -> None:
    """Two N-Triples documents say the same graph: both read by Oxigraph (fast, canonical term strings), ground
    triples compared as sets, the triples with blank nodes for isomorphism with rdflib."""
    def split(text: str) -> tuple[set[str], Graph]:
        ground: set[str] = set()
        blank: list[str] = []
        for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES):
            line = f"{q.subject} {q.predicate} {q.object} .\n"
            if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                blank.append(line)
            else:
                ground.add(line)
        return ground, Graph().parse(data="".join(blank), format="nt")

    (ground_e, blank_e), (ground_g, blank_g) = split(expected_nt), split(got_nt)
    if ground_e != ground_g or not isomorphic(blank_e, blank_g):
        pytest.fail(f"{what}: not the graph of the N-Triples\nonly in the N-Triples:\n"
                    + "".join(sorted(ground_e - ground_g)[:20]) + "only in the output:\n"
                    + "".join(sorted(ground_g - ground_e)[:20]) + "blank node triples:\n" + _diff(blank_e, blank_g))


def test_turtle_parses_with_oxigraph() -> None:
    """Every fixture file's records in one document, read by a second, unrelated Turtle parser."""
    for path in FILES:
        triples = [t for _, ts in records_of(path) for t in ts]
        assert_same_nt(nt_text(triples), oxigraph(turtle_text(triples)), f"{path.name}: Turtle (Oxigraph)")


@pytest.mark.skipif(RAPPER is None, reason="rapper (Debian package raptor2-utils) is not installed")
def test_turtle_parses_with_rapper(tmp_path: Path) -> None:
    """Every fixture file's records in one document, read by raptor: a third, unrelated Turtle parser."""
    for path in FILES:
        triples = [t for _, ts in records_of(path) for t in ts]
        assert_same_nt(nt_text(triples), rapper(turtle_text(triples), tmp_path), f"{path.name}: Turtle (rapper)")


LOCAL_NAMES = ["a", "A1", "1a", "007", "a.b", "a-b", "a_b", "_a", "a.", "a..b", ".a", "-a", "a-", "a~b", "a%20b",
               "a%C3%A9", "a:b", "a/b", "a?b", "a!b", "é", "aé", "a b", "a(b)", "", "a\\u00E9", "a'b", "a$b", "a=b"]


def tricky_iri_triples() -> list[StrTriple]:
    """Local names at and beyond the edges of PN_LOCAL, under a '/' namespace, a '#' namespace and one ending in
    neither, as subjects, predicates, objects and datatypes."""
    out: list[StrTriple] = []
    for i, local in enumerate(LOCAL_NAMES):
        local_iri = local.replace(" ", "%20")  # an IRI holds no space: N-Triples writers percent-encode it
        for ns in (EX, "http://example.org/vocab#", "http://example.org/x_"):
            iri = f"<{ns}{local_iri}>"
            out += [(iri, f"<{EX}p>", f'"{i}"'), (f"<{EX}s>", iri, f"<{EX}o{i}>"), (f"<{EX}s>", f"<{EX}q>", iri),
                    (f"<{EX}s>", f"<{EX}r>", f'"{i}"^^{iri}')]
    return out


TRICKY_PREFIXES = {"ex": EX, "v": "http://example.org/vocab#", "x": "http://example.org/x_", "": "urn:empty:",
                   "bad name": "http://example.org/bad/", "xsd": XSD}


def test_prefixed_names_round_trip() -> None:
    check_writers(tricky_iri_triples(), "tricky local names")
    ttl = turtle_text(tricky_iri_triples(), TRICKY_PREFIXES)
    expected = Graph().parse(data=nt_text(tricky_iri_triples()), format="nt")
    assert_same_graph(expected, Graph().parse(data=ttl, format="turtle"), "Turtle with odd prefixes")
    assert "ex:1a " in ttl and "ex:a.b " in ttl and "<http://example.org/a.>" in ttl and "bad name" not in ttl


@pytest.mark.skipif(RAPPER is None, reason="rapper (Debian package raptor2-utils) is not installed")
def test_prefixed_names_parse_with_rapper(tmp_path: Path) -> None:
    triples = tricky_iri_triples()
    for prefixes in (rdfgen.vocab.PREFIXES, TRICKY_PREFIXES):
        ttl = turtle_text(triples, prefixes)
        assert_same_nt(nt_text(triples), rapper(ttl, tmp_path), "tricky local names (rapper)")
        assert_same_nt(nt_text(triples), oxigraph(ttl), "tricky local names (Oxigraph)")


# --- literals: escaping round trips (property tests) --------------------------------------------------------------

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def nt_string(text: str, rnd: random.Random) -> str:
    """``"..."`` as some N-Triples writer may write it: the escapes it must use, and \\u/\\U escapes where it
    may."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _ECHAR and (ch in '\\"\n\r' or rnd.random() < 0.5):
            out.append(_ECHAR[ch])
        elif code < 0x20 or code == 0x7F or rnd.random() < 0.15:
            out.append(f"\\u{code:04X}" if code <= 0xFFFF and rnd.random() < 0.7 else f"\\U{code:08X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
TRICKY_TEXT = st.text(st.sampled_from(list('"\\\n\r\t\b\f\x00\x01\x1f\x7f\x85\u2028\u2029 aé€\U0001F600\U0010FFFD\'{}@:'
                                           )), max_size=20)
LANGS = st.from_regex(r"\A[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8}){0,2}\Z")
DATATYPES = st.sampled_from([f"{XSD}string", f"{XSD}date", f"{XSD}decimal", f"{EX}my-type", "urn:x:type",
                             f"{RDF}HTML", "http://id.nlm.nih.gov/mesh/vocab#Code"])


def literal_triples(values: list[tuple[str, str | None, str | None]], seed: int) -> tuple[list[StrTriple],
                                                                                         list[Literal]]:
    rnd = random.Random(seed)
    triples, literals = [], []
    for i, (text, lang, datatype) in enumerate(values):
        term = nt_string(text, rnd) + (f"@{lang}" if lang else f"^^<{datatype}>" if datatype else "")
        triples.append((f"<{EX}s{i % 3}>", f"<{EX}p>", term))
        literals.append(Literal(text, lang=lang) if lang else Literal(text, datatype=datatype))
    return triples, literals


def literals_of(graph: Graph) -> set[Literal]:
    return {o for o in graph.objects() if isinstance(o, Literal)}


LITERAL = st.tuples(st.one_of(TEXT, TRICKY_TEXT), st.one_of(st.none(), LANGS),
                    st.one_of(st.none(), DATATYPES)).map(lambda v: (v[0], v[1], None if v[1] else v[2]))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(LITERAL, min_size=1, max_size=6), seed=st.integers(0, 2**16))
def test_literals_round_trip_through_both_writers(values: list[tuple[str, str | None, str | None]],
                                                  seed: int) -> None:
    """Whatever the text (quotes, backslashes, newlines, control characters, astral characters, U+2028), language
    tag or datatype, and however the N-Triples escaped it, both documents give back the same literals: with
    rdflib exactly; with pyld the same up to what pyld normalises (see pyld_graph)."""
    triples, literals = literal_triples(values, seed)
    expected = set(literals)
    assert literals_of(Graph().parse(data=nt_text(triples), format="nt")) == expected  # the test's own escaping
    assert literals_of(Graph().parse(data=turtle_text(triples), format="turtle")) == expected
    js = jsonld_text(triples)
    assert literals_of(Graph().parse(data=js, format="json-ld")) == expected
    assert literals_of(pyld_graph(js)) == literals_of(_pyld_normal(Graph().parse(data=nt_text(triples),
                                                                                  format="nt")))


def test_surrogate_pair_escapes() -> None:
    """Some writers escape an astral character as a UTF-16 pair (``\\uD83D\\uDE00``): not a code point, but what
    it means is clear, and JSON-LD (UTF-8) can only hold the character. A lone surrogate cannot be written."""
    triples = [(f"<{EX}s>", f"<{EX}p>", '"a\\uD83D\\uDE00b\\U0001F600"')]
    assert json.loads(jsonld_text(triples))["@graph"][0][f"{EX}p"] == "a\U0001F600b\U0001F600"
    with pytest.raises(ValueError, match="surrogate"):
        jsonld_text([(f"<{EX}s>", f"<{EX}p>", '"a\\uD83Db"')])


def pyld_objects(text: str) -> list[dict[str, str]]:
    """pyld's own RDF objects (no rdflib in between, so no lexical form normalised away)."""
    return [q["object"] for q in pyld.to_rdf(json.loads(text), {})["@default"]]


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # rdflib reading " true": the point of the test
@settings(max_examples=100, deadline=None)
@given(lexical=st.one_of(st.from_regex(r"\A[+-]?[0-9]{1,22}\Z"), st.sampled_from(["0", "-0", "+0", "00", "9" * 16])),
       boolean=st.sampled_from(["true", "false", "1", "0", "TRUE", " true"]))
def test_typed_values_keep_their_lexical_form(lexical: str, boolean: str) -> None:
    """xsd:integer and xsd:boolean become JSON numbers and booleans only where JSON-LD gives the same lexical form
    back (canonical, below 2**53): every lexical form survives, checked on pyld's raw output."""
    triples = [(f"<{EX}s>", f"<{EX}i>", f'"{lexical}"^^<{XSD}integer>'),
               (f"<{EX}s>", f"<{EX}b>", f'"{boolean}"^^<{XSD}boolean>')]
    js = jsonld_text(triples)
    got = {(o["value"], o["datatype"]) for o in pyld_objects(js)}
    assert got == {(lexical, f"{XSD}integer"), (boolean, f"{XSD}boolean")}
    expected = Graph().parse(data=nt_text(triples), format="nt")
    assert_same_graph(expected, Graph().parse(data=js, format="json-ld"), "typed values (rdflib)")
    assert_same_graph(expected, Graph().parse(data=turtle_text(triples), format="turtle"), "typed values (Turtle)")


def test_native_values_where_exact() -> None:
    triples = [(f"<{EX}s>", f"<{EX}p>", f'"{v}"^^<{XSD}integer>') for v in ("12", "-3", "0", "012", "-0")]
    triples += [(f"<{EX}s>", f"<{EX}q>", f'"{v}"^^<{XSD}boolean>') for v in ("true", "1")]
    node = json.loads(jsonld_text(triples))["@graph"][0]
    assert sorted(node[f"{EX}p"], key=str) == sorted([12, -3, 0, {"@type": "xsd:integer", "@value": "012"},
                                                      {"@type": "xsd:integer", "@value": "-0"}], key=str)
    assert sorted(node[f"{EX}q"], key=str) == sorted([True, {"@type": "xsd:boolean", "@value": "1"}], key=str)


# --- IRIs: UCHAR escapes, look-alikes of compact IRIs -------------------------------------------------------------


def test_iris_with_uchar_escapes() -> None:
    triples = [("<http://example.org/caf\\u00E9>", f"<{EX}p>", "<http://example.org/\\U0001F600>"),
               (f"<{EX}s>", "<http://example.org/pr\\u00E9d>", '"x"^^<http://example.org/dt\\u00E9>')]
    check_writers(triples, "UCHAR in IRIs")
    assert '"http://example.org/café"' in jsonld_text(triples)


def test_iris_that_look_like_compact_iris() -> None:
    """``mesh:D01`` as an absolute IRI (scheme "mesh") would read as a compact IRI while "mesh" is a prefix: the
    prefix is left out of that document's context. IRIs of other schemes with ':' stay keys as they are; a
    namespace match whose rest starts with '//' is not compacted."""
    triples = [("<mesh:D01>", "<schema:name>", '"x"^^<xsd:thing>'),
               ("<http://id.nlm.nih.gov/mesh/D02>", "<urn:isbn:0451450523>", "<mesh:D01>"),
               ("<http://id.nlm.nih.gov/mesh/D02>", "<https://schema.org/name>", '"y"'),
               ("<http://id.nlm.nih.gov/mesh/D02>", f"<{RDF}type>", "<schema:Thing>"),
               ("<https://schema.org///x>", "<tag:example.org,2024:p>", "<https://schema.org///y>")]
    check_writers(triples, "compact IRI look-alikes")
    doc = json.loads(jsonld_text(triples))
    assert {"mesh", "schema", "xsd"}.isdisjoint(doc["@context"]) and "bibo" in doc["@context"]
    assert any("urn:isbn:0451450523" in node for node in doc["@graph"])
    assert "schema:" not in jsonld_text(triples[4:]).split('"@graph"')[1]  # schema://x would be an absolute IRI
    check_writers(triples[4:], "'//' after a namespace")


def test_empty_and_custom_contexts() -> None:
    triples = [(f"<{EX}s>", f"<{EX}p>", f"<{EX}o>"), (f"<{EX}s>", f"<{RDF}type>", f"<{EX}C>")]
    assert turtle_text([]) == "" and json.loads(jsonld_text([]))["@graph"] == []
    doc = json.loads(jsonld_text(triples, context={}))
    assert doc == {"@context": {}, "@graph": [{"@id": f"{EX}s", "@type": f"{EX}C", f"{EX}p": {"@id": f"{EX}o"}}]}
    doc = json.loads(jsonld_text(triples, context={"ex": EX, "": "http://x/", "@vocab": EX, "a:b": EX, "_": EX}))
    assert doc == {"@context": {"ex": EX}, "@graph": [{"@id": "ex:s", "@type": "ex:C", "ex:p": {"@id": "ex:o"}}]}
    assert turtle_text(triples, {"ex": EX}) == "@prefix ex: <http://example.org/> .\n\nex:s a ex:C ;\n    ex:p ex:o .\n"


# --- rdf:List and other blank node shapes -------------------------------------------------------------------------


def _list(cells: list[str], items: list[str], end: str = f"<{RDF}nil>") -> list[StrTriple]:
    rest = [*cells[1:], end]
    return [t for c, i, r in zip(cells, items, rest, strict=True)
            for t in ((c, f"<{RDF}first>", i), (c, f"<{RDF}rest>", r))]


FIRST, REST, NIL = f"<{RDF}first>", f"<{RDF}rest>", f"<{RDF}nil>"
S, P, Q = f"<{EX}s>", f"<{EX}p>", f"<{EX}q>"

LIST_SHAPES: dict[str, list[StrTriple]] = {
    "plain": [(S, P, "_:a")] + _list(["_:a", "_:b"], [f"<{EX}x>", '"y"@en']),
    "nested": [(S, P, "_:a")] + _list(["_:a", "_:b"], ["_:c", '"1"']) + _list(["_:c"], [f"<{EX}x>"]),
    "two uses": [(S, P, "_:a"), (S, Q, "_:a")] + _list(["_:a"], ['"x"']),
    "shared tail": [(S, P, "_:a"), (S, Q, "_:b")] + _list(["_:a", "_:c"], ['"1"', '"3"']) + [
        ("_:b", FIRST, '"2"'), ("_:b", REST, "_:c")],
    "cycle": [(S, P, "_:a")] + _list(["_:a", "_:b"], ['"1"', '"2"'], end="_:a"),
    "cycle through first": [("_:a", FIRST, "_:b"), ("_:a", REST, NIL), ("_:b", FIRST, "_:a"), ("_:b", REST, NIL)],
    "extra property": [(S, P, "_:a"), ("_:a", Q, '"x"')] + _list(["_:a"], ['"1"']),
    "two firsts": [(S, P, "_:a"), ("_:a", FIRST, '"1"'), ("_:a", FIRST, '"2"'), ("_:a", REST, NIL)],
    "not ending in nil": [(S, P, "_:a")] + _list(["_:a"], ['"1"'], end=f"<{EX}end>"),
    "unused": _list(["_:a", "_:b"], ['"1"', '"2"']),
    "head as subject elsewhere": [(S, P, "_:a"), ("_:a", P, S)] + _list(["_:a"], ['"1"']),
    "item is a list head used twice": [(S, P, "_:a"), (S, Q, "_:c")] + _list(["_:a"], ["_:c"]) + _list(
        ["_:c"], ['"1"']),
    "empty list": [(S, P, NIL)],
    "rdf:type not as a predicate": [(f"<{RDF}type>", P, f"<{RDF}type>"), (S, f"<{RDF}type>", f"<{RDF}Property>"),
                                    (S, P, "_:a")] + _list(["_:a"], [f"<{RDF}type>"]),
    "list of blank nodes": [(S, P, "_:a"), ("_:x", P, '"x"')] + _list(["_:a", "_:b"], ["_:x", "_:y"]),
    "list in rdf:type and as @type": [(S, f"<{RDF}type>", "_:a"), (S, f"<{RDF}type>", f"<{EX}C>"),
                                      (S, f"<{RDF}type>", '"lit"')] + _list(["_:a"], ['"1"']),
    "list as a list item and object of rdf:first": [(S, P, "_:a")] + _list(["_:a"], ["_:b"]) + _list(
        ["_:b"], ["_:c"]) + _list(["_:c"], ['"deep"']),
}


@pytest.mark.parametrize("name", LIST_SHAPES)
def test_blank_node_shapes(name: str) -> None:
    """Proper lists are written inline; anything else (shared, cyclic, extended, unused) stays plain triples."""
    check_writers(LIST_SHAPES[name], name)


def test_lists_are_inline() -> None:
    ttl = turtle_text(LIST_SHAPES["nested"])
    assert ttl.endswith('<http://example.org/s> <http://example.org/p> ( ( <http://example.org/x> ) "1" ) .\n')
    node = json.loads(jsonld_text(LIST_SHAPES["plain"]))["@graph"]
    assert node == [{"@id": f"{EX}s", f"{EX}p": {"@list": [{"@id": f"{EX}x"}, {"@language": "en", "@value": "y"}]}}]
    assert "_:" not in turtle_text(LIST_SHAPES["plain"]) and "_:a" in turtle_text(LIST_SHAPES["two uses"])


@st.composite
def blank_node_graphs(draw: st.DrawFn) -> list[StrTriple]:
    """Random graphs of rdf:List chains whose items may be other lists (nested, or cycling back), each head used by
    zero, one or two triples, then perturbed: a cell with an extra triple, a second rest or first, another reference
    (shared tails, cycles)."""
    plain = [S, f"<{EX}o>", '"v"', '"w"@de', f'"1"^^<{XSD}integer>', NIL]
    chains = [[f"_:l{k}c{i}" for i in range(draw(st.integers(1, 4)))] for k in range(draw(st.integers(1, 4)))]
    heads = [cells[0] for cells in chains]
    cells = [c for chain in chains for c in chain]
    triples: set[StrTriple] = set()
    for chain in chains:
        for i, cell in enumerate(chain):
            triples.add((cell, FIRST, draw(st.sampled_from(plain + heads))))
            triples.add((cell, REST, chain[i + 1] if i + 1 < len(chain) else NIL))
    for head in heads:
        for _ in range(draw(st.integers(0, 2))):
            triples.add((draw(st.sampled_from([S, f"<{EX}t>", "_:x"])), draw(st.sampled_from([P, Q])), head))
    for _ in range(draw(st.integers(0, 3))):
        cell = draw(st.sampled_from(cells))
        kind = draw(st.sampled_from(["extra", "rest", "first", "reference"]))
        if kind == "extra":
            triples.add((cell, P, '"v"'))
        elif kind == "rest":
            triples.add((cell, REST, draw(st.sampled_from([*cells, NIL, S]))))
        elif kind == "first":
            triples.add((cell, FIRST, draw(st.sampled_from(plain + cells))))
        else:
            triples.add((draw(st.sampled_from([S, *cells])), Q, cell))
    return sorted(triples)


@settings(max_examples=100, deadline=None)
@given(triples=blank_node_graphs())
def test_random_blank_node_graphs(triples: list[StrTriple]) -> None:
    if triples:
        check_writers(triples, "random blank node graph")


def test_rdflib_terms_in_the_tests_are_what_they_seem() -> None:
    """A guard for the test helpers: rdflib's N-Triples parser agrees with the shapes written above."""
    g = Graph().parse(data=nt_text(LIST_SHAPES["plain"]), format="nt")
    assert (URIRef(f"{EX}s"), URIRef(f"{EX}p"), None) in g
    assert len(set(g.subjects(URIRef(f"{RDF}first"), None))) == 2
    assert all(isinstance(b, BNode) for b in g.subjects(URIRef(f"{RDF}first"), None))


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, TRICKY_TEXT, st.text(alphabet=st.characters(max_codepoint=0x3000))))
def test_the_mappings_literals_are_exact_and_canonical(text: str) -> None:
    """rdfgen.mapping.terms.lit and escape (their fast path for text that surely needs no escape, and the
    search): the canonical escapes only, read back by an independent parser as the very text."""
    from rdfgen.mapping import terms

    canonical = terms._LITERAL_RE.sub(terms._escape_char, text)
    assert terms.escape(text) == canonical
    assert terms.lit(text) == f'"{canonical}"'
    line = f"<http://s> <http://p> {terms.lit(text)} .\n".encode()
    parsed = next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES)))
    assert parsed.object.value == text


def _jsonld_both(triples: list[StrTriple]) -> tuple[str, str]:
    """The document with the C loops over the nodes and their members (rdfgen._native.jsonld_nodes and
    jsonld_members) and with their twins, each from empty layouts (a term laid out before would be read back,
    whichever wrote it)."""
    _fresh_compactors()
    native = jsonld_text(triples)
    _fresh_compactors()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonld_module, "_members", jsonld_module.members_py)
        patch.setattr(jsonld_module, "_nodes", jsonld_module.nodes_py)
        return native, jsonld_text(triples)


def _fresh_compactors() -> None:
    jsonld_module._COMPACTORS.clear()
    jsonld_module._default_compactor.cache_clear()


_native_jsonld = pytest.mark.skipif(jsonld_module._native_members is None, reason="rdfgen._native not built")


@_native_jsonld
def test_jsonld_members_in_c_are_the_twins_on_every_fixture_record() -> None:
    records = [triples for path in FILES for _name, triples in records_of(path)]
    assert len(records) > 50
    for triples in records:
        native, python = _jsonld_both(list(triples))
        assert native == python


@_native_jsonld
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(LITERAL, min_size=1, max_size=8), seed=st.integers(0, 2**16),
       iris=st.lists(st.sampled_from(["<http://example.org/a>", "<https://schema.org/name>", "<urn:x:y>",
                                      "<http://example.org/caf\\u00E9>", "_:b1", '"x"', '"\\u0001"', '"a\\tb"',
                                      '"a\x7fb"', '"soft\u00adhyphen"', '"line\u2028sep"', '"caf\u00e9"',
                                      # written whole by the C, not laid out by miss: no namespace, another one's
                                      # first characters, a namespace then "//", a prefix as scheme (a clash),
                                      # with and without "//", no scheme, short, non-ASCII, a quote
                                      "<http://localhost:8000/pubmed/1/author/2>", "<http://www.w3.org/1999/x>",
                                      "<https://schema.org//x>", "<mesh:D000001>", "<mesh://D000001>", "<xsd:>",
                                      "<nocolon>", "<a:>", "<http://example.org/caf\u00e9>", '<http://e.org/"q>',
                                      "<http://purl.org/dc/terms/title>", "<>"]),
                     max_size=6))
def test_jsonld_members_in_c_are_the_twins_on_generated_literals(values: list[tuple[str, str | None, str | None]],
                                                                 seed: int, iris: list[str]) -> None:
    """Escaped, unprintable, language-tagged and typed literals, several objects a predicate, IRIs with escapes,
    literals holding characters N-Triples leaves raw but JSON text may not (DEL, a soft hyphen, U+2028): the same
    document through the C loop and its twin."""
    triples, _literals = literal_triples(values, seed)
    triples += [("<http://example.org/s>", "<http://example.org/p>", o) for o in iris]
    native, python = _jsonld_both(triples)
    assert native == python


_native_lines = pytest.mark.skipif(ntriples_module._native_grouped_lines is None, reason="rdfgen._native not built")


def _lines_both(triples: list[StrTriple], end: str = " .\n") -> tuple[str, str]:
    """A record's N-Triples lines through the C join (rdfgen._native.grouped_lines) and through its twin."""
    order = group_triples(triples).order()
    assert ntriples_module._native_grouped_lines is not None
    return ntriples_module._native_grouped_lines(order, end), ntriples_module.grouped_lines_py(order, end)


@_native_lines
def test_grouped_lines_in_c_are_the_twins_on_every_fixture_record() -> None:
    records = [triples for path in FILES for _name, triples in records_of(path)]
    assert len(records) > 50
    for triples in records:
        native, python = _lines_both(list(triples))
        assert native == python
        native, python = _lines_both(list(triples), " <http://example.org/g> .\n")
        assert native == python


@_native_lines
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(LITERAL, max_size=8), seed=st.integers(0, 2**16),
       objects=st.lists(st.sampled_from(["<http://example.org/a>", "<urn:x:y>", "<http://example.org/caf\u00e9>",
                                         "_:b1", "_:b10", '"x"', '"x"@en', '"\\u0001"', '"a\\tb"', '"\U0001F600"',
                                         '"caf\u00e9"']), max_size=8))
def test_grouped_lines_in_c_are_the_twins_on_generated_statements(values: list[tuple[str, str | None, str | None]],
                                                                  seed: int, objects: list[str]) -> None:
    """One or several objects a predicate, literals of every kind of character (ASCII, Latin-1, BMP, astral: the
    join's widest), blank nodes whose labels prefix each other, no statement at all: the same text both ways, and
    the sorted, de-duplicated N-Triples."""
    triples, _literals = literal_triples(values, seed)
    triples += [(f"<{EX}s{i % 2}>", f"<{EX}q>", o) for i, o in enumerate(objects)]
    native, python = _lines_both(triples)
    assert native == python
    assert native == "".join(sorted({f"{s} {p} {o} .\n" for s, p, o in triples}))


_native_turtle = pytest.mark.skipif(turtle_module._native_turtle_body is None, reason="rdfgen._native not built")


def _turtle_both(triples: list[StrTriple]) -> tuple[str, str]:
    """The Turtle document with its subject blocks made in C (rdfgen._native.turtle_body) and by its twin."""
    native = turtle_text(triples)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(turtle_module, "_turtle_body", turtle_module.turtle_body_py)
        return native, turtle_text(triples)


@_native_turtle
def test_turtle_body_in_c_is_the_twins_on_every_fixture_record() -> None:
    records = [triples for path in FILES for _name, triples in records_of(path)]
    assert len(records) > 50
    for triples in records:
        native, python = _turtle_both(list(triples))
        assert native == python


@_native_turtle
@pytest.mark.parametrize("name", sorted(LIST_SHAPES))
def test_turtle_body_in_c_is_the_twins_on_list_shapes(name: str) -> None:
    native, python = _turtle_both(list(LIST_SHAPES[name]))
    assert native == python


@_native_turtle
@settings(max_examples=100, deadline=None)
@given(triples=blank_node_graphs())
def test_turtle_body_in_c_is_the_twins_on_random_blank_node_graphs(triples: list[StrTriple]) -> None:
    native, python = _turtle_both(triples)
    assert native == python


@_native_turtle
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(LITERAL, max_size=8), seed=st.integers(0, 2**16),
       statements=st.lists(st.tuples(
           st.sampled_from([f"<{EX}s0>", f"<{EX}s1>", "_:b1", "<urn:x:y>"]),
           st.sampled_from([f"<{RDF}type>", f"<{EX}p>", f"<{EX}q>", "<https://schema.org/name>", "<urn:x:p>"]),
           st.sampled_from([f"<{EX}a>", "<https://schema.org/Thing>", "<http://example.org/caf\\u00E9>", "_:b1",
                            "_:b10", '"x"', '"x"@en', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
                            '"a\\tb"', '"\U0001F600"', '"caf\u00e9"'])), max_size=12))
def test_turtle_body_in_c_is_the_twins_on_generated_statements(values: list[tuple[str, str | None, str | None]],
                                                               seed: int,
                                                               statements: list[tuple[str, str, str]]) -> None:
    """rdf:type among a subject's predicates or not, one or several objects a predicate, escaped and typed literals,
    prefixed names and IRIs that stay whole, blank nodes: the same document both ways."""
    triples, _literals = literal_triples(values, seed)
    triples += statements
    native, python = _turtle_both(triples)
    assert native == python


def test_nt_term_writes_each_term_as_it_is_whatever_came_before() -> None:
    """rdflib holds ``"x"@EN`` and ``"x"@en`` equal (one hash): a cache keyed by the term wrote the second as the
    first; the text must not depend on what the process wrote earlier."""
    from rdflib import XSD as RDFLIB_XSD

    assert nt_term(Literal("x", lang="EN")) == '"x"@EN'
    assert nt_term(Literal("x", lang="en")) == '"x"@en'
    assert nt_term(Literal("1", datatype=RDFLIB_XSD.integer)) == f'"1"^^<{XSD}integer>'
    assert nt_term(Literal("1", datatype=RDFLIB_XSD.string)) == '"1"'
    assert nt_term(URIRef(f"{EX}a")) == f"<{EX}a>"
    assert nt_term(BNode("b1")) == "_:b1"
    with pytest.raises(TypeError):
        nt_term(3)  # type: ignore[arg-type]


@_native_jsonld
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements=st.lists(st.tuples(
    st.sampled_from([f"<{EX}s0>", f"<{EX}s1>", "_:b1", "_:b2", "<urn:x:y>", f"<{EX}caf\u00e9>", "<mesh:D1>"]),
    st.sampled_from([f"<{RDF}type>", f"<{EX}p>", f"<{EX}a!b>", f"<{EX}a>", "<https://schema.org/name>",
                     f"<{RDF}first>", f"<{RDF}rest>"]),
    st.sampled_from([f"<{EX}C>", "<https://schema.org/Thing>", "_:b1", "_:b2", f"<{RDF}nil>", '"x"', '"x"@en',
                     '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"a\\tb"', f"<{EX}s0>", "<mesh:D1>"])),
    min_size=1, max_size=14))
def test_jsonld_nodes_in_c_are_the_twins_on_generated_statements(statements: list[tuple[str, str, str]]) -> None:
    """Nodes with and without classes, classes that are blank nodes or literals (an rdf:type member), keys that sort
    differently once quoted (``a!b`` after ``a``, before it as a member's text), lists and list cells, non-ASCII and
    clashing IRIs as subjects: the same document through the C loops and their twins."""
    native, python = _jsonld_both(statements)
    assert native == python


_native_group = pytest.mark.skipif(turtle_module._group is None, reason="rdfgen._native not built")


def _ordered(grouped: tuple[dict[str, dict[str, object]], dict[str, int]]) -> list[object]:
    """The index and the counts with their order (first seen), which the writers' output follows."""
    index, refs = grouped
    return [[(s, [(p, o if type(o) is str else list(o)) for p, o in preds.items()]) for s, preds in index.items()],
            list(refs.items())]


@_native_group
def test_group_in_c_is_the_twins_on_every_fixture_record() -> None:
    records = [triples for path in FILES for _name, triples in records_of(path)]
    assert len(records) > 50
    for triples in records:
        native = turtle_module._group(list(triples))
        assert native is not None
        assert _ordered(native) == _ordered(turtle_module.group_py(triples))


@_native_group
@settings(max_examples=200, deadline=None)
@given(statements=st.lists(st.tuples(
    st.sampled_from([f"<{EX}s0>", f"<{EX}s1>", "_:b1", "_:b2"]),
    st.sampled_from([f"<{EX}p>", f"<{EX}q>", f"<{RDF}first>"]),
    st.sampled_from([f"<{EX}a>", "_:b1", "_:b2", '"x"', '"x"@en', "_:b10", '"_x"'])), max_size=20))
def test_group_in_c_is_the_twins_on_generated_statements(statements: list[tuple[str, str, str]]) -> None:
    """Repeated statements, a subject coming back after others, several objects (repeated too), blank nodes as
    objects once or more: the same index in the same order, and the same counts."""
    native = turtle_module._group([(str(s), str(p), str(o)) for s, p, o in statements])
    assert native is not None
    assert _ordered(native) == _ordered(turtle_module.group_py(statements))


@_native_group
def test_group_in_c_leaves_what_is_not_a_list_of_str_triples_to_its_twin() -> None:
    class Term(str):
        pass

    assert turtle_module._group(iter([("<a>", "<b>", "<c>")])) is None
    assert turtle_module._group([["<a>", "<b>", "<c>"]]) is None
    assert turtle_module._group([("<a>", "<b>")]) is None
    assert turtle_module._group([("<a>", "<b>", Term("<c>"))]) is None
    assert turtle_module._group([("<a>", "<b>", "")]) is None
    with pytest.raises(IndexError):
        group_triples([("<a>", "<b>", "")])
    grouped = group_triples([["<a>", "<b>", "_:c"], ("<a>", "<b>", "_:c")])
    assert grouped.index == {"<a>": {"<b>": "_:c"}} and grouped.refs == {"_:c": 1}
