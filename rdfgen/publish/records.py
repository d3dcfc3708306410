"""One record on its way to publication: enriched, mapped, and accounted for in the build report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdfgen.errors import SourceError
from rdfgen.iris import Iris
from rdfgen.mapping import Triple, record_triples
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.model import Deletion, Record


@dataclass
class BuildReport:
    """What happened to every record: read = published + skipped (nothing silently dropped)."""

    read: int = 0
    published: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.errors

    def summary(self) -> str:
        return (f"records read: {self.read}, published: {len(self.published)}, skipped: {len(self.skipped)}, "
                f"deleted: {len(self.deleted)}")


RecordItem = Record | Deletion | SourceError


def map_record(record: Record, iris: Iris, enricher: MeshEnricher | None,
               descriptors: set[str] | None = None) -> tuple[Record, list[Triple]]:
    """The record as published (enriched with MeSH when there is a vocabulary) and its triples; the MeSH
    descriptors it names are added to ``descriptors`` (for the dataset's MeSH graph)."""
    if enricher is None:
        return record, list(record_triples(record, iris, descriptors=descriptors))
    record = enricher(record)
    return record, list(record_triples(record, iris, linker=enricher.link, descriptors=descriptors))

