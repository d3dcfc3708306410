"""The composition: one record's parts in the order they are published, minus empty literals."""

from __future__ import annotations

from collections.abc import Iterator

from rdfgen.iris import Iris
from rdfgen.mapping.article import (
    abstracts,
    dates,
    grants,
    identifiers,
    languages,
    links,
    publication_types,
    titles,
    types,
)
from rdfgen.mapping.container import book, container
from rdfgen.mapping.core import KeywordLinker, RecordContext, Triple
from rdfgen.mapping.people import authors
from rdfgen.mapping.provenance import provenance
from rdfgen.mapping.references import references
from rdfgen.mapping.subjects import keywords, mesh, substances
from rdfgen.mapping.terms import BIBO, DCTERMS, EMPTY, SDO
from rdfgen.model import Record


class _RecordMapper(RecordContext):
    """Emits the triples of one record. Each part is a function of the context in its own module; assigned here it
    becomes a method, so ``_all`` reads as the list of parts and a test can replace one part on the class."""

    types = types
    titles = titles
    identifiers = identifiers
    abstracts = abstracts
    dates = dates
    languages = languages
    publication_types = publication_types
    authors = authors
    container = container
    book = book
    keywords = keywords
    mesh = mesh
    substances = substances
    grants = grants
    links = links
    references = references
    provenance = provenance

    def triples(self) -> Iterator[Triple]:
        """All parts, minus empty literals (no meaning, and rdflib's JSON-LD writer would drop them)."""
        for triple in self._all():
            if triple[2] != EMPTY:
                yield triple

    def _all(self) -> Iterator[Triple]:
        yield from self.types()
        yield from self.titles()
        yield from self.identifiers()
        yield from self.abstracts()
        yield from self.dates()
        yield from self.languages()
        yield from self.publication_types()
        yield from self.authors(self.r.authors, "author", SDO.author, BIBO.authorList, DCTERMS.creator)
        yield from self.authors(self.r.investigators, "investigator", SDO.contributor, None, DCTERMS.contributor)
        yield from self.container()
        yield from self.book()
        yield from self.keywords()
        yield from self.mesh()
        yield from self.substances()
        yield from self.grants()
        yield from self.links()
        yield from self.references()
        yield from self.provenance()


def record_triples(record: Record, iris: Iris | None = None, *, linker: KeywordLinker | None = None,
                   descriptors: set[str] | None = None) -> Iterator[Triple]:
    """The triples of one record, as a stream. ``linker`` maps an author keyword to MeSH (or None). The MeSH
    descriptors the record names are added to ``descriptors`` when given, for the dataset's MeSH graph
    (``mapping.subjects.mesh_tree``): the tree is published once per dataset, not in every record."""
    mapper = _RecordMapper(record, iris or Iris(), linker)
    yield from mapper.triples()
    if descriptors is not None:
        descriptors.update(mapper.descriptors)
