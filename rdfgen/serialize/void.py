"""The dataset's self-description: VoID (counts, vocabularies, partitions, dumps), DCAT (distributions) and
schema.org (``Dataset``, ``DataDownload``: what Google Dataset Search reads, embedded in the server's landing pages)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from rdfgen.iris import Iris, pubmed_url
from rdfgen.serialize.ntriples import nt_term
from rdfgen.serialize.turtle import turtle_text
from rdfgen.vocab import DCAT, DCTERMS, PREFIXES, RDF, SDO, VOID, XSD

DUMPS = (("dataset.nt.gz", "application/n-triples", "gzip"), ("dataset.nq.gz", "application/n-quads", "gzip"),
         ("dataset.ttl", "text/turtle", None))
_RDF_TYPE = f"<{RDF.type}>"
NLM_TERMS = URIRef("https://www.nlm.nih.gov/databases/download/terms_and_conditions.html")


@dataclass
class VoidStats:
    """Counts over the triples of a dataset, gathered as they stream past. With ``distinct`` off (PubMed-scale
    dumps) no per-subject set is kept, so memory stays flat, and the counts are of triples as written."""

    distinct: bool = True
    triples: int = 0
    subjects: set[str] = field(default_factory=set)
    properties: set[str] = field(default_factory=set)
    classes: Counter[str] = field(default_factory=Counter)

    def add_triples(self, triples: Iterable[tuple[str, str, str]], count: int) -> None:
        """Count one record's ``count`` distinct triples (N-Triples terms) without writing or splitting lines."""
        self.triples += count
        self.properties.update({p for _s, p, _o in triples})
        for _s, o in {(s, o) for s, p, o in triples if p == _RDF_TYPE}:
            self.classes[o[1:-1]] += 1

    def add_lines(self, lines: Iterable[str]) -> None:
        """Count N-Triples lines with or without their terminating " .\\n"."""
        for line in lines:
            self.add_line(line)

    def remove_lines(self, lines: Iterable[str]) -> None:
        """Take lines counted before back out (a superseded record); properties stay as a superset."""
        for line in lines:
            _s, p, o = line.split(" ", 2)
            self.triples -= 1
            if p == _RDF_TYPE:
                self.classes[o[1:o.index(">")]] -= 1
                if not self.classes[o[1:o.index(">")]]:
                    del self.classes[o[1:o.index(">")]]

    def add_line(self, line: str) -> None:
        """Count one N-Triples line (subject, predicate and a class IRI never hold a space: see nt_iri)."""
        s, p, o = line.split(" ", 2)
        self.triples += 1
        self.properties.add(p)
        if self.distinct:
            self.subjects.add(s)
        if p == _RDF_TYPE:
            self.classes[o[1:o.index(">")]] += 1


def dataset_object(void_text: str, dataset: str) -> dict[str, Any]:
    """The dataset as one schema.org ``Dataset`` object for a landing page's ``<script type="application/ld+json">``
    (what Google Dataset Search reads): the schema.org statements of its VoID description (``void.ttl``), nested
    and compacted as an article's embedding is (name, description, license, source, a ``DataDownload``
    ``distribution`` per dump with its ``contentUrl`` and ``encodingFormat``), so it says what the VoID says."""
    import pyoxigraph as ox

    from rdfgen.serialize.embedding import embed_object

    triples = [(str(q.subject), str(q.predicate), str(q.object))
               for q in ox.parse(void_text.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
    return embed_object(triples, dataset)


def void_turtle(iris: Iris, stats: VoidStats, pmids: list[str] | None = None,
                dumps: tuple[str, ...] = ("dataset.nt.gz", "dataset.nq.gz", "dataset.ttl"), *,
                records: int | None = None, example: str | None = None) -> str:
    """VoID + DCAT for the dataset; a modification date only when SOURCE_DATE_EPOCH fixes one (reproducibility).
    The record count and example record come from ``pmids`` (the first) or are given as ``records``/``example``."""
    if pmids is not None:
        records, example = len(pmids), (pmids[0] if pmids else None)
    ds = iris.dataset()
    triples: list[tuple[Node, Node, Node]] = [
        (ds, RDF.type, VOID.Dataset), (ds, RDF.type, DCAT.Dataset), (ds, RDF.type, SDO.Dataset),
        (ds, DCTERMS.title, Literal("rdfgen: PubMed records as linked data")),
        (ds, SDO.name, Literal("rdfgen: PubMed records as linked data")),
        (ds, DCTERMS.description, Literal(f"{records or 0} PubMed record(s) in schema.org, BIBO, DCTerms, FaBiO, "
                                          "CiTO and PROV terms, published by rdfgen.")),
        (ds, DCTERMS.source, URIRef("https://pubmed.ncbi.nlm.nih.gov/")),
        (ds, DCTERMS.license, NLM_TERMS),
        (ds, SDO.description, Literal(f"{records or 0} PubMed record(s) in schema.org, BIBO, DCTerms, FaBiO, "
                                      "CiTO and PROV terms, published by rdfgen.")),
        (ds, SDO.license, NLM_TERMS), (ds, SDO.isBasedOn, URIRef("https://pubmed.ncbi.nlm.nih.gov/")),
        (ds, VOID.triples, Literal(stats.triples)),
        (ds, VOID.properties, Literal(len(stats.properties))),
        (ds, VOID.classes, Literal(len(stats.classes))),
        (ds, VOID.uriSpace, Literal(iris.base)),
        (ds, VOID.sparqlEndpoint, iris.sparql()),
        (ds, VOID.feature, URIRef("http://www.w3.org/ns/formats/N-Triples")),
        (ds, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")),
    ]
    if stats.distinct:
        triples += [(ds, VOID.entities, Literal(sum(1 for s in stats.subjects if s.startswith("<")))),
                    (ds, VOID.distinctSubjects, Literal(len(stats.subjects)))]
    for prefix in ("schema", "bibo", "dcterms", "foaf", "fabio", "cito", "biro", "c4o", "prov", "skos", "rdfgen"):
        triples.append((ds, VOID.vocabulary, URIRef(str(PREFIXES[prefix]))))
    if example:
        triples.append((ds, VOID.exampleResource, iris.article(example)))
        triples.append((iris.article(example), DCTERMS.source, pubmed_url(example)))
    for name, media_type, compression in (d for d in DUMPS if d[0] in dumps):
        dump = iris.file(name)
        triples += [(ds, VOID.dataDump, dump), (ds, DCAT.distribution, dump), (dump, RDF.type, DCAT.Distribution),
                    (dump, DCAT.downloadURL, dump), (dump, DCAT.mediaType, Literal(media_type))]
        download = URIRef(f"{ds}#download-{name}")  # the schema.org view of it: a node apart from the file it names
        triples += [(ds, SDO.distribution, download), (download, RDF.type, SDO.DataDownload),
                    (download, SDO.name, Literal(name)), (download, SDO.contentUrl, dump),
                    (download, SDO.encodingFormat, Literal(media_type))]
        if compression:
            triples.append((dump, DCAT.compressFormat, Literal(f"application/{compression}")))
    for k, (cls, count) in enumerate(sorted(stats.classes.items()), start=1):
        part = URIRef(f"{ds}#class-{k}")
        triples += [(ds, VOID.classPartition, part), (part, VOID["class"], URIRef(cls)),
                    (part, VOID.entities, Literal(count))]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        day = datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
        triples.append((ds, DCTERMS.modified, Literal(day, datatype=XSD.date)))
    return turtle_text([(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in triples])
