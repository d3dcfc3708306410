"""SHACL validation compiled from ``ontology/shapes.ttl``: the check every published record gets on the fast path.

Why: the fast path has 2 ms of CPU an article for everything, and validation as the build does it today costs
~30 ms a record with pySHACL (CPU, fixture records; ~12 ms a record validating 100 at once) and ~4.5 ms a record with
pyrudof (Rust) in batches of 100 N-Triples records, more in bigger ones. This check costs ~0.25 ms per 1,000 triples.
The shapes file stays the one source of the rules: :func:`compile_shapes` reads it with rdflib once and turns every
shape into Python checks, so a new constraint of a supported kind is enforced without code changes, and a SHACL
feature the compiler does not know makes compilation fail with :class:`UnsupportedShapes` naming it: no rule of the
file is ever skipped in silence.

Input is what the mapping emits on the fast path: triples of pre-rendered N-Triples terms (``<iri>``, ``_:label``,
``"lexical"``, ``"lexical"@lang``, ``"lexical"^^<datatype>``). Terms are compared as written, so a term is expected
in the one spelling :func:`rdfgen.serialize.ntriples.nt_term` gives it (IRIs without ``\\u`` escapes).

Two tiers, so that the answer is pySHACL's and the cost is a few dictionary look-ups a triple:

* the *fast* tier is Python code generated from the shapes, one function per shape, on the term strings. It only
  ever answers "this focus node conforms for sure"; anything unusual it leaves to
* the *exact* tier, which turns the values into rdflib terms and repeats pySHACL's own tests (rdflib's ill-typed
  literals and lexical normalisation, its literal comparisons, sh:detail results under sh:node), so the
  violations, focus nodes, paths and messages are those :func:`rdfgen.publish.validate.validate_graph` reports
  for the same triples. tests/test_shapes_check.py holds the two to that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from rdfgen.errors import RdfgenError
from rdfgen.publish.validate import Report, Violation
from rdfgen.resources import ontology_path

__all__ = ["ShapesCheck", "UnsupportedShapes", "compile_shapes"]

SH_NS = "http://www.w3.org/ns/shacl#"
RDF_TYPE = f"<{RDF.type}>"
RDFS_SUBCLASS = f"<{RDFS.subClassOf}>"


def _sh(name: str) -> URIRef:
    return URIRef(SH_NS + name)


class UnsupportedShapes(RdfgenError):  # noqa: N818  (the rdfgen errors are named after what went wrong)
    """The shapes file uses SHACL the compiled check cannot enforce: validate with pySHACL, or teach shapes_check."""


# Predicates a shape may carry. Everything else in the sh: namespace (sh:closed, sh:equals, sh:sparql, sh:rule,
# non-predicate paths...) refuses to compile, so that no rule of the shapes file is ever dropped without a word.
_ANNOTATIONS = frozenset(_sh(n) for n in ("name", "description", "order", "group", "defaultValue", "message",
                                          "severity", "deactivated"))
_TARGETS = frozenset(_sh(n) for n in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"))
_PARAMETERS = frozenset(_sh(n) for n in (
    "path", "minCount", "maxCount", "nodeKind", "datatype", "class", "pattern", "flags", "minLength", "maxLength",
    "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "in", "hasValue", "node", "property", "or", "and",
    "not", "xone"))
_SUPPORTED = _ANNOTATIONS | _TARGETS | _PARAMETERS
_SHAPE_TYPES = (_sh("NodeShape"), _sh("PropertyShape"))
_NODE_KINDS = {  # sh:nodeKind -> the first characters of the N-Triples terms it admits
    _sh("IRI"): ("<",), _sh("BlankNode"): ("_",), _sh("Literal"): ('"',),
    _sh("BlankNodeOrIRI"): ("<", "_"), _sh("BlankNodeOrLiteral"): ("_", '"'), _sh("IRIOrLiteral"): ("<", '"'),
}
_SEVERITIES = {_sh("Violation"): "Violation", _sh("Warning"): "Warning", _sh("Info"): "Info"}
_ALLOWED_SEVERITIES = ("Warning", "Info")  # validate.py runs pySHACL with allow_warnings: these still conform

# The fast tier's tests as data for its C twin (rdfgen._native.fast_failures): each constraint's ``op()`` says in a
# tuple what its ``emit()`` says in Python lines, opcode first. The numbers are the C file's enum Op.
OP_FALSE, OP_FIRST_IN, OP_LAST_QUOTE, OP_FIRST_QUOTE, OP_TYPED, OP_CLASS, OP_PATTERN, OP_MIN_LENGTH, OP_MAX_LENGTH, \
    OP_RANGE, OP_IN, OP_NODE, OP_OR, OP_AND = range(14)
Op = tuple[Any, ...]

# The triples by subject and predicate. A single value is the term itself, more are a list of terms: most
# (subject, predicate) pairs of a record have one value, and a string, unlike a list, is no object for the garbage
# collector to track (a record's ~600 lists used to cost a collection or more a check).
Values = str | list[str]
Index = dict[str, dict[str, Values]]


def _each(values: Values | None) -> list[str] | tuple[str, ...]:
    """The terms of an index entry, as a sequence."""
    if values is None:
        return ()
    return (values,) if values.__class__ is str else values  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------------- N-Triples terms

_UNESCAPE_RE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))', re.DOTALL)
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    """N-Triples ECHAR and UCHAR escapes undone (only called on text holding a backslash)."""
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        if code:
            return chr(int(code, 16))
        return _SIMPLE_ESCAPES.get(m.group(3), m.group(0))
    return _UNESCAPE_RE.sub(one, text)


def _literal_parts(term: str) -> tuple[str, str | None, str | None]:
    """``(lexical form, language, datatype IRI)`` of an N-Triples literal."""
    end = term.rindex('"')
    lexical = term[1:end]
    if "\\" in lexical:
        lexical = _unescape(lexical)
    tail = term[end + 1:]
    if tail.startswith("@"):
        return lexical, tail[1:], None
    if tail.startswith("^^<"):
        return lexical, None, tail[3:-1]
    return lexical, None, None


@lru_cache(maxsize=1 << 12)
def _term(term: str) -> Node:
    """The rdflib term the N-Triples term stands for, as rdflib's parser would build it: literals go through
    rdflib's Literal so that its normalisation and ill-typed flags are pySHACL's."""
    first = term[0]
    if first == "<":
        iri = term[1:-1]
        return URIRef(_unescape(iri) if "\\" in iri else iri)
    if first == "_":
        return BNode(term[2:])
    if first == '"':
        lexical, lang, datatype = _literal_parts(term)
        return Literal(lexical, lang=lang, datatype=URIRef(datatype) if datatype else None)
    raise ValueError(f"not an N-Triples term: {term!r}")


def _nt(node: Node) -> str:
    """An rdflib term of the shapes graph as the N-Triples term the data would spell it with."""
    from rdfgen.serialize.ntriples import nt_term

    return nt_term(node)


def _plain_text(term: str) -> str | None:
    """The string pySHACL's string constraints see for a plain or language-tagged literal or an IRI; None for the
    rest (typed literals: rdflib may normalise them; blank nodes), which the exact tier decides."""
    first = term[0]
    if first == '"':
        if term[-1] == '"':
            text = term[1:-1]
        else:
            end = term.rindex('"')
            if term[end + 1] != "@":
                return None
            text = term[1:end]
        return _unescape(text) if "\\" in text else text
    if first == "<":
        text = term[1:-1]
        return None if "\\" in text else text
    return None


# ------------------------------------------------------------------------------------- pySHACL's semantics, on rdflib

def _value_string(v: Node) -> str:
    """pySHACL's StringBasedConstraintBase.value_node_to_string."""
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def _datatype_matches(v: Node, rule: URIRef) -> bool:
    """pySHACL's DatatypeConstraintComponent: the datatype IRI and, for datatypes rdflib knows, a well-typed value."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == rule:
        if getattr(v, "ill_typed", None) is True:
            return False
        return _actual_datatype(v, rule)
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and rule == XSD.string:
        return _actual_datatype(v, rule)
    if rule == RDF.langString and v.language:
        return _actual_datatype(v, rule)
    return False


_PYTHON_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
    XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}


def _actual_datatype(v: Literal, rule: URIRef) -> bool:
    """pySHACL's _assert_actual_datatype: rdflib's Python value has the type the datatype maps to."""
    kind = _PYTHON_TYPES.get(rule)
    return True if kind is None else isinstance(v.value, kind)


def _compare_literal(a: Literal, b: Literal) -> int:
    """pySHACL's rdfutil.compare.compare_literal."""
    if a.eq(b):
        return 0
    if a.value.__class__ in (datetime, time):
        if a.value == b.value:
            return 0
        if a.value > b.value:
            return 1
    elif a > b:
        return 1
    return -1


