"""Triples into an rdflib Graph, for the serialisers and checks that need one (Turtle, JSON-LD, SHACL, tests).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph

from rdfgen.serialize.ntriples import Triple
from rdfgen.vocab import PREFIXES


def to_graph(triples: Iterable[Triple]) -> Graph:
    """A Graph with our prefixes bound (and rdflib's defaults not), for Turtle and JSON-LD."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for t in triples:
        g.add(t)
    return g

