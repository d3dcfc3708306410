"""The check compiled from ontology/shapes.ttl (rdfgen/publish/shapes_check.py) refuses exactly what pySHACL refuses.

pySHACL (rdfgen.publish.validate.validate_graph) is the reference. Compared on the same triples:

* every fixture record (tests/data/xml, tests/data/medline, the seed page) as the mapping publishes it;
* for every constraint of ontology/shapes.ttl, read off the file here, a record mutated to break exactly that
  constraint, so that a constraint added to the file gets a mutation of its own or fails naming itself;
* random mutations (hypothesis): triples deleted, literals rewritten; and every constrained literal of a record set
  to lexical forms rdflib has opinions about (ill-typed, normalised, escaped, other datatypes and languages);
* a shapes file using SHACL the compiler does not implement must not compile, and a new rule of a supported kind
  is enforced without code changes.

Reports agree when ``conforms`` agrees and the violations agree as a multiset of (focus, path, message). A focus
that is not an IRI is compared as "_:b" without its message: rdflib relabels blank nodes when it parses N-Triples.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

import rdfgen
from rdfgen.model import Record
from rdfgen.publish import shapes_check
from rdfgen.publish.shapes_check import ShapesCheck, UnsupportedShapes, compile_shapes
from rdfgen.publish.validate import Report, validate_graph
from rdfgen.resources import ontology_path, seed_path
from rdfgen.serialize.graph import to_graph
from rdfgen.serialize.ntriples import nt_term

from .conftest import DATA

# Mutated literals are ill-typed on purpose; rdflib warns about each one it meets.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:rdflib.term")

SH = Namespace("http://www.w3.org/ns/shacl#")
Triple = tuple[str, str, str]
TYPE = nt_term(RDF.type)
SHAPES_FILE = ontology_path("shapes.ttl")
SG = Graph().parse(SHAPES_FILE, format="turtle")

FIXTURE_FILES = [*sorted(str(p.relative_to(DATA)) for p in (*DATA.glob("xml/*.xml"), *DATA.glob("medline/*"))),
                 "seed"]


# ------------------------------------------------------------------------------------------------ the records

@dataclass(frozen=True)
class Fixture:
    """One published record: its triples as the mapping gives them (rdflib) and as N-Triples terms."""

    name: str
    nodes: tuple[tuple[Node, Node, Node], ...]
    triples: tuple[Triple, ...]


def read_fixture(source: str) -> list[Fixture]:
    path = seed_path() if source == "seed" else DATA / source
    kwargs = {"format": "pubmed-page", "pmid": "33783695"} if source == "seed" else {}
    out = []
    for record in rdfgen.read(path, errors="skip", **kwargs):
        if isinstance(record, Record):
            nodes = tuple(rdfgen.triples(record, validate=False))
            terms = tuple((nt_term(s), nt_term(p), nt_term(o)) for s, p, o in nodes)
            out.append(Fixture(f"{source} PMID {record.pmid}", nodes, terms))
    return out


@cache
def fixtures() -> dict[str, list[Fixture]]:
    """Every fixture file's records, read and mapped once for the module (the MeSH table loads once)."""
    return {source: read_fixture(source) for source in FIXTURE_FILES}


def all_records() -> list[Fixture]:
    return sorted((f for records in fixtures().values() for f in records), key=lambda f: len(f.triples))


# ------------------------------------------------------------------------------------------------ comparing

def pyshacl_report(triples: list[Triple] | tuple[Triple, ...]) -> Report:
    """pySHACL on the triples, read by rdflib's N-Triples parser as any published file would be."""
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    return validate_graph(Graph().parse(data=text, format="nt"))


def summary(report: Report) -> tuple[bool, Counter[tuple[str, str, str]]]:
    """conforms and the violations as a multiset; a focus that is no IRI (and the message naming it) is "_:b"."""
    rows: Counter[tuple[str, str, str]] = Counter()
    for v in report.violations:
        if re.match(r"[a-z][a-z0-9+.-]*:", v.focus):
            rows[(v.focus, v.path, v.message)] += 1
        else:
            rows[("_:b", v.path, "")] += 1
    return report.conforms, rows