_RANGE_OPS: dict[str, Callable[[int], bool]] = {
    "minInclusive": lambda c: c >= 0, "minExclusive": lambda c: c > 0,
    "maxInclusive": lambda c: c <= 0, "maxExclusive": lambda c: c < 0,
}
_RANGE_WORDS = {"minInclusive": ">=", "minExclusive": ">", "maxInclusive": "<=", "maxExclusive": "<"}


def _in_range(v: Node, bound: Literal, op: Callable[[int], bool]) -> bool:
    """pySHACL's value range components: literals only, strings only against strings, rdflib's comparison."""
    if not isinstance(v, Literal):
        return False
    if isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        return op(_compare_literal(v, bound))
    except (TypeError, NotImplementedError):
        return False


# ---------------------------------------------------------------------------------------------------- constraints

class _Ctx:
    """One check: the triples indexed by subject, and what the exact tier worked out about them."""

    __slots__ = ("idx", "memo", "supers")

    def __init__(self, idx: Index) -> None:
        self.idx = idx
        self.memo: dict[tuple[int, str], list[_Result]] = {}
        self.supers: dict[str, set[str]] = {}

    def values(self, focus: str, pred: str) -> list[tuple[str, Node]]:
        """The distinct value nodes, as pySHACL's graph holds them (rdflib may merge two spellings of a literal)."""
        seen: dict[Node, str] = {}
        for raw in _each(self.idx.get(focus, {}).get(pred)):
            seen.setdefault(_term(raw), raw)
        return [(raw, node) for node, raw in seen.items()]

    def has_class(self, raw: str, cls: str) -> bool:
        """pySHACL: an rdf:type of the node is the class or a subclass of it by the data graph's rdfs:subClassOf."""
        for t in _each(self.idx.get(raw, {}).get(RDF_TYPE)):
            if t == cls or cls in self.superclasses(t):
                return True
        return False

    def superclasses(self, cls: str) -> set[str]:
        found = self.supers.get(cls)
        if found is None:
            found, todo = set(), [cls]
            while todo:
                for sup in _each(self.idx.get(todo.pop(), {}).get(RDFS_SUBCLASS)):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self.supers[cls] = found
        return found


class _Result:
    """A validation result before it becomes a Violation; ``detail`` marks pySHACL's sh:detail results."""

    __slots__ = ("detail", "focus", "message", "path", "severity")

    def __init__(self, focus: str, path: str, message: str, severity: str, detail: bool = False) -> None:
        self.focus, self.path, self.message, self.severity, self.detail = focus, path, message, severity, detail

    def as_detail(self) -> _Result:
        return _Result(self.focus, self.path, self.message, self.severity, True)


class _Constraint:
    """One constraint on a shape's value nodes: pySHACL's test (``exact``) and the fast tier's code (``emit``).

    ``emit(var, gen)`` returns Python lines that ``return False`` unless the N-Triples term in ``var`` surely passes;
    they may give up (return False) on anything unusual, the exact tier then decides."""

    __slots__ = ("component",)
    component: str

    def emit(self, var: str, gen: _FastGen) -> list[str]:
        return ["return False"]

    def ops(self) -> list[Op]:
        """The tests of ``emit`` as data, for the C twin of the fast tier."""
        return [(OP_FALSE,)]

    def exact(self, raw: str, v: Node, ctx: _Ctx) -> bool:  # pragma: no cover - every constraint overrides it
        raise NotImplementedError

    def message(self, raw: str, v: Node) -> str:  # pragma: no cover - every constraint overrides it
        raise NotImplementedError


