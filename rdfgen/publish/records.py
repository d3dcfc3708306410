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
    """What happened to every record: read = published + skipped + superseded (nothing silently dropped).

    ``superseded`` records were replaced by a later record of the same PMID in the same file, or deleted by its
    DeleteCitation (a warning, not a failure); ``deleted`` are PMIDs a DeleteCitation removed from the dataset, and
    ``deletions_absent`` those it named that the dataset did not hold."""

    read: int = 0
    published: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    superseded: int = 0
    deletions_absent: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.errors

    def summary(self) -> str:
        text = (f"records read: {self.read}, published: {len(self.published)}, skipped: {len(self.skipped)}, "
                f"deleted: {len(self.deleted)}")
        if self.superseded:
            text += f", superseded in the same file: {self.superseded}"
        if self.deletions_absent:
            text += f" ({self.deletions_absent} PMID(s) of DeleteCitation not in the dataset)"
        return text


RecordItem = Record | Deletion | SourceError


def map_record(record: Record, iris: Iris, enricher: MeshEnricher | None,
               descriptors: set[str] | None = None) -> tuple[Record, list[Triple]]:
    """The record as published (enriched with MeSH when there is a vocabulary) and its triples; the MeSH
    descriptors it names are added to ``descriptors`` (for the dataset's MeSH graph)."""
    if enricher is None:
        return record, list(record_triples(record, iris, descriptors=descriptors))
    record = enricher(record)
    return record, list(record_triples(record, iris, linker=enricher.link, descriptors=descriptors))