def assert_same(reference: Report, compiled: Report, what: str) -> None:
    expected, got = summary(reference), summary(compiled)
    if expected != got:
        missing = expected[1] - got[1]
        extra = got[1] - expected[1]
        pytest.fail(f"{what}: pySHACL conforms={expected[0]}, compiled conforms={got[0]}\n"
                    f"  only pySHACL: {sorted(missing)}\n  only compiled: {sorted(extra)}")


def pairs(report: Report) -> set[tuple[str, str]]:
    return {(focus, path) for focus, path, _m in summary(report)[1]}


@pytest.fixture(scope="module")
def check() -> ShapesCheck:
    return compile_shapes()


# ------------------------------------------------------------------------------------------------ fixtures agree

@pytest.mark.parametrize("source", FIXTURE_FILES)
def test_fixture_records_agree_with_pyshacl(source: str, check: ShapesCheck) -> None:
    """pySHACL as the build runs it today (the mapping's rdflib graph) and the compiled check on N-Triples terms."""
    records = fixtures()[source]
    for record in records:
        reference = validate_graph(to_graph(list(record.nodes)))
        assert_same(reference, check.check(record.triples), record.name)


def test_the_fixtures_are_records() -> None:
    """Guard: the comparison above runs on real records (a broken reader must not make it vacuous)."""
    assert len(all_records()) >= 60
    assert any(len(f.triples) > 5_000 for f in all_records())  # 39166619: 395 references, ~6,800 triples


def test_a_batch_of_records_agrees(check: ShapesCheck) -> None:
    """Several records in one check (shared journals and MeSH terms), as the fast path may batch them."""
    batch = [t for f in all_records()[20:40] for t in f.triples]
    assert_same(pyshacl_report(batch), check.check(batch), "batch")



def test_repeated_and_second_values_are_judged_alike(check: ShapesCheck) -> None:
    """The index keeps one value of a predicate as the term itself and more as a list: the same triple twice (one
    value for pySHACL), a second value of every constrained predicate, and a second rdf:type go through the list
    forms of the fast tier and the exact tier, and must be judged as pySHACL judges them."""
    base = fixtures()["medline/dreamytang_pubmed_result.txt"][0].triples
    repeated = list(base) + [t for t in base if t[1] in CONSTRAINED]
    assert_same(pyshacl_report(repeated), check.check(repeated), "every constrained triple twice")
    seconds: dict[str, Triple] = {}
    for s, p, o in base:
        if p in CONSTRAINED and p != TYPE:
            seconds.setdefault(p, (s, p, o))
    for s, p, o in seconds.values():
        other = nt_literal("2", "") if o[0] == '"' else f"{o[:-1]}/other>"
        triples = [*base, (s, p, other)]
        assert_same(pyshacl_report(triples), check.check(triples), f"a second {p}")
    typed = [*base, *{(s, TYPE, "<https://example.org/Other>") for s, p, _o in base if p == TYPE}]
    assert_same(pyshacl_report(typed), check.check(typed), "a second rdf:type everywhere")

# ------------------------------------------------------------------------------------------------ the constraints

_NOT_CONSTRAINTS = {SH[n] for n in ("path", "property", "message", "name", "description", "severity", "deactivated",
                                    "order", "group", "defaultValue", "flags", "targetClass", "targetNode",
                                    "targetSubjectsOf", "targetObjectsOf")}


def short(node: Node) -> str:
    return SG.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else "[]"


@dataclass(frozen=True)
class Constraint:
    """One constraint of the shapes file: ``param value`` on ``shape`` itself or on one of its property shapes."""

    shape: Node
    holder: Node  # the shape carrying the parameter: ``shape`` or a property shape of it
    param: URIRef
    value: Node

    @property
    def path(self) -> URIRef | None:
        path = SG.value(self.holder, SH.path)
        return path if isinstance(path, URIRef) else None

    def __str__(self) -> str:
        value = short(self.value) if isinstance(self.value, URIRef) else (
            str(self.value) if isinstance(self.value, Literal) else "list")
        return f"{short(self.shape)}/{short(self.path) if self.path else 'node'}/{short(self.param)}={value}"


def params(shape: Node) -> list[tuple[URIRef, Node]]:
    return sorted((p, o) for p, o in SG.predicate_objects(shape)
                  if isinstance(p, URIRef) and str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS)