class _NodeKind(_Constraint):
    __slots__ = ("firsts", "kind")

    def __init__(self, kind: URIRef, sg: Graph) -> None:
        self.component, self.firsts, self.kind = "NodeKind", _NODE_KINDS[kind], _qname(sg, kind)

    def emit(self, var: str, gen: _FastGen) -> list[str]:
        if len(self.firsts) == 1:
            return [f"if {var}[0] != {self.firsts[0]!r}: return False"]
        return [f"if {var}[0] not in {self.firsts!r}: return False"]

    def ops(self) -> list[Op]:
        return [(OP_FIRST_IN, "".join(self.firsts))]

    def exact(self, raw: str, v: Node, ctx: _Ctx) -> bool:
        return raw[0] in self.firsts

    def message(self, raw: str, v: Node) -> str:
        return f"Value is not of Node Kind {self.kind}"


class _Datatype(_Constraint):
    __slots__ = ("cache", "label", "rule", "suffix")

    def __init__(self, rule: URIRef, sg: Graph) -> None:
        self.component, self.rule, self.label = "Datatype", rule, _qname(sg, rule)
        self.suffix = f'"^^<{rule}>'
        self.cache: dict[str, bool] = {}

    def emit(self, var: str, gen: _FastGen) -> list[str]:
        if self.rule == XSD.string:  # a plain literal: rdflib gives it a str value, all that pySHACL asks
            return [f"if {var}[-1] != '\"': return False"]
        if self.rule == RDFS.Literal:
            return [f"if {var}[0] != '\"': return False"]
        return [f"if not {var}.endswith({self.suffix!r}) or not {gen.const(self.typed)}({var}): return False"]

    def ops(self) -> list[Op]:
        if self.rule == XSD.string:
            return [(OP_LAST_QUOTE,)]
        if self.rule == RDFS.Literal:
            return [(OP_FIRST_QUOTE,)]
        return [(OP_TYPED, self.suffix, self.cache, self.typed)]

    def typed(self, v: str) -> bool:
        """A literal of the rule's datatype: well-typed as rdflib sees it; remembered, values recur."""
        known = self.cache.get(v)
        if known is None:
            if len(self.cache) > 100_000:
                self.cache.clear()
            known = self.cache[v] = _datatype_matches(_term(v), self.rule)
        return known

    def exact(self, raw: str, v: Node, ctx: _Ctx) -> bool:
        return _datatype_matches(v, self.rule)

    def message(self, raw: str, v: Node) -> str:
        return f"Value is not Literal with datatype {self.label}"


class _Class(_Constraint):
    __slots__ = ("cls", "label")

    def __init__(self, cls: URIRef, sg: Graph) -> None:
        self.component, self.cls, self.label = "Class", _nt(cls), _qname(sg, cls)

    def emit(self, var: str, gen: _FastGen) -> list[str]:
        return [f"_d = idx.get({var})",
                "if _d is None: return False",
                f"_ts = _d.get({RDF_TYPE!r})",
                f"if _ts is None or (_ts != {self.cls!r} if _ts.__class__ is str else {self.cls!r} not in _ts): "
                "return False"]

    def ops(self) -> list[Op]:
        return [(OP_CLASS, self.cls)]

    def exact(self, raw: str, v: Node, ctx: _Ctx) -> bool:
        return not isinstance(v, Literal) and ctx.has_class(raw, self.cls)

    def message(self, raw: str, v: Node) -> str:
        return f"Value does not have class {self.label}"


class _Pattern(_Constraint):
    __slots__ = ("regex", "source")

    def __init__(self, pattern: Literal, flags: Literal | None) -> None:
        # pySHACL compiles with Python's re and honours only the i and m flags.
        re_flags = 0
        if flags is not None:
            given = str(flags.value).lower()
            re_flags |= re.I if "i" in given else 0
            re_flags |= re.M if "m" in given else 0
        self.component, self.source = "Pattern", str(pattern.value)
        self.regex = re.compile(self.source, re_flags)

    def emit(self, var: str, gen: _FastGen) -> list[str]:
        return [_text(var), f"if _t is None or {gen.const(self.regex.search)}(_t) is None: return False"]

    def ops(self) -> list[Op]:
        return [(OP_PATTERN, self.regex.search)]

    def exact(self, raw: str, v: Node, ctx: _Ctx) -> bool:
        return not isinstance(v, BNode) and self.regex.search(_value_string(v)) is not None

    def message(self, raw: str, v: Node) -> str:
        return f"Value does not match pattern '{self.source}'"


def _text(var: str) -> str:
    """Generated code for _plain_text, with the common cases inline: a plain literal or an IRI without escapes is
    the term without its first and last character."""
    return f"_t = {var}[1:-1] if ({var}[-1] == '\"' or {var}[0] == '<') and '\\\\' not in {var} else _plain({var})"


class _Length(_Constraint):
    __slots__ = ("bound", "is_min", "label")

    def __init__(self, bound: int, is_min: bool, label: str) -> None:
        self.component = "MinLength" if is_min else "MaxLength"
        self.bound, self.is_min, self.label = bound, is_min, label

    def emit(self, var: str, gen: _FastGen) -> list[str]:
        if self.is_min and self.bound == 0:
            return []
        op = "<" if self.is_min else ">"
        return [_text(var), f"if _t is None or len(_t) {op} {self.bound}: return False"]

    def ops(self) -> list[Op]:
        if self.is_min and self.bound == 0:
            return []
        return [(OP_MIN_LENGTH if self.is_min else OP_MAX_LENGTH, self.bound)]

    def exact(self, raw: str, v: Node, ctx: _Ctx) -> bool:
        if self.is_min and self.bound == 0:
            return True
        if isinstance(v, BNode):
            return False
        n = len(_value_string(v))
        return n >= self.bound if self.is_min else n <= self.bound

    def message(self, raw: str, v: Node) -> str:
        return f"String length not {'>=' if self.is_min else '<='} {self.label}"


_INTEGER_RE = re.compile(r'"([+-]?[0-9]+)"\^\^<http://www\.w3\.org/2001/XMLSchema#integer>')
_DECIMAL_RE = re.compile(r'"([+-]?[0-9]+(?:\.[0-9]+)?)"\^\^<http://www\.w3\.org/2001/XMLSchema#decimal>')


