"""Per-record documents (Turtle, N-Triples, JSON-LD, the embedding JSON-LD, an HTML page), rendered from a record's
triples; a shard's worker stages them and the dataset step moves the live ones into ``out/pubmed/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rdfgen.iris import DEFAULT_BASE, Iris
from rdfgen.mapping import Triple
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.model import Record
from rdfgen.publish.records import BuildReport, RecordItem
from rdfgen.serialize.embedding import embed_object, embed_text
from rdfgen.serialize.html import article_page
from rdfgen.serialize.jsonld import jsonld_text
from rdfgen.serialize.ntriples import ntriples
from rdfgen.serialize.turtle import group_triples, turtle_text


def render_documents(record: Record, triples: list[Triple], iris: Iris) -> dict[str, str]:
    """The record's five documents, each straight from its triples (no rdflib Graph, no pyld), by extension."""
    grouped = group_triples(triples)
    embedding = embed_object(grouped, iris.article_iri(record.pmid), tuple(k.text for k in record.keywords))
    embedded = embed_text(embedding)
    return {"nt": ntriples(grouped), "ttl": turtle_text(grouped), "jsonld": jsonld_text(grouped),
            "embed.jsonld": embedded, "html": article_page(record, iris, embedding, embedded)}


DOCUMENT_EXTENSIONS = ("nt", "ttl", "jsonld", "embed.jsonld", "html")


def publish(items: Iterable[RecordItem], out: Path, *, base: str | None = None, validate: bool = True,
            enricher: MeshEnricher | None = None, log: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Publish a stream of records (and deletions, and source errors to report) into ``out`` with per-record
    documents: one more shard after those already there, then the dataset (rdfgen.publish.build)."""
    from rdfgen.publish.build import publish_items

    return publish_items(items, out, base=base or DEFAULT_BASE, validate=validate, enricher=enricher,
                         documents=True, log=log)
