"""Cost of making and writing one triple as an N-Triples line: rdflib terms vs pyoxigraph terms vs pre-rendered
N-Triples strings (what rdfgen.mapping.terms chose). CPU microseconds a triple; run: python bench/terms.py"""

from __future__ import annotations

import time

import pyoxigraph as ox
from rdflib import Literal, URIRef

from rdfgen.mapping.terms import lit
from rdfgen.serialize.ntriples import nt_line

N = 100_000
titles = [f"Title number {i} with \u03b1 plain" for i in range(N)]
S = "http://localhost:8000/pubmed/"

def rdflib_way() -> list[str]:
    """rdflib terms, written by rdfgen's N-Triples writer."""
    pred = URIRef("https://schema.org/headline")
    out = []
    for i, t in enumerate(titles):
        out.append(nt_line((URIRef(S + str(i)), pred, Literal(t))))
    return out


def ox_way() -> list[str]:
    """pyoxigraph terms, written by pyoxigraph."""
    pred = ox.NamedNode("https://schema.org/headline")
    out = []
    for i, t in enumerate(titles):
        out.append(str(ox.Triple(ox.NamedNode(S + str(i)), pred, ox.Literal(t))) + " .\n")
    return out


def str_way() -> list[str]:
    """Pre-rendered predicate, escaped-on-need literal, f-string line."""
    pred = "<https://schema.org/headline>"
    out = []
    for i, t in enumerate(titles):
        out.append(f"<{S}{i}> {pred} {lit(t)} .\n")
    return out


if __name__ == "__main__":
    for f in (rdflib_way, ox_way, str_way):
        t = time.process_time()
        f()
        d = time.process_time() - t
        print(f"{f.__name__:12s} {d/N*1e6:6.2f} us/triple")
