"""Citations of records in a store: each record's triples gathered from the store (its own graph, and the
journal, volume, issue, book and publisher it points at in the shared graph), then written by
rdfgen.serialize.citation. Shared by ``rdfgen.cite`` and ``rdfgen cite``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from rdfgen.mapping import Triple
from rdfgen.serialize.citation import Cited, citation_format, render, work
from rdfgen.serialize.ntriples import nt_term
from rdfgen.sparql.results import from_oxigraph
from rdfgen.sparql.run import open_data
from rdfgen.sparql.store import open_store
from rdfgen.vocab import BIBO, SDO


def cite_stored(pmids: Iterable[str], format: str = "csl", *, style: str = "apa", locale: str = "en-US",
                data: str | os.PathLike[str] | None = None, store: str | os.PathLike[str] | None = None) -> Cited:
    """Citations of published records, read from a build folder (``data``, default ``out/``: the store cached
    beside its dump) or a persistent store (``store``): CSL-JSON (``csl``), ``bibtex``, ``ris``, or a reference
    formatted by citeproc-py (``text``, ``html``) in a CSL ``style`` and ``locale``. ``.text`` is the document for
    the records found, ``.missing`` the PMIDs the data does not hold. ``rdfgen.cite`` and ``rdfgen cite``."""
    citation_format(format)  # an unknown format fails before the store is opened
    db = open_store(os.fspath(store), read_only=True) if store is not None else open_data(os.fspath(data or "out"))
    works, missing = [], []
    for pmid in pmids:
        found = _stored_record(db, pmid)
        if found is None:
            missing.append(pmid)
        else:
            works.append(work(found[1], found[0]))
    return Cited(render(works, format, style, locale) if works else "", tuple(missing))


def _stored_record(store: Any, pmid: str) -> tuple[str, list[Triple]] | None:
    """A record's article IRI and triples from a store: its own graph (found by its bibo:pmid, whatever base the
    build used), plus the shared graph's journal, volume, issue, book and publisher statements it points at (the
    server's record lookup, rdfgen.server.site, reads the same quads)."""

    def triple(q: ox.Quad) -> Triple:
        return nt_term(from_oxigraph(q.subject)), nt_term(from_oxigraph(q.predicate)), nt_term(from_oxigraph(q.object))

    for hit in store.quads_for_pattern(None, ox.NamedNode(str(BIBO.pmid)), ox.Literal(pmid), None):
        graph, article = hit.graph_name, hit.subject.value
        if not isinstance(graph, ox.NamedNode) or graph.value != f"{article}#graph":
            continue  # a cited work's PMID, said in another record's or the shared graph
        own = list(store.quads_for_pattern(None, None, None, graph))
        shared = ox.NamedNode(article[: article.rindex("pubmed/")] + "shared#graph")
        follow = {ox.NamedNode(str(SDO.isPartOf)), ox.NamedNode(str(SDO.publisher))}
        queue = [q.object for q in own if q.predicate in follow and isinstance(q.object, ox.NamedNode)]
        seen, closure = set(queue), []
        while queue:
            for q in store.quads_for_pattern(queue.pop(), None, None, shared):
                closure.append(q)
                if q.predicate in follow and isinstance(q.object, ox.NamedNode) and q.object not in seen:
                    seen.add(q.object)
                    queue.append(q.object)
        return article, [triple(q) for q in own + closure]
    return None
