"""The composition: one record's parts in the order they are published, minus empty literals."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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

    def triples(self) -> list[Triple]:
        """All parts, minus empty literals (no meaning, and rdflib's JSON-LD writer would drop them). Gathered
        part by part into one list: a generator chain through every part costs more than the triples."""
        found: list[Triple] = []
        for part in self._all():
            found.extend(part)
        return _nonempty(found, EMPTY)

    def _all(self) -> Iterator[Iterable[Triple]]:
        """The parts in the order they are published."""
        yield self.types()
        yield self.titles()
        yield self.identifiers()
        yield self.abstracts()
        yield self.dates()
        yield self.languages()
        yield self.publication_types()
        yield self.authors(self.r.authors, "author", SDO.author, BIBO.authorList, DCTERMS.creator)
        yield self.authors(self.r.investigators, "investigator", SDO.contributor, None, DCTERMS.contributor)
        yield self.container()
        yield self.book()
        yield self.keywords()
        yield self.mesh()
        yield self.substances()
        yield self.grants()
        yield self.links()
        yield self.references()
        yield self.provenance()


def nonempty_py(found: list[Triple], empty: str) -> list[Triple]:
    """The statements whose object is not ``empty``: the Python twin of ``rdfgen.mapping._native.nonempty``."""
    return [t for t in found if t[2] != empty]


try:
    from rdfgen.mapping._native import nonempty as _native_nonempty
except ImportError:  # built without a C compiler: the Python twin serves
    _native_nonempty = None
_nonempty = _native_nonempty if _native_nonempty is not None else nonempty_py


def record_triples(record: Record, iris: Iris | None = None, *, linker: KeywordLinker | None = None,
                   descriptors: set[str] | None = None) -> Iterator[Triple]:
    """The triples of one record, as a stream. ``linker`` maps an author keyword to MeSH (or None). The MeSH
    descriptors the record names are added to ``descriptors`` when given, for the dataset's MeSH graph
    (``mapping.subjects.mesh_tree``): the tree is published once per dataset, not in every record."""
    mapper = _RecordMapper(record, iris or Iris(), linker)
    found = mapper.triples()
    if descriptors is not None:
        descriptors.update(mapper.descriptors)
    return iter(found)