def constraints() -> list[Constraint]:
    """Every constraint of every declared shape, read off the shapes graph (members of sh:or lists are broken
    together, through the sh:or that holds them)."""
    shapes = sorted({s for t in (SH.NodeShape, SH.PropertyShape) for s in SG.subjects(RDF.type, t)})
    out = []
    for shape in shapes:
        out += [Constraint(shape, shape, p, o) for p, o in params(shape)]
        for prop in sorted(SG.objects(shape, SH.property)):
            out += [Constraint(shape, prop, p, o) for p, o in params(prop)]
    return out


CONSTRAINTS = constraints()


def test_the_shapes_file_has_constraints() -> None:
    kinds = {c.param for c in CONSTRAINTS}
    assert len(CONSTRAINTS) >= 60
    assert {SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH["class"], SH.pattern, SH["in"], SH.node,
            SH["or"], SH.minInclusive, SH.maxInclusive, SH.minLength} <= kinds


# ------------------------------------------------------------------------------------------------ mutations

def literal_parts(term: str) -> tuple[str, str]:
    """(lexical form as written, the rest: "" / "@lang" / "^^<datatype>")."""
    end = term.rindex('"')
    return term[1:end], term[end + 1:]


class Mutant:
    """A record's triples being mutated."""

    def __init__(self, triples: tuple[Triple, ...]) -> None:
        self.triples = list(triples)
        self.count = 0

    def values(self, s: str, p: str) -> list[str]:
        return list(dict.fromkeys(o for s2, p2, o in self.triples if s2 == s and p2 == p))

    def remove(self, s: str, p: str, o: str | None = None) -> bool:
        before = len(self.triples)
        self.triples = [t for t in self.triples if not (t[0] == s and t[1] == p and (o is None or t[2] == o))]
        return len(self.triples) < before

    def rename(self, old: str, new: str) -> None:
        self.triples = [(new if s == old else s, p, new if o == old else o) for s, p, o in self.triples]

    def fresh(self, stem: str) -> str:
        self.count += 1
        return f"{stem}{self.count}"

    def copy_node(self, node: str) -> str:
        """A new node described as ``node`` is: a second value that passes what the first passes."""
        if node[0] == "<":
            new = f"{node[:-1]}-copy{self.fresh('')}>"
        else:
            new = self.fresh("_:copy")
        self.triples += [(new, p, o) for s, p, o in list(self.triples) if s == node]
        return new


class Slot:
    """Where a node sits: a focus (renamed everywhere) or the object of one triple (replaced in it)."""

    def __init__(self, node: str, holder: tuple[str, str] | None = None) -> None:
        self.node, self.holder = node, holder

    def replace(self, m: Mutant, new: str) -> None:
        if self.holder is None:
            m.rename(self.node, new)
        else:
            s, p = self.holder
            m.triples = [(s2, p2, new if (s2, p2, o) == (s, p, self.node) else o) for s2, p2, o in m.triples]
        self.node = new


def text_of(term: str) -> str:
    if term[0] == '"':
        return literal_parts(term)[0]
    return term[1:-1] if term[0] == "<" else term[2:]


def variant(m: Mutant, v: str) -> str:
    """Another value like ``v``: same kind, datatype and language, a different lexical form or node."""
    if v[0] != '"':
        return m.copy_node(v)
    lexical, rest = literal_parts(v)
    if lexical in ("true", "false"):
        return f'"{"false" if lexical == "true" else "true"}"{rest}'
    if re.fullmatch(r"[0-9]{4}.*", lexical):  # numbers, years and dates stay well-formed
        digits = re.match(r"[0-9]+", lexical)
        assert digits is not None
        return f'"{int(digits.group(0)) + 1}{lexical[digits.end():]}"{rest}'
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", lexical):
        return f'"{lexical}1"{rest}' if "." in lexical else f'"{int(lexical) + 1}"{rest}'
    return f'"{lexical} (copy {m.fresh("")})"{rest}'


def members(head: Node) -> list[Node]:
    return list(Collection(SG, head))  # type: ignore[arg-type]


KIND_TERMS = {'"': '"mutated"', "<": "<urn:rdfgen:mutated>", "_": "_:mutated"}
ALLOWED_FIRSTS = {"IRI": "<", "BlankNode": "_", "Literal": '"', "BlankNodeOrIRI": "<_", "BlankNodeOrLiteral": '_"',
                  "IRIOrLiteral": '<"'}


