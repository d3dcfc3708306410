"""The reference list: one biro:BibliographicReference entry per reference and the work it cites.

References and their cited works are nearly half of a record's triples, so these parts append tuples to one list
(a generator and a ``yield`` per triple cost more than the triple) and mint IRIs as strings (``RecordIris``).
"""

from __future__ import annotations

from rdfgen import iris as iri
from rdfgen.mapping.container import pages
from rdfgen.mapping.core import RecordContext, Triple, _lit
from rdfgen.mapping.terms import BIBO, BIRO, C4O, CITO, DCTERMS, RDF, RDFGEN, SDO, XSD, shared_uri, typed, uri
from rdfgen.model import Reference


def references(m: RecordContext) -> list[Triple]:
    """schema:citation, bibo:cites, cito:cites to the cited work; rdfgen:reference to a
    biro:BibliographicReference entry with schema:position, c4o:hasContent, dcterms:bibliographicCitation,
    biro:references."""
    a, own, found = m.article, m.own, []
    citation_p, cites_p, cito_p, reference_p = SDO.citation, BIBO.cites, CITO.cites, RDFGEN.reference
    type_p, entry_class, position_p = RDF.type, BIRO.BibliographicReference, SDO.position
    content_p, text_p, references_p = C4O.hasContent, DCTERMS.bibliographicCitation, BIRO.references
    for ref in m.r.references:
        entry = uri(own.reference(ref.position))
        work = uri(own.reference_work(ref))
        citation = _lit(ref.citation)
        found += ((a, citation_p, work), (a, cites_p, work), (a, cito_p, work), (a, reference_p, entry),
                  (entry, type_p, entry_class), (entry, position_p, _lit(ref.position)),
                  (entry, content_p, citation), (entry, text_p, citation), (entry, references_p, work))
        if ref.title_of_list:
            found.append((entry, RDFGEN.referenceListTitle, _lit(ref.title_of_list)))
        cited_work(m, work, ref, found)
    return found


def cited_work(m: RecordContext, work: str, ref: Reference, found: list[Triple]) -> None:
    """What the citation text says of the work, appended to ``found``: schema:name, dcterms:title, the journal as
    schema:isPartOf, year, volume, issue, pages, DOI/PMID/PMCID, the authors as printed (rdfgen:authorsText)."""
    add = found.append
    add((work, RDF.type, SDO.ScholarlyArticle if ref.journal else SDO.CreativeWork))
    if ref.title:
        title = _lit(ref.title)
        found += ((work, SDO.name, title), (work, DCTERMS.title, title))
    if ref.authors:
        add((work, RDFGEN.authorsText, _lit(", ".join(ref.authors) + (", et al." if ref.authors_truncated else ""))))
    if ref.journal:
        key = m.iris.journal_key(None, ref.journal)
        if key:
            journal = shared_uri(m.iris.journal_iri(key))
            found += ((work, SDO.isPartOf, journal), (work, DCTERMS.isPartOf, journal),
                      (journal, RDF.type, SDO.Periodical), (journal, RDF.type, BIBO.Journal),
                      (journal, SDO.alternateName, _lit(ref.journal)))
    if ref.year:
        year = f"{ref.year:04d}"
        found += ((work, SDO.datePublished, _lit(year)), (work, DCTERMS.issued, typed(year, XSD.gYear)))
    if ref.volume:
        add((work, BIBO.volume, _lit(ref.volume)))
    if ref.issue:
        add((work, BIBO.issue, _lit(ref.issue)))
    if ref.pages is not None:
        found += pages(work, ref.pages)
    if ref.doi:
        found += ((work, BIBO.doi, _lit(ref.doi)), (work, SDO.sameAs, uri(iri.doi_url_iri(ref.doi))))
    if ref.pmid:
        found += ((work, BIBO.pmid, _lit(ref.pmid)), (work, SDO.sameAs, uri(iri.pubmed_url_iri(ref.pmid))))
    if ref.pmcid:
        add((work, RDFGEN.pmcid, _lit(ref.pmcid)))