class _Range(_Constraint):
    __slots__ = ("bound", "cache", "kind", "number", "op")

    def __init__(self, kind: str, bound: Literal) -> None:
        self.component, self.kind, self.bound, self.op = kind[0].upper() + kind[1:], kind, bound, _RANGE_OPS[kind]
        # Integers and decimals against an integer or decimal bound are compared here: rdflib compares the same
        # Python numbers. Anything else asks rdflib (and is remembered).
        number = bound.value
        numeric = bound.datatype in (XSD.integer, XSD.decimal) and isinstance(number, int | Decimal)
        self.number: int | Decimal | None = number if numeric else None
        self.cache: dict[str, bool] = {}

    def emit(self, var: str, gen: _FastGen) -> list[str]:
        return [f"if not {gen.const(self.holds)}({var}): return False"]

    def ops(self) -> list[Op]:
        return [(OP_RANGE, self.cache, self.holds)]

    def holds(self, v: str) -> bool:
        """Remembered per term: positions and scores recur from record to record."""
        known = self.cache.get(v)
        if known is None:
            if len(self.cache) > 100_000:
                self.cache.clear()
            known = self.cache[v] = self._holds(v)
        return known

    def _holds(self, v: str) -> bool:
        number = self.number
        if number is not None:
            m = _INTEGER_RE.fullmatch(v) or _DECIMAL_RE.fullmatch(v)
            if m is not None:
                value = Decimal(m.group(1))
                return self.op(0 if value == number else 1 if value > number else -1)
        return _in_range(_term(v), self.bound, self.op)

    def exact(self, raw: str, v: Node, ctx: _Ctx) -> bool:
        return _in_range(v, self.bound, self.op)

    def message(self, raw: str, v: Node) -> str:
        return f"Value is not {_RANGE_WORDS[self.kind]} {_literal_label(self.bound)}"


class _In(_Constraint):
    __slots__ = ("labels", "strings", "terms")

    def __init__(self, members: list[Node], sg: Graph) -> None:
        self.component = "In"
        self.terms = frozenset(members)
        self.strings = frozenset(_nt(m) for m in members)
        # pySHACL prints the members in the order of a set it fills in list order; the same set here has it.
        in_vals: set[Node] = set()
        for m in members:
            in_vals.add(m)
        self.labels = [_shape_label(sg, m) for m in in_vals]

    def emit(self, var: str, gen: _FastGen) -> list[str]:
        return [f"if {var} not in {gen.const(self.strings)}: return False"]

    def ops(self) -> list[Op]:
        return [(OP_IN, self.strings)]

    def exact(self, raw: str, v: Node, ctx: _Ctx) -> bool:
        return v in self.terms

    def message(self, raw: str, v: Node) -> str:
        return f"Value {_data_label(v)} not in list {self.labels}"


class _NodeRef(_Constraint):
    """sh:node: a result per value that does not conform, with the value's own results as sh:detail."""

    __slots__ = ("label", "target")

    def __init__(self, target: _Shape, label: str) -> None:
        self.component, self.target, self.label = "Node", target, label

    def emit(self, var: str, gen: _FastGen) -> list[str]:
        return [f"if not {self.target.function}({var}, idx): return False"]

    def ops(self) -> list[Op]:
        return [(OP_NODE, self.target.number)]

    def exact(self, raw: str, v: Node, ctx: _Ctx) -> bool:
        return not self.target.results(raw, ctx)

    def message(self, raw: str, v: Node) -> str:
        return f"Value does not conform to Shape {self.label}. See details for more information."


class _Logical(_Constraint):
    """sh:or, sh:and, sh:xone over a list of shapes, sh:not over one: a result per value, no details (pySHACL)."""

    __slots__ = ("kind", "label", "members")

    def __init__(self, kind: str, members: list[_Shape], label: str) -> None:
        self.component, self.kind, self.members, self.label = kind.capitalize(), kind, members, label

    def emit(self, var: str, gen: _FastGen) -> list[str]:
        calls = [f"{m.function}({var}, idx)" for m in self.members]
        if self.kind == "or":
            return [f"if not ({' or '.join(calls)}): return False"]
        if self.kind == "and":
            return [f"if not ({' and '.join(calls)}): return False"]
        return ["return False"]  # "does not conform" (sh:not, sh:xone) is left to the exact tier

    def ops(self) -> list[Op]:
        numbers = tuple(m.number for m in self.members)
        return [(OP_OR, numbers)] if self.kind == "or" else [(OP_AND, numbers)] if self.kind == "and" else [(OP_FALSE,)]

    def exact(self, raw: str, v: Node, ctx: _Ctx) -> bool:
        conforming = sum(1 for m in self.members if m.conforms(raw, ctx))
        if self.kind == "or":
            return conforming > 0
        if self.kind == "and":
            return conforming == len(self.members)
        if self.kind == "xone":
            return conforming == 1
        return conforming == 0

    def message(self, raw: str, v: Node) -> str:
        node = _data_label(v)
        if self.kind == "not":
            return f"Node {node} must not conform to shape {self.label}"
        verb = {"or": "must conform to one or more shapes in", "and": "must conform to all shapes in",
                "xone": "must conform to exactly one shape in"}[self.kind]
        return f"Node {node} {verb} {self.label}"


class _HasValue:
    """sh:hasValue: one result per focus node whose value nodes miss the value (not a per-value test)."""

    __slots__ = ("label", "string", "term")

    def __init__(self, value: Node, sg: Graph) -> None:
        self.term, self.string, self.label = value, _nt(value), _shape_label(sg, value)


# --------------------------------------------------------------------------------------------------------- shapes