def break_value(m: Mutant, slot: Slot, param: URIRef, value: Node) -> bool:
    """Make the node at ``slot`` fail ``param value`` as a constraint on that node itself."""
    v = slot.node
    name = str(param).rsplit("#", 1)[-1]
    if name == "nodeKind":
        allowed = ALLOWED_FIRSTS[str(value).rsplit("#", 1)[-1]]
        if slot.holder is None:
            allowed += '"'  # a focus is renamed everywhere, subject positions too: never into a literal
        new = next((term for first, term in KIND_TERMS.items() if first not in allowed), None)
        if new is None:
            return False
        slot.replace(m, new if new[0] != "_" else m.fresh("_:mutated"))
        return True
    if name == "datatype":
        text = text_of(v)
        slot.replace(m, f'"{text}"@en' if value == XSD.string else f'"{text}"')
        return True
    if name == "class":  # the node no longer has the class (a literal never had it)
        m.remove(v, TYPE, nt_term(value))
        return True
    if name == "pattern":
        flags = str(SG.value(SG.value(predicate=SH.pattern, object=value), SH.flags) or "")
        regex = re.compile(str(value), re.I if "i" in flags else 0)
        if v[0] == "<":
            candidates = ["<urn:rdfgen:mutated>", "<http://example.org/mutated>"]
        elif v[0] == '"':
            lexical, rest = literal_parts(v)
            candidates = [f'"{x}"{rest}' for x in (f"x{lexical}", f"{lexical} x", "x", "")]
        else:
            return False
        new = next((c for c in candidates if not regex.search(text_of(c))), None)
        if new is None:
            return False
        slot.replace(m, new)
        return True
    if name in ("minLength", "maxLength"):
        length = int(value)  # type: ignore[call-overload]
        if v[0] != '"' or (name == "minLength" and length == 0):
            return False
        _lexical, rest = literal_parts(v)
        slot.replace(m, f'"{"" if name == "minLength" else "x" * (length + 1)}"{rest}')
        return True
    if name in ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive"):
        assert isinstance(value, Literal)
        step = {"minInclusive": -1, "minExclusive": 0, "maxInclusive": 1, "maxExclusive": 0}[name]
        rest = literal_parts(v)[1] if v[0] == '"' and literal_parts(v)[1].startswith("^^") else \
            f"^^<{value.datatype}>"
        slot.replace(m, f'"{value.value + step}"{rest}')
        return True
    if name == "in":
        listed = members(value)
        slot.replace(m, '"not-in-the-list"' if all(isinstance(x, Literal) for x in listed) else "<urn:not:listed>")
        return True
    if name == "hasValue":
        slot.replace(m, '"not-the-value"' if isinstance(value, Literal) else "<urn:not:the:value>")
        return True
    if name == "node":
        return break_shape(m, slot, value)
    if name == "or":  # every member broken: the value conforms to none
        return all([break_shape(m, slot, member) for member in members(value)])
    if name == "and":
        return break_shape(m, slot, members(value)[0])
    return False


def break_shape(m: Mutant, slot: Slot, shape: Node) -> bool:
    """Make the node at ``slot`` not conform to ``shape``: break the first of its constraints that can be broken."""
    if SG.value(shape, SH.path) is not None:
        holders = [shape]  # a property shape (a member of sh:or, say): its constraints are on the node's values
    else:
        holders = [shape, *sorted(SG.objects(shape, SH.property))]
    for holder in holders:
        for param, value in params(holder):
            if break_constraint(m, slot, holder, param, value):
                return True
    return False


def break_constraint(m: Mutant, slot: Slot, holder: Node, param: URIRef, value: Node) -> bool:
    """``holder`` is a node shape (the constraint is on the slot's node) or a property shape (on its values)."""
    path = SG.value(holder, SH.path)
    if path is None:
        return break_value(m, slot, param, value)
    focus, pred = slot.node, nt_term(path)
    values = m.values(focus, pred)
    if param == SH.minCount:
        m.remove(focus, pred)
        return int(value) > 0  # type: ignore[call-overload]
    if not values:
        return False
    if param == SH.maxCount:
        for _ in range(int(value) + 1 - len(values)):  # type: ignore[call-overload]
            m.triples.append((focus, pred, variant(m, values[0])))
        return True
    return break_value(m, Slot(values[0], (focus, pred)), param, value)


