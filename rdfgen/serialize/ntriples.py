"""N-Triples and N-Quads: a fast writer of our own, one line per triple, sorted, escaping only where a term needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from rdfgen.mapping.terms import bnode, escape, uri
from rdfgen.serialize.turtle import Grouped, Objects
from rdfgen.vocab import XSD

Triple = tuple[Node | str, Node | str, Node | str]
"""rdflib terms, or N-Triples term strings as the mapping emits them; the writers take both."""


def nt_iri(iri: str) -> str:
    """An IRI in N-Triples; characters an IRI may not hold are percent-encoded (as RFC 3987 maps them to a URI)."""
    return uri(iri)


def nt_term(term: Node | str) -> str:
    """One term in canonical N-Triples form (RDF 1.1: UTF-8, only the required escapes). Cached: predicates,
    classes, journals and MeSH terms recur in every record. The cache is keyed by what the text is made of, not by
    the term: rdflib holds terms equal that are written differently (``Literal("x", lang="EN")`` equals
    ``Literal("x", lang="en")``, with one hash), and a cache keyed by the term would write whichever came first."""
    if type(term) is str:  # already N-Triples: what the mapping emits
        return term
    if isinstance(term, Literal):
        return _nt_term((Literal, str(term), term.language, term.datatype))
    return _nt_term((type(term), str(term), None, None))


@lru_cache(maxsize=1 << 12)
def _nt_term(key: tuple[type, str, str | None, URIRef | None]) -> str:
    kind, text, language, datatype = key
    if issubclass(kind, URIRef):
        return nt_iri(text)
    if issubclass(kind, BNode):
        return bnode(text)
    if issubclass(kind, Literal):
        quoted = f'"{escape(text)}"'
        if language:
            return f"{quoted}@{language}"
        if datatype is not None and datatype != XSD.string:
            return f"{quoted}^^{nt_iri(str(datatype))}"
        return quoted
    raise TypeError(f"not an RDF term: {kind.__name__} {text!r}")


def nt_line(triple: Triple, graph: URIRef | None = None) -> str:
    s, p, o = triple
    if graph is None:
        return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {nt_term(graph)} .\n"


def ntriples(triples: Iterable[Triple] | Grouped, graph: URIRef | None = None) -> str:
    """Sorted, de-duplicated N-Triples (or N-Quads with ``graph``): diffable and byte-stable. Triples of N-Triples
    strings (what the mapping emits) are joined as they are; rdflib terms are rendered first. Triples already
    grouped for the other writers (:func:`~rdfgen.serialize.turtle.group_triples`) are written in the order the
    grouping sorted once for Turtle too, which is the order of the sorted lines."""
    end = f" {nt_term(graph)} .\n" if graph is not None else " .\n"
    if isinstance(triples, Grouped):
        return _grouped_lines(triples.order(), end)
    lines = set()
    for s, p, o in triples:
        if type(s) is str and type(p) is str and type(o) is str:
            lines.add(f"{s} {p} {o}{end}")
        else:
            lines.add(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}{end}")
    return "".join(sorted(lines))


def grouped_lines_py(order: list[tuple[str, dict[str, Objects], tuple[str, ...]]], end: str) -> str:
    """The lines of grouped triples (``Grouped.order()``), each built once with one f-string: no set of lines to
    hash, no sort of them. ``rdfgen._native.grouped_lines`` is its twin, which joins the terms without making a
    string a line (tests/test_fast_writers.py proves them alike)."""
    out: list[str] = []
    for s, preds, ps in order:
        for p in ps:
            objs = preds[p]
            if type(objs) is str:
                out.append(f"{s} {p} {objs}")
            else:
                head = f"{s} {p} "
                out += [head + o for o in sorted(objs)]
    return end.join(out) + end if out else ""


try:
    from rdfgen._native import grouped_lines as _native_grouped_lines
except ImportError:  # built without a C compiler: the Python twin serves
    _native_grouped_lines = None
_grouped_lines = _native_grouped_lines if _native_grouped_lines is not None else grouped_lines_py
