"""The reference list: one biro:BibliographicReference entry per reference and the work it cites."""

from __future__ import annotations

from collections.abc import Iterator

from rdfgen import iris as iri
from rdfgen.mapping.container import pages
from rdfgen.mapping.core import RecordContext, Triple, _lit
from rdfgen.mapping.terms import BIBO, BIRO, C4O, CITO, DCTERMS, RDF, RDFGEN, SDO, XSD, shared_uri, typed, uri
from rdfgen.model import Reference


def references(m: RecordContext) -> Iterator[Triple]:
    """schema:citation, bibo:cites, cito:cites to the cited work; rdfgen:reference to a
    biro:BibliographicReference entry with schema:position, c4o:hasContent, dcterms:bibliographicCitation,
    biro:references."""
    a = m.article
    for ref in m.r.references:
        entry = uri(m.iris.reference(m.r.pmid, ref.position))
        work = uri(m.iris.reference_work(m.r.pmid, ref))
        for p in (SDO.citation, BIBO.cites, CITO.cites):
            yield a, p, work
        yield a, RDFGEN.reference, entry
        yield entry, RDF.type, BIRO.BibliographicReference
        yield entry, SDO.position, _lit(ref.position)
        yield entry, C4O.hasContent, _lit(ref.citation)
        yield entry, DCTERMS.bibliographicCitation, _lit(ref.citation)
        yield entry, BIRO.references, work
        if ref.title_of_list:
            yield entry, RDFGEN.referenceListTitle, _lit(ref.title_of_list)
        yield from cited_work(m, work, ref)


def cited_work(m: RecordContext, work: str, ref: Reference) -> Iterator[Triple]:
    """What the citation text says of the work: schema:name, dcterms:title, the journal as schema:isPartOf,
    year, volume, issue, pages, DOI/PMID/PMCID, the authors as printed (rdfgen:authorsText)."""
    yield work, RDF.type, SDO.ScholarlyArticle if ref.journal else SDO.CreativeWork
    if ref.title:
        yield work, SDO.name, _lit(ref.title)
        yield work, DCTERMS.title, _lit(ref.title)
    if ref.authors:
        yield work, RDFGEN.authorsText, _lit(", ".join(ref.authors) + (", et al." if ref.authors_truncated else ""))
    if ref.journal:
        key = m.iris.journal_key(None, ref.journal)
        if key:
            journal = shared_uri(m.iris.journal(key))
            yield work, SDO.isPartOf, journal
            yield work, DCTERMS.isPartOf, journal
            yield journal, RDF.type, SDO.Periodical
            yield journal, RDF.type, BIBO.Journal
            yield journal, SDO.alternateName, _lit(ref.journal)
    if ref.year:
        yield work, SDO.datePublished, _lit(f"{ref.year:04d}")
        yield work, DCTERMS.issued, typed(f"{ref.year:04d}", XSD.gYear)
    if ref.volume:
        yield work, BIBO.volume, _lit(ref.volume)
    if ref.issue:
        yield work, BIBO.issue, _lit(ref.issue)
    yield from pages(work, ref.pages)
    if ref.doi:
        yield work, BIBO.doi, _lit(ref.doi)
        yield work, SDO.sameAs, uri(iri.doi_url(ref.doi))
    if ref.pmid:
        yield work, BIBO.pmid, _lit(ref.pmid)
        yield work, SDO.sameAs, uri(iri.pubmed_url(ref.pmid))
    if ref.pmcid:
        yield work, RDFGEN.pmcid, _lit(ref.pmcid)
