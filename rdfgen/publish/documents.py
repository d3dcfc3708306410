"""Per-record documents (Turtle, N-Triples, JSON-LD, the embedding JSON-LD, an HTML page, and the record as CSL-JSON,
BibTeX and RIS), rendered from a record's triples; a shard's worker stages them and the dataset step moves the live
ones into ``out/pubmed/``. The formatted reference (citeproc, milliseconds a record) is left to the server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rdfgen.iris import DEFAULT_BASE, Iris
from rdfgen.mapping import Triple
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.model import Record
from rdfgen.publish.records import BuildReport, RecordItem
from rdfgen.serialize.citation import bibtex_entry, csl_json, ris_record, work
from rdfgen.serialize.embedding import embed_object, embed_text
from rdfgen.serialize.html import article_page
from rdfgen.serialize.jsonld import jsonld_text
from rdfgen.serialize.ntriples import ntriples
from rdfgen.serialize.turtle import group_triples, turtle_text


def render_documents(record: Record, triples: list[Triple], iris: Iris) -> dict[str, str]:
    """The record's documents, each straight from its triples (no rdflib Graph, no pyld), by extension. The
    citation and the page's meta tags come from one reading of the triples (citation.work)."""
    grouped = group_triples(triples)
    article = iris.article_iri(record.pmid)
    embedding = embed_object(grouped, article, tuple(k.text for k in record.keywords))
    embedded = embed_text(embedding)
    cite = work(grouped, article)
    return {"nt": ntriples(grouped), "ttl": turtle_text(grouped), "jsonld": jsonld_text(grouped),
            "embed.jsonld": embedded, "html": article_page(record, iris, embedding, embedded, cite=cite),
            "csl.json": csl_json([cite]), "bib": bibtex_entry(cite), "ris": ris_record(cite)}


DOCUMENT_EXTENSIONS = ("nt", "ttl", "jsonld", "embed.jsonld", "html", "csl.json", "bib", "ris")


def publish(items: Iterable[RecordItem], out: Path, *, base: str | None = None, validate: bool = True,
            enricher: MeshEnricher | None = None, log: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Publish a stream of records (and deletions, and source errors to report) into ``out`` with per-record
    documents: one more shard after those already there, then the dataset (rdfgen.publish.build)."""
    from rdfgen.publish.build import publish_items

    return publish_items(items, out, base=base or DEFAULT_BASE, validate=validate, enricher=enricher,
                         documents=True, log=log)