class _Shape:
    """A node or property shape: its value nodes, counts, value constraints and nested property shapes."""

    def __init__(self, node: Node, number: int) -> None:
        self.node, self.number = node, number
        self.function = f"_shape{number}"  # its fast-tier function in the generated code
        self.pred: str | None = None  # the predicate path of a property shape, as an N-Triples IRI
        self.path = ""  # the path as validate.py prints it
        self.min_count: int = 0
        self.max_count: int | None = None
        self.constraints: list[_Constraint] = []
        self.has_values: list[_HasValue] = []
        self.properties: list[_Shape] = []
        self.message: str | None = None
        self.severity = "Violation"
        self.deactivated = False
        self.fast: Callable[[str, Index], bool] = _never

    def results(self, focus: str, ctx: _Ctx) -> list[_Result]:
        """The exact tier: pySHACL's results for one focus node (remembered for the check)."""
        key = (self.number, focus)
        found = ctx.memo.get(key)
        if found is None:
            found = ctx.memo[key] = self._results(focus, ctx)
        return found

    def conforms(self, focus: str, ctx: _Ctx) -> bool:
        """Conformance as a member of sh:or/sh:and/sh:not/sh:xone: warnings and infos still conform (pySHACL)."""
        return self.fast(focus, ctx.idx) or all(r.detail or r.severity in _ALLOWED_SEVERITIES
                                                for r in self.results(focus, ctx))

    def _results(self, focus: str, ctx: _Ctx) -> list[_Result]:
        if self.deactivated:
            return []
        out: list[_Result] = []
        label = _focus(focus)
        if self.pred is None:
            values = [(focus, _term(focus))]
        else:
            values = ctx.values(focus, self.pred)
            if len(values) < self.min_count:
                out.append(self._result(label, f"Less than {self.min_count} values on {self._where(focus)}"))
            if self.max_count is not None and len(values) > self.max_count:
                out.append(self._result(label, f"More than {self.max_count} values on {self._where(focus)}"))
        for c in self.constraints:
            for raw, v in values:
                if not c.exact(raw, v, ctx):
                    out.append(self._result(label, c.message(raw, v)))
                    if isinstance(c, _NodeRef):
                        out.extend(r.as_detail() for r in c.target.results(raw, ctx))
        for hv in self.has_values:
            if not any(v == hv.term for _raw, v in values):
                out.append(self._result(label, f"Node {self._where(focus)} does not contain a value in the set: "
                                               f"['{hv.label}']"))
        for prop in self.properties:
            for raw, _v in values:
                out.extend(prop.results(raw, ctx))
        return out

    def _where(self, focus: str) -> str:
        node = _data_label(_term(focus))
        return f"{node}->{self.path}" if self.pred else node

    def _result(self, focus_label: str, generic: str) -> _Result:
        return _Result(focus_label, self.path, self.message or generic, self.severity)


def _never(v: str, idx: Index) -> bool:
    return False


class _FastGen:
    """Writes the fast tier as Python source, one function per shape, ``_shapeN(focus, idx) -> bool``: True only
    when the focus surely conforms. Generated code inlines the cheap tests (first character of a term, a dict
    look-up for rdf:type) that closures would pay a call each for; it is ~2x faster than a closure per test."""

    def __init__(self) -> None:
        self.env: dict[str, Any] = {"_EMPTY": {}, "_plain": _plain_text}
        self.lines: list[str] = []

    def const(self, value: object) -> str:
        name = f"_k{len(self.env)}"
        self.env[name] = value
        return name

    def shape(self, shape: _Shape, label: str) -> None:
        body: list[str] = []
        if not shape.deactivated:
            if shape.pred is None:
                for c in shape.constraints:
                    body += c.emit("f", self)
                body += [f"if f != {hv.string!r}: return False" for hv in shape.has_values]
                if shape.properties:
                    body.append("d = idx.get(f, _EMPTY)")
                    for prop in shape.properties:
                        body += self.property_block(prop)
            else:
                body += ["d = idx.get(f, _EMPTY)"] + self.property_block(shape)
        self.lines += [f"def {shape.function}(f, idx):", f"    # {' '.join(label.splitlines())}"]
        self.lines += [f"    {line}" for line in body + ["return True"]]

    def property_block(self, prop: _Shape) -> list[str]:
        """The checks of a property shape on the focus whose index entry is ``d``."""
        if prop.deactivated:
            return []
        # The index holds one value as the term itself (``v = vs``), more as a list to loop over.
        single: list[str] = []
        many: list[str] = []
        if prop.min_count > 1:
            single.append("return False")  # rdflib may merge two spellings of a literal: raw counts prove <= 1
            many.append("return False")
        if prop.max_count is not None:
            if prop.max_count < 1:
                single.append("return False")
            # The same triple twice (the mapping repeats a shared MeSH term) is one value: count distinct terms.
            many.append(f"if len(vs) > {prop.max_count} and len(set(vs)) > {prop.max_count}: return False")
        tests = [line for c in prop.constraints for line in c.emit("v", self)]
        tests += [f"if not {sub.function}(v, idx): return False" for sub in prop.properties]
        if tests:
            single += tests
            many += ["for v in vs:"] + [f"    {line}" for line in tests]
        single += [f"if vs != {hv.string!r}: return False" for hv in prop.has_values]
        many += [f"if {hv.string!r} not in vs: return False" for hv in prop.has_values]
        required = prop.min_count > 0 or bool(prop.has_values)
        if not many:
            return [f"if {prop.pred!r} not in d: return False"] if required else []
        if single:
            inner = ["if vs.__class__ is str:", "    v = vs"] + [f"    {line}" for line in single]
            inner += ["else:"] + [f"    {line}" for line in many]
        else:
            inner = ["if vs.__class__ is not str:"] + [f"    {line}" for line in many]
        lines = [f"vs = d.get({prop.pred!r})"]
        if required:
            return lines + ["if vs is None: return False"] + inner
        return lines + ["if vs is not None:"] + [f"    {line}" for line in inner]

    def build(self, shapes: Iterable[_Shape], labels: dict[_Shape, str]) -> str:
        for shape in shapes:
            self.shape(shape, labels[shape])
        source = "\n".join(self.lines) + "\n"
        exec(compile(source, "<shapes_check fast tier>", "exec"), self.env)  # noqa: S102  (our own generated code)
        for shape in shapes:
            shape.fast = self.env[shape.function]
        return source


def _program(shape: _Shape) -> tuple[Any, ...]:
    """What ``_FastGen.shape`` writes as a function, as data for the fast tier's C twin: (kind, the node's ops, the
    values it must be, its property blocks); kind 0 a deactivated shape (conforms), 1 a node shape, 2 a property
    shape (one block)."""
    if shape.deactivated:
        return (0, (), (), ())
    if shape.pred is None:
        ops = tuple(op for c in shape.constraints for op in c.ops())
        return (1, ops, tuple(hv.string for hv in shape.has_values), tuple(_block(p) for p in shape.properties))
    return (2, (), (), (_block(shape),))