def focus_nodes(triples: tuple[Triple, ...], shape: Node) -> list[str]:
    """The shape's focus nodes by its targets, or the values that reach it through sh:node (a plain reading)."""
    found: list[str] = []
    for cls in SG.objects(shape, SH.targetClass):
        found += [s for s, p, o in triples if p == TYPE and o == nt_term(cls)]
    for pred in SG.objects(shape, SH.targetSubjectsOf):
        found += [s for s, p, _o in triples if p == nt_term(pred)]
    for pred in SG.objects(shape, SH.targetObjectsOf):
        found += [o for _s, p, o in triples if p == nt_term(pred)]
    for prop in SG.subjects(SH.node, shape):
        path = nt_term(SG.value(prop, SH.path))
        for owner in SG.subjects(SH.property, prop):
            for f in focus_nodes(triples, owner):
                found += [o for s, p, o in triples if s == f and p == path]
    return list(dict.fromkeys(found))


@dataclass
class Mutation:
    record: Fixture
    triples: list[Triple]
    expected: tuple[str, str]  # the (focus, path) pySHACL must report


def mutate(c: Constraint) -> Mutation | None:
    """The smallest record with a focus node where the constraint can be broken, broken there."""
    for record in all_records():
        for focus in focus_nodes(record.triples, c.shape):
            m, slot = Mutant(record.triples), Slot(focus)
            if break_constraint(m, slot, c.holder, c.param, c.value) and m.triples != list(record.triples):
                node = slot.node  # the focus itself, unless the mutation renamed it
                label = str(URIRef(node[1:-1])) if node[0] == "<" else "_:b"
                return Mutation(record, m.triples, (label, short(c.path) if c.path else ""))
    return None


@pytest.mark.parametrize("constraint", CONSTRAINTS, ids=str)
def test_each_constraint_broken_alone_is_refused_alike(constraint: Constraint, check: ShapesCheck) -> None:
    mutation = mutate(constraint)
    if mutation is None:
        pytest.fail(f"no mutation breaks {constraint}: no fixture record has a focus node for it, or the test has "
                    f"no way to break sh:{constraint.param.rsplit('#', 1)[-1]} yet (add one to break_value)")
    reference = pyshacl_report(mutation.triples)
    compiled = check.check(mutation.triples)
    assert not reference.conforms, f"{constraint}: pySHACL accepts the mutation of {mutation.record.name}"
    assert mutation.expected in pairs(reference), (mutation.expected, sorted(pairs(reference)))
    assert_same(reference, compiled, f"{constraint} broken in {mutation.record.name}")


# ------------------------------------------------------------------------------------------------ random mutations

RANDOM_BASE = "xml/biopython_pubmed1.xml"
TYPED = ["", "@en", f"^^<{XSD.string}>", f"^^<{XSD.integer}>", f"^^<{XSD.decimal}>", f"^^<{XSD.boolean}>",
         f"^^<{XSD.date}>", f"^^<{XSD.gYear}>", f"^^<{XSD.gYearMonth}>", f"^^<{XSD.double}>"]
LEXICAL = st.one_of(
    st.sampled_from(["", " ", "0", "-1", "1", "01", "+2", "0.5", "1.5", "1e3", "true", "false", "yes", "2020",
                     "2020-02", "2020-02-30", "2020-13", "10.1000/x", "10.1000/x y", "12345", "012", "label",
                     "entry-term", "approximate", "x\ny", 'quo"te', "back\\slash", "é"]),
    st.text(alphabet="0123456789-./ aZ", max_size=10))


def nt_literal(lexical: str, rest: str) -> str:
    return nt_term(Literal(lexical)) + rest  # the writer's escapes, then the language or datatype


CONSTRAINED = {nt_term(p) for p in SG.objects(None, SH.path)} | {TYPE}


@st.composite
def random_mutations(draw: st.DrawFn) -> list[Triple]:
    """Up to three edits of one record: a triple deleted or a literal rewritten, mostly where the shapes look."""
    triples = list(fixtures()[RANDOM_BASE][0].triples)
    for _ in range(draw(st.integers(1, 3))):
        delete = draw(st.booleans())
        candidates = [i for i, t in enumerate(triples) if delete or t[2][0] == '"']
        if draw(st.booleans()):
            candidates = [i for i in candidates if triples[i][1] in CONSTRAINED] or candidates
        i = draw(st.sampled_from(candidates))
        if delete:
            del triples[i]
        else:
            s, p, _o = triples[i]
            triples[i] = (s, p, nt_literal(draw(LEXICAL), draw(st.sampled_from(TYPED))))
    return triples


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(random_mutations())
def test_random_mutations_are_refused_alike(triples: list[Triple]) -> None:
    assert_same(pyshacl_report(triples), compile_shapes().check(triples), "random mutation")


