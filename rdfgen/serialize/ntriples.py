"""N-Triples and N-Quads: a fast writer of our own, one line per triple, sorted, escaping only where a term needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from rdfgen.vocab import XSD

Triple = tuple[Node, Node, Node]


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


_LITERAL_RE = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')


_IRI_BAD_RE = re.compile(r'[\s\x00-\x20<>"{}|^`\\\x7f]')  # \s: Unicode spaces too, which parsers reject


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def nt_iri(iri: str) -> str:
    """An IRI in N-Triples; characters an IRI may not hold are percent-encoded (as RFC 3987 maps them to a URI)."""
    return "<" + _IRI_BAD_RE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode()), iri) + ">"


@lru_cache(maxsize=1 << 16)
def nt_term(term: Node) -> str:
    """One term in canonical N-Triples form (RDF 1.1: UTF-8, only the required escapes). Cached: predicates,
    classes, journals and MeSH terms recur in every record."""
    if isinstance(term, URIRef):
        return nt_iri(str(term))
    if isinstance(term, BNode):
        return f"_:{re.sub(r'[^A-Za-z0-9_]', '_', str(term))}"
    if isinstance(term, Literal):
        text = '"' + _LITERAL_RE.sub(_escape_char, str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^{nt_iri(str(term.datatype))}"
        return text
    raise TypeError(f"not an RDF term: {term!r}")


def nt_line(triple: Triple, graph: URIRef | None = None) -> str:
    s, p, o = triple
    if graph is None:
        return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {nt_term(graph)} .\n"


def ntriples(triples: Iterable[Triple], graph: URIRef | None = None) -> str:
    """Sorted, de-duplicated N-Triples (or N-Quads with ``graph``): diffable and byte-stable."""
    return "".join(sorted({nt_line(t, graph) for t in triples}))