def _block(prop: _Shape) -> tuple[Any, ...]:
    """``_FastGen.property_block`` as data: (deactivated, predicate, min count, max count or -1, the value ops,
    the values it must have)."""
    ops = [op for c in prop.constraints for op in c.ops()] + [(OP_NODE, sub.number) for sub in prop.properties]
    return (prop.deactivated, prop.pred, prop.min_count, -1 if prop.max_count is None else prop.max_count,
            tuple(ops), tuple(hv.string for hv in prop.has_values))


def fast_failures_py(shapes: list[_Shape], foci: list[dict[str, None]], idx: Index) -> list[tuple[int, str]]:
    """The (shape position, focus node) pairs the fast tier does not pass, in order: with index_py and targets_py,
    the Python twin of ``rdfgen._native.check_fast`` (and of ``fast_failures`` on given focus nodes), which runs the
    same tests from each shape's ``_program`` on an index of the statements kept in C."""
    return [(i, node) for i, (shape, nodes) in enumerate(zip(shapes, foci, strict=True)) for node in nodes
            if not shape.fast(node, idx)]


# ------------------------------------------------------------------------------------------------------- labels

def _qname(sg: Graph, node: Node) -> str:
    """How validate.py's _short prints a path, and pySHACL a shapes-graph IRI: a prefixed name when one fits."""
    try:
        return sg.namespace_manager.normalizeUri(node)  # type: ignore[arg-type]
    except Exception:
        return str(node)


def _literal_label(lit: Node) -> str:
    """pySHACL's stringify_literal."""
    if not isinstance(lit, Literal):
        return str(lit)
    value = None if lit.value is None else str(lit.value)
    text = f'"{lit}" = {value}' if value is not None and value != str(lit) else f'"{lit}"'
    if lit.language:
        text += f", lang={lit.language}"
    if lit.datatype:
        text += f", datatype={_XSD_PREFIXED.get(str(lit.datatype), str(lit.datatype))}"
    return f"Literal({text})"


_XSD_PREFIXED = {str(XSD) + n: f"xsd:{n}" for n in ("integer", "string", "decimal", "boolean", "date", "double",
                                                      "float", "gYear", "gYearMonth", "dateTime")}


def _data_label(v: Node) -> str:
    """A data node in a message: ``<iri>``, ``_:label`` or pySHACL's ``Literal(...)``."""
    if isinstance(v, Literal):
        return _literal_label(v)
    if isinstance(v, BNode):
        return f"_:{v}"
    return f"<{v}>"


def _focus(raw: str) -> str:
    """The focus node as validate.py prints it: str() of the rdflib term (an IRI without its angle brackets)."""
    return str(_term(raw))


def _shape_label(sg: Graph, node: Node, depth: int = 0) -> str:
    """pySHACL's stringify_node on the shapes graph: prefixed names, blank nodes as [ p o ; ... ], lists as ( )."""
    if isinstance(node, Literal):
        return _literal_label(node)
    if not isinstance(node, BNode):
        return _qname(sg, node)
    if depth > 10:
        return "<http://recursion.too.deep>"
    if (node, RDF.first, None) in sg:
        return "( " + " ".join(_shape_label(sg, i, depth + 1) for i in Collection(sg, node)) + " )"
    parts: dict[str, str] = {}
    for p in set(sg.predicates(node)):
        objects = sorted(_shape_label(sg, o, depth + 1) for o in sg.objects(node, p))
        parts[p.n3(namespace_manager=sg.namespace_manager)] = ", ".join(objects)
    if not parts:
        return "[ ]"
    return "[ " + " ; ".join(f"{p} {o}" for p, o in sorted(parts.items())) + " ]"


def _list_label(sg: Graph, members: list[Node]) -> str:
    return " , ".join(_shape_label(sg, m) for m in members)


# ----------------------------------------------------------------------------------------------------- compiling