TRICKY = ["", " ", "0", "-1", "1", "01", "+2", "0.5", "1.5", "1e3", "true", "false", "yes", "2020", "2020-02",
          "2020-02-30", "2020-13", "2020-02-03", "10.1000/x", "10.1000/x y", "012", "label", "approximate", "x\ny",
          'quo"te', "back\\slash", "\u00a0", "\uff12"]


def test_tricky_literals_are_judged_alike(check: ShapesCheck) -> None:
    """Every constrained literal of a record, in copies of its node, set to lexical forms where rdflib and pySHACL
    have opinions of their own (ill-typed values, normalised lexical forms, escapes, other datatypes, languages)."""
    base = fixtures()["medline/dreamytang_pubmed_result.txt"][0].triples
    keep = {TYPE, "<http://www.w3.org/ns/prov#wasDerivedFrom>", "<https://schema.org/identifier>"}
    slots: dict[str, tuple[str, str]] = {}
    for s, p, o in base:
        if p in CONSTRAINED and o[0] == '"':
            slots.setdefault(p, (s, o))
    zoo = list(base)
    for p, (s, o) in slots.items():
        own = [(p2, o2) for s2, p2, o2 in base if s2 == s and p2 != p and (o2[0] == '"' or p2 in keep)
               and p2 in CONSTRAINED | keep]
        written = literal_parts(o)[1]
        for lexical in TRICKY:
            for rest in (written, "" if written else "@en"):  # the datatype or language it had, and another
                copy = f"{s[:-1]}/copy{len(zoo)}>"
                zoo += [(copy, p2, o2) for p2, o2 in own] + [(copy, p, nt_literal(lexical, rest))]
    assert len(slots) >= 15
    assert_same(pyshacl_report(zoo), check.check(zoo), "tricky literals")


# ------------------------------------------------------------------------------------------------ the compiler

