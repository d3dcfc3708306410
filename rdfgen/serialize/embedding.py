"""The embeddable schema.org object built straight from a record's N-Triples term strings: no rdflib, no pyld.

The object is the one the tests frame with pyld (``ontology/frame.jsonld`` compacted against
``ontology/context.jsonld``), about 80 times faster (0.3 ms of CPU a record on the fixtures, against 24 ms): the
statements grouped by subject (once a record, for all its documents: turtle.group_triples), the article node is
walked the way pyld's framing walks it, reading a subject's schema.org statements when it reaches it.

The object declares that context inline (``"@context": {"@vocab": "https://schema.org/", ...}``), not by the URL
``https://schema.org``: schema.org's own context maps every term to ``http://schema.org/``, while the data says
``https://schema.org/``, so an object that named it would mean none of the record's triples to a JSON-LD processor
(docs/embedding.md). The rules that walk reproduces, so that the two objects are equal (and ``embed_text`` gives the
same bytes as ``embed_json``):

* the frame matches the article on its ``@id`` alone (``@requireAll`` false), so its ``@type`` filters nothing;
* only ``https://schema.org/`` predicates (and ``dct:conformsTo``), and ``rdf:type`` with schema.org classes, are
  read (the schema subgraph);
* every IRI object is embedded in full wherever it is referenced (``@embed: @always``); a node already on the path
  from the article, not counting its immediate parent, is left as a reference (pyld's circular-embed check);
* terms, containers and ``@type: @id`` coercions are compiled from the context; a property without a term is the
  ``@vocab`` suffix; a literal under an ``@id``-coerced term falls back to the compact IRI ``schema:name``;
* a literal is a plain string (xsd:string), ``{"@language", "@value"}`` or ``{"@type": "xsd:...", "@value"}``;
* keys come in pyld's order (``@context``, ``@id``, ``@type``, then by property IRI), arrays are sorted by their
  JSON text except ``author``, ``citation`` and ``keywords``, which are put in list order as the framed object is.

Where the two cannot agree, for a principled reason (no fixture record has any of these):

* a literal typed ``xsd:string`` explicitly is a plain string: N-Triples (RDF 1.1) does not tell them apart, rdflib
  does and today writes ``{"@type": "xsd:string", ...}``;
* today's order of an ordered array with nothing to sort it by (``author``/``citation``/``keywords`` on a nested node,
  ``keywords`` without the record's keywords), and of the two keys of one property holding both IRIs and literals
  under an ``@id``-coerced term (``url`` and ``schema:url``), is rdflib's set order, which changes with
  PYTHONHASHSEED; here it is the order of the triples;
* blank nodes are only ever rdf:List cells, which are not schema.org statements; a schema.org value that is a blank
  node is embedded without an ``@id`` (pyld prunes a blank node identifier used once, keeps and relabels one used
  twice).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from json.encoder import encode_basestring  # what json.dumps(s, ensure_ascii=False) writes for a str
from typing import Any

from rdfgen.resources import ontology_path
from rdfgen.serialize.turtle import RDF_TYPE, Grouped, Objects, group_triples

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
KEEP_ORDER = frozenset({"author", "citation", "keywords"})
"""Arrays in list order (as today's framed object has them); every other array is sorted, so the text is stable."""

ORDER_PREDICATES = {
    "authorship": "<https://w3id.org/rdfgen/vocab#authorship>",
    "author_position": "<https://w3id.org/rdfgen/vocab#position>",
    "agent": "<https://w3id.org/rdfgen/vocab#agent>",
    "reference": "<https://w3id.org/rdfgen/vocab#reference>",
    "reference_position": "<https://schema.org/position>",
    "references": "<http://purl.org/spar/biro/references>",
}
"""Not schema.org, yet read: the author and reference positions that put ``author`` and ``citation`` in list order
(rdfgen.vocab's RDFGEN.authorship/position/agent/reference, SDO.position, BIRO.references; the tests check they
agree)."""

BEYOND_SCHEMA = ("http://purl.org/dc/terms/conformsTo",)
"""Predicates outside schema.org the object carries too: ``dct:conformsTo`` names the profile the description
follows (Bioschemas asks for it on the object, in DCTerms)."""
_BEYOND_SCHEMA = frozenset(f"<{iri}>" for iri in BEYOND_SCHEMA)

CONTEXT_FILE = "context.jsonld"
"""The frame's ``@context``: ontology/context.jsonld, which the object carries inline."""

_UNPLACED = 10**9  # an author or cited work without a position goes last, as in jsonld.embed

_KIND_CACHE_LIMIT = 1 << 12  # predicates are a small vocabulary; a stream of odd ones must not grow the cache forever

_ESCAPE_RE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


@dataclass(frozen=True)
class _Property:
    """How one schema.org predicate compacts: the key of node values and of literal values, and whether each key's
    values always form an array (``@container: @set``)."""

    iri: str  # the property's IRI: pyld orders a node's keys by it
    node_key: str
    node_set: bool
    node_to_string: bool  # @type: @id: a node that is only a reference compacts to its IRI string
    literal_key: str
    literal_set: bool


@dataclass(frozen=True)
class _Vocabulary:
    """The compiled frame and context: what the framing needs to know, read once from ontology/."""

    context: dict[str, Any]  # ontology/context.jsonld's "@context", which every object declares inline
    vocab: str
    prefixes: tuple[tuple[str, str], ...]  # (prefix, IRI) of the terms pyld may use for compact IRIs
    prefix_iris: tuple[str, ...]  # their IRIs, for one str.startswith
    terms: dict[str, dict[str, Any]]  # term -> {"@id": IRI, "@type": ..., "@container": ...}
    by_iri: dict[str, str]  # property IRI -> its term

    def compact_iri(self, iri: str, vocab: bool) -> str:
        """pyld's IRI compaction for a class, datatype (vocab) or node ``@id`` (not vocab): @vocab suffix, compact
        IRI with the shortest prefix, else the IRI itself (the framing base is empty: nothing is made relative)."""
        if vocab and iri.startswith(self.vocab) and iri != self.vocab:
            suffix = iri[len(self.vocab):]
            if suffix not in self.terms:
                return suffix
        best: str | None = None
        for prefix, base in self.prefixes:
            if iri.startswith(base) and iri != base:
                curie = f"{prefix}:{iri[len(base):]}"
                if curie not in self.terms and (best is None or (len(curie), curie) < (len(best), best)):
                    best = curie
        return best if best is not None else iri

    def compact_id(self, iri: str) -> str:
        """A node ``@id``: only IRIs under a prefix of the context (schema:, xsd:) change, so test that first."""
        return self.compact_iri(iri, vocab=False) if iri.startswith(self.prefix_iris) else iri

    def property_of(self, iri: str) -> _Property:
        """Term selection for a schema.org property: the term when its coercion fits the value, the @vocab suffix
        when there is no term, the compact IRI when a term exists but does not fit (a literal under @type: @id)."""
        local = iri[len(self.vocab):] if iri.startswith(self.vocab) else None
        term = self.by_iri.get(iri)
        if term is None:
            key = local if local is not None and local not in self.terms else self.compact_iri(iri, vocab=False)
            return _Property(iri, key, False, False, key, False)
        definition = self.terms[term]
        is_set = definition.get("@container") == "@set"
        if definition.get("@type") == "@id":
            return _Property(iri, term, is_set, True, self.compact_iri(iri, vocab=False), False)
        return _Property(iri, term, is_set, False, term, is_set)


def _expand(value: str, prefixes: dict[str, str]) -> str:
    prefix, sep, rest = value.partition(":")
    return prefixes[prefix] + rest if sep and prefix in prefixes else value


@cache
def _vocabulary() -> _Vocabulary:
    """Compile ontology/frame.jsonld and ontology/context.jsonld; refuse frame features the walk does not do, so a
    change of the frame fails loudly instead of making the two embeddings drift apart."""
    frame = json.loads(ontology_path("frame.jsonld").read_text(encoding="utf-8"))
    unsupported = {k: v for k, v in frame.items() if not ((k, v) == ("@context", CONTEXT_FILE) or k == "@type"
                                                           or (k in ("@explicit", "@requireAll") and v is False))}
    if unsupported:
        raise NotImplementedError(f"frame.jsonld uses what embed_object does not implement: {unsupported}")
    context = json.loads(ontology_path(CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and not k.startswith("@")}
    terms: dict[str, dict[str, Any]] = {}
    for term, definition in context.items():
        if term.startswith("@"):
            continue
        spec = {"@id": definition} if isinstance(definition, str) else dict(definition)
        spec["@id"] = _expand(spec.get("@id", term), prefixes)
        if "@type" in spec and spec["@type"] != "@id":
            raise NotImplementedError(f"context.jsonld: typed term {term!r} (only @type: @id is implemented)")
        terms[term] = spec
    vocab = context["@vocab"]
    usable = tuple((p, iri) for p, iri in sorted(prefixes.items()) if iri.endswith(("/", "#")))
    return _Vocabulary(
        context=context, vocab=vocab, prefixes=usable, prefix_iris=tuple(iri for _p, iri in usable),
        terms=terms,
        by_iri={spec["@id"]: term for term, spec in terms.items() if term not in prefixes},
    )


_PROPERTIES: dict[str, _Property | None] = {}


def _property(predicate: str) -> _Property | None:
    """How a schema.org predicate (or one of BEYOND_SCHEMA) compacts; None for any other predicate (rdf:type and the
    ordering predicates are read apart)."""
    vocab = _vocabulary().vocab
    found = None
    if (predicate.startswith("<" + vocab) and predicate.endswith(">") and len(predicate) > len(vocab) + 2) \
            or predicate in _BEYOND_SCHEMA:
        found = _vocabulary().property_of(_iri(predicate))
    if len(_PROPERTIES) < _KIND_CACHE_LIMIT:
        _PROPERTIES[predicate] = found
    return found


def _unescape_match(m: re.Match[str]) -> str:
    code = m.group(1) or m.group(2)
    return chr(int(code, 16)) if code else _ECHARS.get(m.group(3), m.group(0))


def _iri(term: str) -> str:
    """``<iri>`` to the IRI (N-Triples IRIs may carry \\u escapes)."""
    iri = term[1:-1]
    return _ESCAPE_RE.sub(_unescape_match, iri) if "\\" in iri else iri


def _literal(term: str, vocabulary: _Vocabulary) -> Any:
    """A literal as pyld compacts it under a term without coercion: a plain string for xsd:string, else a value
    object (language tags lower-cased, as pyld's expansion does)."""
    end = term.rindex('"')
    lexical = term[1:end]
    if "\\" in lexical:
        lexical = _ESCAPE_RE.sub(_unescape_match, lexical)
    if end == len(term) - 1:
        return lexical
    if term[end + 1] == "@":
        return {"@language": term[end + 2:].lower(), "@value": lexical}
    datatype = _iri(term[end + 3:])
    if datatype == XSD_STRING:
        return lexical
    native = NATIVE_DATATYPES.get(datatype)
    value = lexical if native is None else native(lexical)
    return {"@type": vocabulary.compact_iri(datatype, vocab=True), "@value": value}


def _boolean(lexical: str) -> bool:
    return lexical.lower() in ("true", "1")  # rdflib's reading: anything else is false


def _number(kind: type[int] | type[float]) -> Callable[[str], Any]:
    def convert(lexical: str) -> Any:
        try:
            return kind(lexical)
        except ValueError:
            return lexical  # ill-typed: rdflib keeps the lexical form, and so does the JSON
    return convert


NATIVE_DATATYPES: dict[str, Callable[[str], Any]] = {
    "http://www.w3.org/2001/XMLSchema#integer": _number(int),
    "http://www.w3.org/2001/XMLSchema#double": _number(float),
    "http://www.w3.org/2001/XMLSchema#boolean": _boolean,
}
"""Datatypes whose value today's path writes as a JSON number or boolean (rdflib's JSON-LD writer uses native types for
them), keeping the ``@type``: ``{"@type": "xsd:integer", "@value": 3}``."""


def _json_key(value: Any) -> str:
    """The sort key of today's ``_sorted_unordered`` (the value's JSON text with sorted keys), cheaper for the usual
    cases: a node's text starts with its ``@id``, and ids in one array differ, so the text up to the id decides."""
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, dict) and isinstance(value.get("@id"), str):
        return '{"@id": ' + encode_basestring(value["@id"])
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class _Walk:
    """pyld's framing walk (``@embed: @always``) with compaction folded in, over the grouped statements of one record
    (the schema.org ones are picked out per subject, when the walk first reaches it).

    A subject's plan (compacted ``@id`` and ``@type``, its schema.org predicates in key order with their compaction)
    is made once per record: journals, people and MeSH terms are embedded wherever they are referenced, often many
    times.
    """

    def __init__(self, index: dict[str, dict[str, Objects]], vocabulary: _Vocabulary) -> None:
        self.index = index
        self.vocabulary = vocabulary
        self.class_prefix = "<" + vocabulary.vocab
        self.stack: list[str] = []
        self.ids: dict[str, str | None] = {}
        self.plans: dict[str, tuple[Any, list[tuple[Objects, _Property]]]] = {}

    def node(self, term: str) -> dict[str, Any]:
        ident = self.ids.get(term, "")
        if ident == "":
            ident = self.ids[term] = None if term[0] == "_" else self.vocabulary.compact_id(_iri(term))
        out: dict[str, Any] = {} if ident is None else {"@id": ident}
        data = self.index.get(term)
        if data is None:
            return out
        stack = self.stack
        if term in stack and (stack[-1] != term or stack.count(term) > 1):
            return out  # pyld's circular-embed check: on the path, the immediate parent not counted
        types, predicates = self.plan(term, data)
        if types is not None:
            out["@type"] = types
        stack.append(term)
        for values, prop in predicates:
            if type(values) is str or len(values) == 1:
                o = values if type(values) is str else next(iter(values))
                if o[0] == '"':
                    key, is_set = prop.literal_key, prop.literal_set
                    value = o[1:-1] if o[-1] == '"' and "\\" not in o else _literal(o, self.vocabulary)
                else:
                    key, is_set, value = prop.node_key, prop.node_set, self.node(o)
                    if prop.node_to_string and len(value) == 1 and "@id" in value:
                        value = value["@id"]
                out[key] = [value] if is_set else value
            else:
                self._many(out, values, prop)
        stack.pop()
        return out

    def _many(self, out: dict[str, Any], values: dict[str, None], prop: _Property) -> None:
        """Several values of one property: an array per key, sorted unless its order is the list order."""
        collected: dict[str, list[Any]] = {}
        for o in values:
            if o[0] == '"':
                key, value = prop.literal_key, _literal(o, self.vocabulary)
            else:
                key, value = prop.node_key, self.node(o)
                if prop.node_to_string and len(value) == 1 and "@id" in value:
                    value = value["@id"]
            found = collected.get(key)
            if found is None:
                collected[key] = [value]
            else:
                found.append(value)
        for key, found in collected.items():
            if len(found) == 1 and not (prop.node_set if key == prop.node_key else prop.literal_set):
                out[key] = found[0]
            else:
                out[key] = found if key in KEEP_ORDER else sorted(found, key=_json_key)

    def plan(self, term: str, data: dict[str, Objects]) -> tuple[Any, list[tuple[Objects, _Property]]]:
        """The subject's compacted @type (a name, or a sorted array; None without a schema.org class) and its
        schema.org predicates in pyld's key order (by IRI), made once per record."""
        found = self.plans.get(term)
        if found is not None:
            return found
        types = data.get(RDF_TYPE)
        compacted: Any = None
        if types is not None:
            names = [_class_name(t) for t in ((types,) if type(types) is str else types)
                     if t.startswith(self.class_prefix)]
            if names:
                compacted = names[0] if len(names) == 1 else sorted(names, key=encode_basestring)
        known = _PROPERTIES
        props = []
        for p, values in data.items():
            prop = known[p] if p in known else _property(p)
            if prop is not None:
                props.append((values, prop))
        props.sort(key=lambda vp: vp[1].iri)
        found = self.plans[term] = (compacted, props)
        return found


_CLASS_NAMES: dict[str, str] = {}


def _class_name(term: str) -> str:
    name = _CLASS_NAMES.get(term)
    if name is None:
        name = _vocabulary().compact_iri(_iri(term), vocab=True)
        if len(_CLASS_NAMES) < _KIND_CACHE_LIMIT:
            _CLASS_NAMES[term] = name
    return name


def _positions(index: dict[str, dict[str, Objects]], article: str) -> dict[str, int]:
    """jsonld._positions over the grouped statements: author positions (rdfgen:authorship) and cited-work positions
    (reference entries' schema:position), by IRI; the first position given wins."""
    found: dict[str, int] = {}
    node = index.get(article, {})
    for of, at, what in (("authorship", "author_position", "agent"),
                         ("reference", "reference_position", "references")):
        for entry in _each(node.get(ORDER_PREDICATES[of])):
            data = index.get(entry, {})
            pos, item = _first(data.get(ORDER_PREDICATES[at])), _first(data.get(ORDER_PREDICATES[what]))
            if pos and item and item[0] == "<":
                found.setdefault(_iri(item), _integer(pos))
    return found


def _each(objs: Objects | None) -> Iterable[str]:
    return () if objs is None else (objs,) if type(objs) is str else objs


def _first(objs: Objects | None) -> str | None:
    return objs if objs is None or type(objs) is str else next(iter(objs))


def _integer(term: str) -> int:
    return int(term[1:term.rindex('"')])


def _referenced(index: dict[str, dict[str, Objects]], term: str) -> bool:
    """Whether a schema.org statement has ``term`` as its object."""
    return any((objs == term if type(objs) is str else term in objs) and _property(p) is not None
               for data in index.values() for p, objs in data.items())


def embed_object(triples: Iterable[tuple[str, str, str]] | Grouped, article: str,
                 keywords: tuple[str, ...] = ()) -> dict[str, Any]:
    """The article as one nested schema.org object (its ``@context`` inline: :func:`embedding_context`), equal to
    what pyld frames from the same statements with ``ontology/frame.jsonld`` (tests/reference_writers.py).

    ``triples`` are N-Triples term strings (``<iri>``, ``_:b``, ``"lexical"@lang``, ``"lexical"^^<datatype>``), or
    the same grouped once for the other writers (:func:`~rdfgen.serialize.turtle.group_triples`); ``article`` is the
    article IRI without brackets; ``keywords`` the record's keywords, whose order the ``keywords`` array follows.
    Authors and cited works come in list order (their positions), other arrays sorted.
    """
    vocabulary = _vocabulary()
    index = group_triples(triples).index
    subject = "<" + article + ">"
    walk = _Walk(index, vocabulary)
    data = index.get(subject)
    if (data is None or walk.plan(subject, data) == (None, [])) and not _referenced(index, subject):
        return {"@context": embedding_context()}  # nothing to frame: pyld gives the context alone
    framed = walk.node(subject)
    positions = _positions(index, subject)
    for key in ("author", "citation"):
        value = framed.get(key)
        if isinstance(value, list):
            value.sort(key=lambda n: (positions.get(n.get("@id", ""), _UNPLACED), n.get("@id", "")))
    value = framed.get("keywords")
    if keywords and isinstance(value, list):
        rank = {k: i for i, k in enumerate(keywords)}
        value.sort(key=lambda k: (rank.get(k, len(rank)), k))
    return {"@context": embedding_context(), **framed}


def embedding_context() -> dict[str, Any]:
    """The context every embedding object declares, a fresh copy (callers may change their object): ``@vocab``
    ``https://schema.org/``, the ``schema:`` and ``xsd:`` prefixes, and the terms whose container or coercion the
    object's shape needs (``@set`` arrays, ``sameAs``/``url`` as IRIs). Expanded by any JSON-LD processor, with or
    without schema.org's context at hand, the object gives a subset of the record's triples."""
    return {k: dict(v) if isinstance(v, dict) else v for k, v in _vocabulary().context.items()}


def embed_text(obj: dict[str, Any]) -> str:
    """The object as the build writes ``.embed.jsonld``, byte for byte what jsonld.embed_json writes
    (``json.dumps(obj, indent=2, ensure_ascii=False)`` and a newline), at about half its cost: json's indenting
    encoder is pure Python, this one joins strings once per container. Without rdflib: jsonld.py imports it."""
    return indented_json(obj)


def indented_json(value: Any) -> str:
    """Any JSON value as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, plus a newline (the CSL-JSON
    files of a build are written so too)."""
    return _indented(value, "\n", encode_basestring, dumps_py) + "\n"


def dumps_py(value: Any, newline: str) -> str:
    """One JSON value; ``newline`` is the line break plus the indentation of the value's own line. Strings, most of
    the leaves, are encoded in place rather than through a call of their own. ``rdfgen._native.indented`` is its
    twin (tests/test_embedding.py proves them alike), which joins the pieces once and comes back here only for a
    value that is not a str, dict, list or tuple, or a subclass of one."""
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + "  "
        return ("{" + inner + ("," + inner).join([
            encode_basestring(k) + ": " + (encode_basestring(v) if type(v) is str else dumps_py(v, inner))
            for k, v in value.items()]) + newline + "}")
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = newline + "  "
        return ("[" + inner + ("," + inner).join([encode_basestring(v) if type(v) is str else dumps_py(v, inner)
                                                  for v in value]) + newline + "]")
    return json.dumps(value)  # numbers, booleans, null: as json writes them


def _indented_py(value: Any, newline: str, _enc: Callable[[str], str], _fallback: Callable[[Any, str], str]) -> str:
    return dumps_py(value, newline)


try:
    from rdfgen._native import indented as _native_indented
except ImportError:  # built without a C compiler: the Python twin serves
    _native_indented = None
_indented = _native_indented if _native_indented is not None else _indented_py
