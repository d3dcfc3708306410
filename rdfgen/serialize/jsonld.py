"""JSON-LD of the full graph (all vocabularies, inline context, @graph), written straight from N-Triples term
strings as the mapping emits them (<1 ms a record). It is the document rdflib's JSON-LD writer makes (byte for byte on
all 65 fixture records when written; tests/reference_writers.py keeps rdflib's and pyld's way as the tests' oracle,
~100 ms a record). The embeddable schema.org object is rdfgen.serialize.embedding's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Mapping
from functools import cache
from json.encoder import encode_basestring
from typing import Any

from rdfgen.serialize.turtle import RDF_TYPE, Grouped, Objects, StrTriple, group_triples, per_mapping
from rdfgen.vocab import PREFIXES


def jsonld_context() -> dict[str, str]:
    """The full-graph JSON-LD context: our prefixes, inline so the file needs no remote context."""
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


# --- jsonld_text: the full graph straight from N-Triples term strings ---------------------------------------------
#
# The same document as jsonld_full (inline context of prefixes, @graph of node objects sorted by @id, compact IRIs,
# value objects, @type, {"@list": [...]}) at a small fraction of the cost: no rdflib Graph, no rdflib serialiser, no
# json.loads/json.dumps round trip. The text is laid out here exactly as json.dumps(indent=2, sort_keys=True,
# ensure_ascii=False) lays it out (the tests check that), with json's own C string encoder for every string.

_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_GEN_DELIMS = frozenset(":/?#[]@")
_CACHE_LIMIT = 1 << 16
_ODD_KEY = re.compile(r'[\x00-\x21"\\]')
"""A key with one of these characters can sort differently as ``"key": ...`` text than as a key (``"a"`` before
``"a!"`` but ``"a": `` after ``"a!": ``); a predicate written with UCHAR escapes (``<http://x/caf\u00E9>``) can be
the same IRI as another term of the node (``<http://x/café>``), whose members must then be merged into one key.
IRIs hardly ever have either: the nodes that do take the slower path at the end of _render's loop."""
_ID_OPEN = {6: '{\n        "@id": ', 8: '{\n          "@id": '}
_ID_CLOSE = {6: "\n      }", 8: "\n        }"}
"""An IRI value of a member, laid out at the depth of a single value (6) or of an array's item (8)."""
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEANS = frozenset(("true", "false"))
_NATIVE_INTEGER = re.compile(r"0|-?[1-9][0-9]{0,14}")
"""xsd:integer lexical forms written as JSON numbers, as jsonld_full does: canonical (so JSON-LD's number -> RDF
conversion gives the same lexical form back) and below 2**53 (so no JSON reader rounds them)."""


def _unescape_char(m: re.Match[str]) -> str:
    code = m.group(1) or m.group(2)
    if code:
        return chr(int(code, 16))
    try:
        return _ECHAR[m.group(3)]
    except KeyError:
        raise ValueError(f"not an N-Triples escape: \\{m.group(3)}") from None


def nt_unescape(text: str) -> str:
    """The characters an N-Triples string or IRI stands for: ECHAR (``\\n``, ``\\"`` ...) and UCHAR (``\\u00E9``,
    ``\\U0001F600``) undone. JSON has escapes of its own, so JSON-LD needs the text itself. A UTF-16 surrogate pair
    written as two ``\\u`` escapes (some writers do) becomes its one character; a lone surrogate is an error, as it
    cannot be written in UTF-8."""
    if "\\" not in text:
        return text
    out = _UNESCAPE.sub(_unescape_char, text)
    if _SURROGATE.search(out):
        try:
            out = out.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError(f"lone surrogate in N-Triples text: {text!r}") from None
    return out


class _ClashError(Exception):
    """An IRI written whole would read as a compact IRI: its scheme is a prefix of the context."""


class _Compactor:
    """``<iri>``/``_:label`` -> the string JSON-LD writes in ``@id``, ``@type`` and keys, for one prefix mapping:
    compact IRIs (longest namespace wins), cached across documents (predicates, classes, MeSH IRIs recur).

    A prefix is used only when its namespace ends in a gen-delim (``/``, ``#``, ...): JSON-LD 1.1 processors expand
    ``prefix:suffix`` only for such simple term definitions. A suffix starting with ``//`` would read as an absolute
    IRI, so such an IRI stays whole; so does an IRI no namespace matches, and if its scheme is a prefix of the
    context (``mesh:x``), it would read as a compact IRI: :class:`_ClashError`.
    """

    def __init__(self, context: Mapping[str, str]) -> None:
        self.context = dict(context)
        usable = sorted(((ns, prefix) for prefix, ns in self.context.items() if ns and ns[-1] in _GEN_DELIMS),
                        key=lambda np: (-len(np[0]), np[1]))
        self.prefix_of: dict[str, str] = {}
        for ns, prefix in usable:
            self.prefix_of.setdefault(ns, prefix)
        self.lead = min((len(ns) for ns in self.prefix_of), default=0)
        self.by_lead: dict[str, list[str]] = {}  # a namespace's first `lead` characters -> namespaces, longest first
        for ns in self.prefix_of:
            self.by_lead.setdefault(ns[:self.lead], []).append(ns)
        self.ids: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.odd_keys: set[str] = set()  # predicates whose keys sort differently once JSON-encoded and quoted
        self.layouts: dict[int, dict[str, str]] = {6: {}, 8: {}}  # term -> its JSON text at that depth
        self.types: dict[str | tuple[str, ...], str] = {}  # a node's classes (IRIs only) -> its "@type" member
        self.whole = (self.by_lead, self.lead, self.context, _ID_OPEN[6], _ID_CLOSE[6], _ID_OPEN[8], _ID_CLOSE[8])
        """What rdfgen._native.jsonld_members needs to write an IRI no namespace matches without asking ``miss``."""
        enc = encode_basestring
        ctx = ",\n    ".join([f"{enc(prefix)}: {enc(ns)}" for prefix, ns in sorted(self.context.items())])
        self.head = "{\n  \"@context\": " + ("{\n    " + ctx + "\n  }" if ctx else "{}") + ",\n  \"@graph\": "
        """The document up to its graph: the same for every document of this context."""

    def id(self, term: str) -> str:
        """The raw (not JSON-encoded) form of an IRI or blank node term."""
        hit = self.ids.get(term)
        if hit is not None:
            return hit
        if term[0] == "_":
            out = term
        else:
            iri = out = term[1:-1] if "\\" not in term else nt_unescape(term[1:-1])
            ns = self.namespace(iri) if iri[:self.lead] in self.by_lead else None
            if ns is not None and not iri.startswith("//", len(ns)):
                out = f"{self.prefix_of[ns]}:{iri[len(ns):]}"
            else:
                scheme, _, rest = iri.partition(":")
                if scheme in self.context and not rest.startswith("//"):
                    raise _ClashError(scheme)
        if len(self.ids) >= _CACHE_LIMIT:
            self.ids.clear()
        self.ids[term] = out
        return out

    def namespace(self, iri: str) -> str | None:
        """The longest namespace of the context the IRI starts with: one dictionary look-up rules out all of them
        for most IRIs that have none (a record's own nodes), where a regular expression tries each in turn."""
        for ns in self.by_lead.get(iri[:self.lead], ()):
            if iri.startswith(ns):
                return ns
        return None

    def key(self, term: str) -> str:
        """A predicate as a member key, ``"encoded": ``."""
        hit = self.keys.get(term)
        if hit is None:
            raw = self.id(term)
            hit = encode_basestring(raw) + ": "
            if len(self.keys) >= _CACHE_LIMIT:
                self.keys.clear()
            if _ODD_KEY.search(raw) or "\\" in term:
                self.odd_keys.add(term)
            self.keys[term] = hit
        return hit


_COMPACTORS: dict[tuple[tuple[str, str], ...], _Compactor] = {}


def _compactor(context: Mapping[str, str]) -> _Compactor:
    return per_mapping(_COMPACTORS, context, _Compactor)


def _jsonld_terms(context: Mapping[str, str]) -> dict[str, str]:
    """The prefixes a JSON-LD context can hold as plain terms: not empty, no ':' (that would define a compact IRI or
    an IRI, not a term), not a keyword form (``@``), not ``_`` (``_:`` is always a blank node)."""
    return {k: str(v) for k, v in context.items() if k and ":" not in k and k[0] != "@" and k != "_"}


def jsonld_text(triples: Iterable[StrTriple], context: Mapping[str, str] | None = None) -> str:
    """The whole graph as JSON-LD, from N-Triples term strings, without rdflib: same shape as :func:`jsonld_full`.

    ``{"@context": {prefix: namespace}, "@graph": [node, ...]}``: nodes sorted by ``@id``, keys sorted, properties
    and ``@id``/``@type`` values as compact IRIs, IRIs as ``{"@id": ...}``, plain literals as JSON strings, language
    and typed literals as ``{"@value", "@language"}`` / ``{"@value", "@type"}``, except canonical xsd:integer and
    xsd:boolean values, which are JSON numbers and booleans as in jsonld_full (JSON-LD turns them back into the same
    lexical forms); other typed values stay strings, as a JSON number would not round-trip every lexical form.
    rdf:List cells are ``{"@list": [...]}`` at their single use (a list inside a list stays plain cells, which
    JSON-LD 1.0 readers understand too). ``context`` is a prefix mapping (default: all of rdfgen's, as jsonld_full);
    a prefix that is also the scheme of an IRI in the graph (``mesh:x`` as an absolute IRI) would make that IRI
    read as a compact one, so such a prefix is left out of this document's context. Same set of triples, same bytes.
    """
    grouped = group_triples(triples)
    compact = _default_compactor() if context is None else _compactor(_jsonld_terms(context))
    while True:
        try:
            return _render(grouped, compact)
        except _ClashError as clash:  # leave the prefix out and start again (each prefix at most once)
            terms = dict(compact.context)
            del terms[clash.args[0]]
            compact = _compactor(terms)


@cache
def _default_compactor() -> _Compactor:
    """The compactor of rdfgen's own context, looked up once rather than a document (the mapping's key is sorted
    and compared on every look-up)."""
    return _compactor(_jsonld_terms(jsonld_context()))


def _render(grouped: Grouped, compact: _Compactor) -> str:
    """The document for one context; raises _ClashError when an IRI written whole would read as a compact IRI.

    Hot loop: a plain literal without escapes or control characters is its own JSON text (json would escape only
    those, and quotes, which N-Triples has escaped already); every other IRI or literal value is laid out once per
    context and depth (the compactor's caches: vocabulary, MeSH and journal IRIs recur in every record); blank nodes,
    whose layout depends on the document (a list or not), are laid out per document.
    """
    enc = encode_basestring
    cid = compact.id
    heads, cells = grouped.lists(nested=False) if grouped.refs else ({}, set())

    def value(t: str, n: int) -> str:
        """One object term laid out as json.dumps(indent=2) does when it starts on a line indented ``n``."""
        c = t[0]
        inner, end = "\n" + " " * (n + 2), "\n" + " " * n + "}"
        if c == "<" or (c == "_" and t not in heads):
            return "{" + inner + '"@id": ' + enc(cid(t)) + end
        if c == "_":
            sep = "\n" + " " * (n + 4)
            return ("{" + inner + '"@list": [' + sep + ("," + sep).join([value(i, n + 4) for i in heads[t]]) + inner
                    + "]" + end)
        q = t.rfind('"')
        lexical = t[1:q]
        if "\\" in lexical:
            lexical = nt_unescape(lexical)
        if q == len(t) - 1:
            return enc(lexical)
        if t[q + 1] == "@":
            return "{" + inner + '"@language": ' + enc(t[q + 2:]) + "," + inner + '"@value": ' + enc(lexical) + end
        dt = t[q + 4:-1]
        if dt == _XSD_INTEGER and _NATIVE_INTEGER.fullmatch(lexical) or dt == _XSD_BOOLEAN and lexical in _BOOLEANS:
            return lexical
        return "{" + inner + '"@type": ' + enc(cid(t[q + 3:])) + "," + inner + '"@value": ' + enc(lexical) + end

    lay6, lay8 = compact.layouts[6], compact.layouts[8]
    ids = compact.ids

    def miss(t: str, layouts: dict[str, str], n: int) -> str:
        """Lay out a term not in ``layouts`` and keep it there, but a blank node (its layout is the document's)."""
        if t[0] == "<":
            text = _ID_OPEN[n] + enc(cid(t)) + _ID_CLOSE[n]
        else:
            text = value(t, n)
            if t[0] == "_":
                return text
        if len(layouts) >= _CACHE_LIMIT:
            layouts.clear()
        layouts[t] = text
        return text

    def values(objs: Objects) -> str:
        """The value of a member: one value, or the sorted array of several."""
        if type(objs) is str:
            return enc(objs[1:-1]) if objs[-1] == '"' and "\\" not in objs else lay6.get(objs) or miss(objs, lay6, 6)
        items = [enc(o[1:-1]) if o[-1] == '"' and "\\" not in o else lay8.get(o) or miss(o, lay8, 8) for o in objs]
        return "[\n        " + ",\n        ".join(sorted(items)) + "\n      ]"

    graph = _nodes(grouped.index, cells, RDF_TYPE, compact.keys, compact.key, lay6, lay8, miss, enc, compact.whole,
                   ids, cid, compact.types, lambda objs: _type_member(compact, objs), compact.odd_keys,
                   lambda preds, node_id: _odd_node(compact, preds, node_id, values))
    return compact.head + ("[\n    " + graph + "\n  ]" if graph else "[]") + "\n}\n"


def nodes_py(index: dict[str, dict[str, Objects]], cells: Container[str], rdf_type: str, keys: dict[str, str],
             key: Callable[[str], str], lay6: dict[str, str], lay8: dict[str, str],
             miss: Callable[[str, dict[str, str], int], str], enc: Callable[[str], str], whole: tuple[Any, ...],
             ids: dict[str, str], cid: Callable[[str], str], types: dict[str | tuple[str, ...], str],
             type_member: Callable[[Objects], str], odd_keys: set[str],
             odd: Callable[[dict[str, Objects], str], str]) -> str:
    """The nodes of a document, sorted by ``@id`` and joined: each subject but the inline lists' ``cells``, its
    members (``_members``), ``@id`` (from ``ids``, else ``cid``) and ``@type`` (from ``types``, else
    ``type_member``) sorted; a node with a class that is no IRI or a key in ``odd_keys`` is ``odd``'s. The Python
    twin of ``rdfgen._native.jsonld_nodes`` (tests/test_fast_writers.py proves them alike)."""
    nodes: list[tuple[str, str]] = []
    for s, preds in index.items():
        if s in cells:
            continue
        node_id = ids.get(s) or cid(s)
        members = _members(preds, rdf_type, keys, key, lay6, lay8, miss, enc, whole)
        members.append('"@id": ' + enc(node_id))
        objs = preds.get(rdf_type)
        if objs is not None:
            typed = types.get(objs if type(objs) is str else tuple(objs)) or type_member(objs)
            if typed:
                members.append(typed)
            else:  # a blank node or a literal as a class: an rdf:type member (see _type_member)
                nodes.append((node_id, odd(preds, node_id)))
                continue
        if odd_keys and not odd_keys.isdisjoint(preds):
            nodes.append((node_id, odd(preds, node_id)))
            continue
        members.sort()  # the member text starts with the quoted key: sorting the text sorts the keys
        nodes.append((node_id, "{\n      " + ",\n      ".join(members) + "\n    }"))
    nodes.sort()
    return ",\n    ".join([n for _, n in nodes])


def members_py(preds: dict[str, Objects], rdf_type: str, keys: dict[str, str], key: Callable[[str], str],
               lay6: dict[str, str], lay8: dict[str, str], miss: Callable[[str, dict[str, str], int], str],
               enc: Callable[[str], str], whole: tuple[Any, ...] = ()) -> list[str]:
    """A node's members but its ``@id`` and ``@type``, ``"key": value`` text in the order of its predicates: the
    loop over every (subject, predicate) of a document (``values`` inlined). The Python twin of
    ``rdfgen._native.jsonld_members`` (tests/test_fast_writers.py proves them alike), which also writes an IRI no
    namespace of the context matches (``whole``: the compactor's namespaces and context) itself, the text ``miss``
    would make, without keeping it: a record's own IRIs, met once each, would crowd the layouts out."""
    return [(keys.get(p) or key(p)) + (
        ((objs if objs.isprintable() else enc(objs[1:-1])) if objs[-1] == '"' and "\\" not in objs
         else lay6.get(objs) or miss(objs, lay6, 6))
        if type(objs) is str else "[\n        " + ",\n        ".join(sorted(
            [(o if o.isprintable() else enc(o[1:-1])) if o[-1] == '"' and "\\" not in o
             else lay8.get(o) or miss(o, lay8, 8) for o in objs]))
        + "\n      ]") for p, objs in preds.items() if p != rdf_type]


try:
    from rdfgen._native import jsonld_members as _native_members
except ImportError:  # built without a C compiler: the Python twin serves
    _native_members = None
_members = _native_members if _native_members is not None else members_py

try:
    from rdfgen._native import jsonld_nodes as _native_nodes
except ImportError:  # built without a C compiler: the Python twin serves
    _native_nodes = None
_nodes = _native_nodes if _native_nodes is not None else nodes_py


def _type_member(compact: _Compactor, objs: Objects) -> str:
    """The ``"@type": ...`` member of a node's classes, kept per context when they are all IRIs (a few dozen
    combinations: schema:Person, skos:Concept with schema:DefinedTerm ...); empty when one is a blank node or a
    literal, which JSON-LD cannot put in @type: such a node is written by _odd_node."""
    classes = (objs,) if type(objs) is str else objs
    if any(o[0] != "<" for o in classes):
        return ""
    text = _types(compact, classes)
    if len(compact.types) >= _CACHE_LIMIT:
        compact.types.clear()
    compact.types[objs if type(objs) is str else tuple(objs)] = text
    return text


def _types(compact: _Compactor, classes: Iterable[str]) -> str:
    names = sorted([encode_basestring(compact.id(o)) for o in classes])
    return '"@type": ' + (names[0] if len(names) == 1 else "[\n        " + ",\n        ".join(names) + "\n      ]")


def _odd_node(compact: _Compactor, preds: dict[str, Objects], node_id: str,
              values: Callable[[Objects], str]) -> str:
    """A node the fast loop leaves alone: one whose keys sort differently once quoted, or that merge (see _ODD_KEY),
    or with a blank node or literal as a class (an ``rdf:type`` member next to ``@type``). Members are merged by
    key and sorted by key."""
    keywords = [("@id", '"@id": ' + encode_basestring(node_id))]
    others: dict[str, None] = {}
    objs = preds.get(RDF_TYPE)
    if objs is not None:
        classes = (objs,) if type(objs) is str else objs
        if any(o[0] == "<" for o in classes):
            keywords.append(("@type", _types(compact, [o for o in classes if o[0] == "<"])))
        others = {o: None for o in classes if o[0] != "<"}
    merged: dict[str, dict[str, None]] = {}
    for p, objs in preds.items():
        values_of = others if p == RDF_TYPE else (objs,) if type(objs) is str else objs
        if values_of:
            merged.setdefault(compact.id(p), {}).update(dict.fromkeys(values_of))
    ranked = [(raw, encode_basestring(raw) + ": " + values(next(iter(vs)) if len(vs) == 1 else vs))
              for raw, vs in merged.items()]
    return "{\n      " + ",\n      ".join([m for _, m in sorted(ranked + keywords)]) + "\n    }"