def shapes_with(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(SHAPES_FILE.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize("extra, feature", [
    ("shapes:Closed a sh:NodeShape ; sh:targetClass schema:Person ; sh:closed true .", "sh:closed"),
    ("shapes:Inverse a sh:NodeShape ; sh:targetClass schema:Person ;\n"
     "    sh:property [ sh:path [ sh:inversePath schema:author ] ; sh:minCount 1 ] .", "non-predicate path"),
    ("shapes:Sparql a sh:NodeShape ; sh:targetClass schema:Person ;\n"
     "    sh:sparql [ sh:select \"SELECT $this WHERE { }\" ] .", "sh:sparql"),
    ("shapes:Pair a sh:NodeShape ; sh:targetClass schema:Person ;\n"
     "    sh:property [ sh:path schema:name ; sh:equals schema:alternateName ] .", "sh:equals"),
    ("shapes:Ours a sh:ConstraintComponent ; sh:parameter [ sh:path shapes:even ] ;\n"
     "    sh:validator [ a sh:SPARQLAskValidator ; sh:ask \"ASK { }\" ] .", "sh:parameter"),
])
def test_unsupported_shacl_does_not_compile(tmp_path: Path, extra: str, feature: str) -> None:
    with pytest.raises(UnsupportedShapes, match=re.escape(feature)):
        compile_shapes(shapes_with(tmp_path, extra))


def test_a_new_constraint_is_enforced_without_code_changes(tmp_path: Path) -> None:
    """A rule of a supported kind added to the shapes file is checked as pySHACL checks it."""
    path = shapes_with(tmp_path, "shapes:ShortNames a sh:NodeShape ; sh:targetClass schema:Person ;\n"
                                 "    sh:property [ sh:path schema:familyName ; sh:maxLength 5 ] .")
    record = fixtures()[RANDOM_BASE][0]
    conforms, results, _text = pyshacl_validate(Graph().parse(data="".join(f"{s} {p} {o} .\n" for s, p, o in
                                                                        record.triples), format="nt"),
                                                shacl_graph=Graph().parse(path), inference="none", advanced=True,
                                                allow_warnings=True)
    report = compile_shapes(path).check(record.triples)
    assert not conforms and not report.conforms
    expected = {str(results.value(r, SH.focusNode)) for r in results.subjects(SH.resultPath, None)}
    assert {v.focus for v in report.violations if v.path == "schema:familyName"} == expected


def test_the_default_is_compiled_once() -> None:
    assert compile_shapes() is compile_shapes(SHAPES_FILE)


# ------------------------------------------------------------------------------ the fast tier's C twin

def _fast_both(check: ShapesCheck, triples: list[Triple]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Every shape (targeted or not) on every term of the triples, by the C fast tier and by the generated Python:
    the (shape, term) pairs each does not pass."""
    idx = shapes_check.index_py(list(triples), check.predicates)
    terms = dict.fromkeys(t for triple in triples for t in (triple[0], triple[2]))
    shapes = list(check.shapes)
    native = shapes_check._native_fast(list(triples), check.predicates, check._programs,
                                       tuple(s.number for s in shapes), [terms] * len(shapes), shapes_check.RDF_TYPE,
                                       shapes_check._plain_text)
    return native, shapes_check.fast_failures_py(shapes, [terms] * len(shapes), idx)


def _check_both(check: ShapesCheck, triples: list[Triple]) -> tuple[list[tuple[int, str]] | None,
                                                                     list[tuple[int, str]] | None]:
    """What the C check's fast tier does not pass on a record (its index, focus nodes and tests all in C), and
    what the Python index, targets and generated functions do not: None both when the record says
    rdfs:subClassOf."""
    native = shapes_check._native_check(list(triples), check.predicates, check._programs, check._numbers,
                                        check._by_class, check._subject_targets, check._object_targets,
                                        check._target_nodes, shapes_check.RDF_TYPE, shapes_check.RDFS_SUBCLASS,
                                        shapes_check._plain_text)
    idx = shapes_check.index_py(list(triples), check.predicates)
    foci, subclassing = shapes_check.targets_py(idx, check._by_class, check._subject_targets, check._object_targets,
                                                len(check._targeted), shapes_check.RDF_TYPE,
                                                shapes_check.RDFS_SUBCLASS)
    if subclassing:
        return native, None
    for n, node in check._target_nodes:
        foci[n][node] = None
    return native, shapes_check.fast_failures_py(check._targeted, foci, idx)


native_fast = pytest.mark.skipif(shapes_check._native_fast is None, reason="rdfgen._native was not built")


@native_fast
def test_the_fast_tier_in_c_is_the_generated_python_on_every_record_and_mutation(check: ShapesCheck) -> None:
    """Every fixture record, and the record of each constraint broken alone: the same verdict for every shape on
    every node (the failures the exact tier then decides, so a C test that passed what Python refuses would show)."""
    cases = [list(r.triples) for r in all_records()]
    cases += [m.triples for c in CONSTRAINTS if (m := mutate(c)) is not None]
    failing = refused = 0
    for triples in cases:
        native, python = _fast_both(check, triples)
        assert native == python
        failing += len(python)
        native_check, python_check = _check_both(check, triples)
        assert native_check == python_check
        refused += len(python_check or ())
    assert failing > 1000 and refused > 50  # the cases reach the tests that fail, not only those that pass


@native_fast
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(random_mutations())
def test_the_fast_tier_in_c_is_the_generated_python_on_random_mutations(triples: list[Triple]) -> None:
    native, python = _fast_both(compile_shapes(), triples)
    assert native == python
    assert _check_both(compile_shapes(), triples)[0] == _check_both(compile_shapes(), triples)[1]


ESCAPED = ["10.1000/x\ty", "x\ty", "\t", "\\", 'a"b', "é\t", "10.1000/\u00e9"]
"""Texts whose N-Triples terms hold escapes: a test that read the term's text without unescaping it would differ."""


@native_fast
def test_the_fast_tier_in_c_is_the_generated_python_on_tricky_literals(check: ShapesCheck) -> None:
    base = fixtures()["medline/dreamytang_pubmed_result.txt"][0].triples
    zoo = list(base)
    for s, p, o in base:
        if p in CONSTRAINED and o[0] == '"':
            for lexical in TRICKY + ESCAPED:
                for rest in TYPED:
                    zoo.append((s, p, nt_literal(lexical, rest)))
                    zoo.append((f"{s[:-1]}/copy{len(zoo)}>", p, nt_literal(lexical, rest)))
    native, python = _fast_both(check, zoo)
    assert native == python
    native_check, python_check = _check_both(check, zoo)
    assert native_check == python_check and python_check


SYNTHETIC = """
shapes:AllOf a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:and ( [ sh:property [ sh:path schema:name ; sh:minCount 1 ] ]
             [ sh:property [ sh:path schema:familyName ; sh:maxLength 5 ; sh:pattern "^[A-Z]" ] ] ) .
shapes:NoneOf a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:not [ sh:property [ sh:path schema:givenName ; sh:minCount 1 ] ] .
shapes:OneOf a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:xone ( [ sh:property [ sh:path schema:name ; sh:minCount 1 ] ] [ sh:nodeKind sh:BlankNode ] ) .
shapes:Counted a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:property [ sh:path schema:alternateName ; sh:maxCount 0 ] ;
    sh:property [ sh:path schema:honorificSuffix ; sh:minCount 2 ] ;
    sh:property [ sh:path schema:additionalName ; sh:hasValue "Q" ; sh:in ( "Q" "R" ) ; sh:minLength 1 ] .
"""


@native_fast
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["<urn:p1>", "<urn:p2>", "_:b1"]),
                          st.sampled_from(["<https://schema.org/name>", "<https://schema.org/familyName>",
                                           "<https://schema.org/givenName>", "<https://schema.org/alternateName>",
                                           "<https://schema.org/honorificSuffix>",
                                           "<https://schema.org/additionalName>"]),
                          st.sampled_from(['"Q"', '"R"', '"S"', '"Smith"', '"smith"', '"Smithson"', '""', '"A\\tb"',
                                           '"Q"@en', "<urn:x>"])), max_size=14))