class _Compiler:
    """Reads the shapes graph into _Shape objects; every sh: predicate is either compiled or refused."""

    def __init__(self, sg: Graph, source: str) -> None:
        self.sg, self.source = sg, source
        self.shapes: dict[Node, _Shape] = {}
        self.building: set[Node] = set()
        self.count = 0

    def fail(self, node: Node, what: str) -> UnsupportedShapes:
        return UnsupportedShapes(f"{self.source}: shape {_shape_label(self.sg, node)} uses {what}, which the "
                                 "compiled check (rdfgen/publish/shapes_check.py) does not support; validate with "
                                 "pySHACL or add it to shapes_check")

    def one(self, node: Node, pred: URIRef) -> Node | None:
        values = list(self.sg.objects(node, pred))
        if len(values) > 1:
            raise self.fail(node, f"{len(values)} values of {_qname(self.sg, pred)}")
        return values[0] if values else None

    def items(self, node: Node, pred: URIRef, head: Node) -> list[Node]:
        if head == RDF.nil:
            return []
        if not isinstance(head, BNode | URIRef) or (head, RDF.first, None) not in self.sg:
            raise self.fail(node, f"{_qname(self.sg, pred)} with a value that is not an RDF list")
        return list(Collection(self.sg, head))

    def shape(self, node: Node) -> _Shape:
        found = self.shapes.get(node)
        if found is not None:
            return found
        if node in self.building:
            raise self.fail(node, "a recursive shape reference")
        self.building.add(node)
        shape = _Shape(node, self.count)
        self.count += 1
        self.compile_into(shape)
        self.building.discard(node)
        self.shapes[node] = shape
        return shape

    def compile_into(self, shape: _Shape) -> None:
        sg, node = self.sg, shape.node
        for pred in set(sg.predicates(node)):
            if str(pred).startswith(SH_NS) and pred not in _SUPPORTED:
                raise self.fail(node, _qname(sg, pred))
        path = self.one(node, _sh("path"))
        if path is not None:
            if not isinstance(path, URIRef):
                raise self.fail(node, f"the non-predicate path {_shape_label(sg, path)} (only predicate paths are "
                                      "compiled)")
            shape.pred, shape.path = _nt(path), _qname(sg, path)
        for pred in (_sh("minCount"), _sh("maxCount")):
            value = self.one(node, pred)
            if value is None:
                continue
            if path is None:
                raise self.fail(node, f"{_qname(sg, pred)} on a node shape")
            count = value.value if isinstance(value, Literal) else None
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise self.fail(node, f"{_qname(sg, pred)} {value!r}")
            if pred == _sh("minCount"):
                shape.min_count = count
            else:
                shape.max_count = count
        messages = sorted(str(m) for m in sg.objects(node, _sh("message")))
        shape.message = messages[0] if messages else None
        severity = self.one(node, _sh("severity"))
        if severity is not None:
            if severity not in _SEVERITIES:
                raise self.fail(node, f"sh:severity {severity}")
            shape.severity = _SEVERITIES[severity]
        deactivated = self.one(node, _sh("deactivated"))
        shape.deactivated = isinstance(deactivated, Literal) and deactivated.value is True
        self.constraints(shape)

    def constraints(self, shape: _Shape) -> None:
        sg, node, c = self.sg, shape.node, shape.constraints
        kind = self.one(node, _sh("nodeKind"))
        if kind is not None:
            if kind not in _NODE_KINDS:
                raise self.fail(node, f"sh:nodeKind {kind}")
            c.append(_NodeKind(kind, sg))  # type: ignore[arg-type]
        datatype = self.one(node, _sh("datatype"))
        if datatype is not None:
            if not isinstance(datatype, URIRef):
                raise self.fail(node, f"sh:datatype {datatype!r}")
            c.append(_Datatype(datatype, sg))
        for cls in sorted(sg.objects(node, _sh("class"))):
            if not isinstance(cls, URIRef):
                raise self.fail(node, f"sh:class {cls!r} (not an IRI)")
            c.append(_Class(cls, sg))
        patterns = sorted(sg.objects(node, _sh("pattern")))
        flags = self.one(node, _sh("flags"))
        for pattern in patterns:
            if not isinstance(pattern, Literal):
                raise self.fail(node, f"sh:pattern {pattern!r}")
            c.append(_Pattern(pattern, flags if isinstance(flags, Literal) else None))
        for name, is_min in (("minLength", True), ("maxLength", False)):
            bound = self.one(node, _sh(name))
            if bound is not None:
                length = bound.value if isinstance(bound, Literal) else None
                if not isinstance(length, int) or isinstance(length, bool) or length < 0:
                    raise self.fail(node, f"sh:{name} {bound!r} (not a length)")
                c.append(_Length(length, is_min, _literal_label(bound)))
        for name in ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive"):
            for bound in sorted(sg.objects(node, _sh(name))):
                if not isinstance(bound, Literal):
                    raise self.fail(node, f"sh:{name} {bound!r} (not a literal)")
                c.append(_Range(name, bound))
        in_list = self.one(node, _sh("in"))
        if in_list is not None:
            c.append(_In(self.items(node, _sh("in"), in_list), sg))
        for value in sorted(sg.objects(node, _sh("hasValue"))):
            shape.has_values.append(_HasValue(value, sg))
        for target in sorted(sg.objects(node, _sh("node"))):
            c.append(_NodeRef(self.shape(target), _shape_label(sg, target)))
        for kind in ("or", "and", "xone"):
            for head in sorted(sg.objects(node, _sh(kind))):
                members = self.items(node, _sh(kind), head)
                c.append(_Logical(kind, [self.shape(m) for m in members], _list_label(sg, members)))
        for negated in sorted(sg.objects(node, _sh("not"))):
            c.append(_Logical("not", [self.shape(negated)], _shape_label(sg, negated)))
        for prop in sorted(sg.objects(node, _sh("property"))):
            sub = self.shape(prop)
            if sub.pred is None:
                raise self.fail(node, f"sh:property {_shape_label(sg, prop)} without sh:path")
            shape.properties.append(sub)


def index_py(triples: list[tuple[str, str, str]], wanted: frozenset[str] | set[str]) -> Index:
    """The statements the shapes read, by subject then predicate: one value as itself, several as a list in
    statement order. The Python twin of ``rdfgen._native.index`` (tests/test_native.py proves they agree), which
    builds it where it was compiled: a loop over every statement of a record, 1.5% of a conversion in Python."""
    idx: Index = {}
    last: str | None = None
    d: dict[str, Values] = {}
    for s, p, o in triples:
        if p not in wanted:
            continue
        if s is not last:  # the mapping writes a subject's triples together: skip the look-up
            last = s
            found = idx.get(s)
            if found is None:
                idx[s] = d = {p: o}
                continue
            d = found
        values = d.get(p)
        if values is None:
            d[p] = o
        elif values.__class__ is str:
            d[p] = [values, o]
        else:
            values.append(o)
    return idx


Targets = tuple[tuple[str, tuple[int, ...]], ...]
"""(predicate, numbers of the shapes it targets) pairs: a shape's subjects-of or objects-of targets."""


def targets_py(idx: Index, by_class: dict[str, tuple[int, ...]], subject_targets: Targets, object_targets: Targets,
               count: int, rdf_type: str, subclass: str) -> tuple[list[dict[str, None]], bool]:
    """Each of ``count`` shapes' focus nodes by its class, subjects-of and objects-of targets (numbers: the shapes
    a class or predicate targets), in the order pySHACL meets them; and whether the statements say rdfs:subClassOf
    (then superclasses are targets too, which the caller adds). The Python twin of ``rdfgen._native.targets``."""
    foci: list[dict[str, None]] = [{} for _ in range(count)]
    subclassing = False
    for s, d in idx.items():
        types = d.get(rdf_type)
        if types is not None:
            for t in (types,) if types.__class__ is str else types:
                numbers = by_class.get(t)
                if numbers is not None:
                    for n in numbers:
                        foci[n][s] = None
        for pred, numbers in subject_targets:
            if pred in d:
                for n in numbers:
                    foci[n][s] = None
        for pred, numbers in object_targets:
            values = d.get(pred)
            if values is not None:
                for n in numbers:
                    foci[n].update(dict.fromkeys(_each(values)))
        if subclass in d:
            subclassing = True
    return foci, subclassing


try:
    from rdfgen._native import check_fast as _native_check
    from rdfgen._native import fast_failures as _native_fast
    from rdfgen._native import index as _native_index
    from rdfgen._native import targets as _native_targets
except ImportError:  # built without a C compiler: the Python twins serve
    _native_index = _native_targets = _native_fast = _native_check = None
_index = _native_index if _native_index is not None else index_py
_targets = _native_targets if _native_targets is not None else targets_py


