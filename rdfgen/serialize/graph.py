"""Triples into an rdflib Graph, for the checks and single-record tools that need one (SHACL with pySHACL, rdflib's
serialisers, tests). The bulk path never builds one: the mapping's triples are N-Triples strings, turned into rdflib
terms here only when a caller asks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from rdfgen.serialize.ntriples import Triple
from rdfgen.vocab import PREFIXES

_LITERAL = re.compile(r'^"(?P<lex>.*)"(?:@(?P<lang>[A-Za-z0-9-]+)|\^\^<(?P<dt>[^>]*)>)?$', re.S)
_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape_char(m: re.Match[str]) -> str:
    code = m.group(1) or m.group(2)
    return chr(int(code, 16)) if code else _CHARS[m.group(3)]


def unescape(lexical: str) -> str:
    """A literal's text from its N-Triples form (ECHAR and UCHAR escapes undone)."""
    return _UNESCAPE.sub(_unescape_char, lexical) if "\\" in lexical else lexical


@lru_cache(maxsize=1 << 12)
def from_nt(term: str) -> Node:
    """One N-Triples term as an rdflib term: ``<iri>``, ``_:label`` or a literal with its language or datatype."""
    if term.startswith("<"):
        return URIRef(term[1:-1])
    if term.startswith("_:"):
        return BNode(term[2:])
    m = _LITERAL.match(term)
    if m is None:
        raise ValueError(f"not an N-Triples term: {term!r}")
    text = unescape(m["lex"])
    if m["lang"]:
        return Literal(text, lang=m["lang"])
    return Literal(text, datatype=URIRef(m["dt"])) if m["dt"] else Literal(text)


def rdflib_term(term: Node | str) -> Node:
    """An rdflib term, whichever form it came in."""
    return from_nt(term) if type(term) is str else term  # type: ignore[return-value]


def to_graph(triples: Iterable[Triple]) -> Graph:
    """A Graph with our prefixes bound (and rdflib's defaults not), for Turtle and JSON-LD."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o in triples:
        g.add((rdflib_term(s), rdflib_term(p), rdflib_term(o)))
    return g