def test_the_fast_tier_in_c_is_the_generated_python_on_logic_and_counts(tmp_path: Path,
                                                                     triples: list[Triple]) -> None:
    """Shapes the default file lacks (sh:and, sh:not, sh:xone, maxCount 0, minCount 2, hasValue, sh:in) on
    generated people: the same verdicts."""
    check = compile_shapes(shapes_with(tmp_path, SYNTHETIC))
    people = [(s, TYPE, "<https://schema.org/Person>") for s in ("<urn:p1>", "<urn:p2>", "_:b1")]
    native, python = _fast_both(check, people + triples)
    assert native == python
    native_check, python_check = _check_both(check, people + triples)
    assert native_check == python_check


TARGETS = """
shapes:ByNode a sh:NodeShape ; sh:targetNode <urn:p2>, <urn:nobody> ;
    sh:property [ sh:path schema:name ; sh:minCount 1 ] .
shapes:BySubject a sh:NodeShape ; sh:targetSubjectsOf schema:familyName ; sh:nodeKind sh:IRI .
shapes:ByObject a sh:NodeShape ; sh:targetObjectsOf schema:knows ; sh:nodeKind sh:IRI ;
    sh:property [ sh:path schema:name ; sh:minCount 1 ] .
"""


@native_fast
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["<urn:p1>", "<urn:p2>", "_:b1", "<urn:p1>"]),
                          st.sampled_from(["<https://schema.org/name>", "<https://schema.org/familyName>",
                                           "<https://schema.org/knows>", TYPE,
                                           "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"]),
                          st.sampled_from(['"Q"', '"Smith"', "<urn:p1>", "<urn:p2>", "_:b1", '"x"@en',
                                           "<https://schema.org/Person>", "<https://schema.org/Organization>"])),
                max_size=16))
def test_the_c_check_finds_the_focus_nodes_python_finds(tmp_path: Path, triples: list[Triple]) -> None:
    """Class, subjects-of, objects-of and node targets, repeated and reordered statements, a subject written in two
    objects, and rdfs:subClassOf (the C check then leaves the record to Python): the same failures in the same
    order."""
    check = compile_shapes(shapes_with(tmp_path, TARGETS))
    copied = [(s[:1] + s[1:], p, o) for s, p, o in triples]  # equal subjects that are other str objects
    native, python = _check_both(check, triples + copied)
    assert native == python