class ShapesCheck:
    """The compiled shapes: :meth:`check` validates one record's (or a batch's) N-Triples term triples.

    ``source`` holds the generated fast-tier code, one function per shape, for reading what was compiled."""

    def __init__(self, sg: Graph, name: str = "shapes") -> None:
        # Rules that live outside any shape's own sh: predicates: constraint components of one's own (their
        # parameters are not in the sh: namespace) and SHACL-AF declarations. pySHACL runs them; refuse them here.
        for pred in ("parameter", "validator", "nodeValidator", "propertyValidator", "rule", "target"):
            for subject in sg.subjects(_sh(pred), None):
                raise UnsupportedShapes(f"{name}: {_shape_label(sg, subject)} declares sh:{pred}, which the compiled "
                                        "check (rdfgen/publish/shapes_check.py) does not support; validate with "
                                        "pySHACL or add it to shapes_check")
        compiler = _Compiler(sg, name)
        roots: set[Node] = set()
        for shape_type in _SHAPE_TYPES:
            roots.update(sg.subjects(RDF.type, shape_type))
        for pred in _TARGETS:
            roots.update(sg.subjects(pred, None))
        for node in sorted(roots):  # every declared shape compiles, targeted or not: a bad one fails now
            compiler.shape(node)
        self.shapes = list(compiler.shapes.values())
        labels = {shape: _shape_label(sg, shape.node) for shape in self.shapes}
        self.source = _FastGen().build(self.shapes, labels)
        programs: list[tuple[Any, ...] | None] = [None] * (1 + max((s.number for s in self.shapes), default=-1))
        for shape in self.shapes:
            programs[shape.number] = _program(shape)
        self._programs = programs
        """The fast tier as data, by shape number, for its C twin."""

        # A shape that is a class targets its instances (pySHACL: typed rdfs:Class or a subclass of it).
        class_types = {RDFS.Class, *sg.subjects(RDFS.subClassOf, RDFS.Class)}
        implicit = {s for s in roots if class_types & set(sg.objects(s, RDF.type))}
        self._targeted: list[_Shape] = []
        by_class: dict[str, list[int]] = {}
        by_subject_of: dict[str, list[int]] = {}
        by_object_of: dict[str, list[int]] = {}
        target_nodes: list[tuple[int, str]] = []
        for node, shape in compiler.shapes.items():
            classes = set(sg.objects(node, _sh("targetClass"))) | ({node} if node in implicit else set())
            subjects_of = set(sg.objects(node, _sh("targetSubjectsOf")))
            objects_of = set(sg.objects(node, _sh("targetObjectsOf")))
            nodes = set(sg.objects(node, _sh("targetNode")))
            if shape.deactivated or not (classes or subjects_of or objects_of or nodes):
                continue
            number = len(self._targeted)
            self._targeted.append(shape)
            for cls in classes:
                by_class.setdefault(_nt(cls), []).append(number)
            for pred in subjects_of:
                by_subject_of.setdefault(_nt(pred), []).append(number)
            for pred in objects_of:
                by_object_of.setdefault(_nt(pred), []).append(number)
            target_nodes += [(number, _nt(target)) for target in nodes]
        self._by_class = {cls: tuple(numbers) for cls, numbers in by_class.items()}
        self._numbers = tuple(shape.number for shape in self._targeted)
        self._target_nodes = tuple(target_nodes)
        self._subject_targets = tuple((p, tuple(numbers)) for p, numbers in by_subject_of.items())
        self._object_targets = tuple((p, tuple(numbers)) for p, numbers in by_object_of.items())
        # Only these predicates are ever looked up; the index leaves the others out (about half of a record).
        self.predicates = frozenset({s.pred for s in self.shapes if s.pred} | {RDF_TYPE, RDFS_SUBCLASS}
                                    | set(by_subject_of) | set(by_object_of))

    def check(self, triples: Iterable[tuple[str, str, str]]) -> Report:
        """Validate N-Triples term triples (one record or a batch): the Report pySHACL's validate_graph gives for
        the same triples, violations sorted as validate.py sorts them."""
        statements = triples if triples.__class__ is list else list(triples)
        failing = None if _native_check is None else _native_check(
            statements, self.predicates, self._programs, self._numbers, self._by_class, self._subject_targets,
            self._object_targets, self._target_nodes, RDF_TYPE, RDFS_SUBCLASS, _plain_text)
        idx: Index | None = None
        if failing is None:  # no C, or the statements say rdfs:subClassOf (superclasses are targets too)
            idx = _index(statements, self.predicates)
            failing = fast_failures_py(self._targeted, self._focus_nodes(idx), idx)
        ctx: _Ctx | None = None
        results: list[_Result] = []
        for i, node in failing:  # the exact tier, for what the fast one did not pass, on an index of dicts
            if ctx is None:
                ctx = _Ctx(idx if idx is not None else _index(statements, self.predicates))
            results += self._targeted[i].results(node, ctx)
        if not results:
            return Report(True, ())
        violations = sorted((Violation(r.focus, r.path, r.message, r.severity) for r in results),
                            key=lambda v: (v.focus, v.path, v.message))
        conforms = all(r.detail or r.severity in _ALLOWED_SEVERITIES for r in results)
        return Report(conforms, tuple(violations))

    def _focus_nodes(self, idx: Index) -> list[dict[str, None]]:
        """Each targeted shape's focus nodes, as pySHACL finds them: no inference but the data graph's own
        rdfs:subClassOf for class targets."""
        by_class = self._by_class
        foci, subclassing = _targets(idx, by_class, self._subject_targets, self._object_targets, len(self._targeted),
                                     RDF_TYPE, RDFS_SUBCLASS)
        if subclassing:
            ctx = _Ctx(idx)
            for s, d in idx.items():
                for t in _each(d.get(RDF_TYPE)):
                    for sup in ctx.superclasses(t):
                        for n in by_class.get(sup, ()):
                            foci[n][s] = None
        for n, node in self._target_nodes:
            foci[n][node] = None
        return foci


@lru_cache(maxsize=8)
def _compiled(path: Path) -> ShapesCheck:
    return ShapesCheck(Graph().parse(path, format="turtle"), str(path))


def compile_shapes(path: Path | None = None) -> ShapesCheck:
    """The check compiled from a shapes file (default ``ontology/shapes.ttl``), compiled once and cached.

    Raises :class:`UnsupportedShapes` naming the shape and the feature when the file uses SHACL this compiler does
    not implement."""
    return _compiled(Path(path) if path is not None else ontology_path("shapes.ttl"))
