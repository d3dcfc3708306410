"""The reference list: one biro:BibliographicReference entry per reference and the work it cites.

References and their cited works are nearly half of a record's triples, so these parts append tuples to one list
(a generator and a ``yield`` per triple cost more than the triple) and mint IRIs as strings (``RecordIris``).

A reference is the citing article's account of a work, so what it says goes on a node only that account makes:
the entry, a work known only by DOI, or the entry's own work. A PubMed article (``BASE pubmed/{pmid}``) is another
record's node, described by that record: a reference adds to it only what its PMID itself says. And a reference
never describes the citing article: one that names the article's own PMID or DOI (a data set deposited with the
paper, matched to the paper by PubMed) cites the work its other identifiers name, with a note on the entry.
"""

from __future__ import annotations

from dataclasses import replace

from rdfgen import iris as iri
from rdfgen.mapping.container import pages
from rdfgen.mapping.core import RecordContext, Triple, _lit, iri_prefix, own_prefixes
from rdfgen.mapping.terms import (
    BIBO,
    BIRO,
    C4O,
    CITO,
    DCTERMS,
    RDF,
    RDFGEN,
    SDO,
    XSD,
    XSD_INTEGER,
    shared_uri,
    typed,
    uri,
)
from rdfgen.model import Reference
from rdfgen.sources.doi import doi_key, normalise_doi


def references(m: RecordContext) -> list[Triple]:
    """schema:citation, bibo:cites, cito:cites to the cited work; rdfgen:reference to a
    biro:BibliographicReference entry with schema:position, c4o:hasContent, dcterms:bibliographicCitation,
    biro:references, rdfgen:note (identifiers not used, and why); on the entry of a work cited by PMID, the DOI and
    PMCID the reference gives (rdfgen:citedDoi, rdfgen:citedPmcid).

    The references are made by rdfgen.mapping._native where it was built (40% of the mapping's CPU in Python), those
    cited by PMID (nearly all) and those cited by a clean DOI or by nothing (one in six; 3% of a build's CPU when
    made here); ``_reference`` is its twin and makes the others (an identifier that needs a note, the article's
    own, fields not of the types the readers make)."""
    found: list[Triple] = []
    own_doi = _own_doi_key(m)
    prefixes = own_prefixes(m, _native_prefixes) if _native_references is not None else None
    if prefixes is not None:
        _native_references(m.r.references, m.article, m.own.pmid, own_doi, prefixes, _TERMS, _journals(m.iris), found,
                           lambda ref: _reference(m, ref, own_doi, found))
        return found
    for ref in m.r.references:
        _reference(m, ref, own_doi, found)
    return found


def _reference(m: RecordContext, ref: Reference, own_doi: str | None, found: list[Triple]) -> None:
    """The statements of one reference, appended to ``found``."""
    a, own = m.article, m.own
    entry = uri(own.reference(ref.position))
    cited, notes = _cited(ref, own.pmid, own_doi)
    work = uri(own.reference_work(cited))
    citation = _lit(ref.citation)
    found += ((a, SDO.citation, work), (a, BIBO.cites, work), (a, CITO.cites, work), (a, RDFGEN.reference, entry),
              (entry, RDF.type, BIRO.BibliographicReference), (entry, SDO.position, _lit(ref.position)),
              (entry, C4O.hasContent, citation), (entry, DCTERMS.bibliographicCitation, citation),
              (entry, BIRO.references, work))
    if ref.title_of_list:
        found.append((entry, RDFGEN.referenceListTitle, _lit(ref.title_of_list)))
    for note in notes:
        found.append((entry, RDFGEN.note, _lit(note)))
    if cited.pmid:
        pubmed_work(work, entry, cited.pmid, cited, found)
    else:
        cited_work(m, work, cited, found)


try:
    from rdfgen.mapping._native import references as _native_references
except ImportError:  # built without a C compiler: the Python twin serves, with the same statements
    _native_references = None

_TERMS = (SDO.citation, BIBO.cites, CITO.cites, RDFGEN.reference, RDF.type, BIRO.BibliographicReference,
          SDO.position, C4O.hasContent, DCTERMS.bibliographicCitation, BIRO.references, RDFGEN.referenceListTitle,
          RDFGEN.note, SDO.CreativeWork, BIBO.pmid, SDO.sameAs, RDFGEN.citedDoi, RDFGEN.citedPmcid,
          f"^^{XSD_INTEGER}",
          SDO.ScholarlyArticle, SDO.name, DCTERMS.title, RDFGEN.authorsText, SDO.isPartOf, DCTERMS.isPartOf,
          SDO.Periodical, BIBO.Journal, SDO.alternateName, SDO.datePublished, DCTERMS.issued, f"^^{XSD.gYear}",
          BIBO.volume, BIBO.issue, SDO.pageStart, BIBO.pageStart, SDO.pageEnd, BIBO.pageEnd, SDO.pagination,
          BIBO.pages, BIBO.doi, RDFGEN.pmcid)
"""What the C twin says of a reference (cited by PMID, then what cited_work says), in the order of its enum Term:
the vocabulary stays here."""
_PUBMED_URL = iri.pubmed_url_iri("\0").partition("\0")
_DOI_URL = iri.doi_url_iri("10.1000/x")
_PROBES = (Reference(1, "", pmid="1"), Reference(1, "", pmid="2"))
"""A work cited by PMID, to see how its IRI is minted: the second for record 1, whose own PMID the first is."""
_BY_DOI, _BY_NOTHING = Reference(1, "", doi="10.1000/X"), Reference(1, "")
"""Works cited without a PMID, to see how their IRIs are minted."""


def _native_prefixes(m: RecordContext) -> tuple[str, ...] | None:
    """The IRIs the C twin mints, as prefixes in the order of its enum RefPrefix (an entry: + position + ">"; a work
    cited by PMID: + PMID + ">"; its PubMed page: + PMID + end; a work by DOI: + the DOI's segment + ">"; a work
    known by nothing: the entry's + position + end; a doi.org page: + the quoted DOI + ">"); None when the record's
    IRIs need escaping (an odd --base), which the twin does."""
    probe = _PROBES[m.own.pmid == "1"]
    work, by_doi, by_nothing = (m.own.reference_work(r) for r in (probe, _BY_DOI, _BY_NOTHING))
    entry_iri = m.own.reference(1)
    entry, cited = iri_prefix(entry_iri, "1"), iri_prefix(work, probe.pmid)
    doi_work = iri_prefix(by_doi, "10.1000%2Fx")
    if (entry is None or cited is None or doi_work is None or work != f"{m.iris.base}pubmed/{probe.pmid}"
            or by_doi != m.iris.doi_work_iri("10.1000/x") or not by_nothing.startswith(entry_iri)
            or uri(by_nothing) != f"<{by_nothing}>" or not _DOI_URL.endswith("10.1000/x")):
        return None
    return (entry, cited, f"<{_PUBMED_URL[0]}", f"{_PUBMED_URL[2]}>", doi_work, f"{by_nothing[len(entry_iri):]}>",
            f"<{_DOI_URL[: -len('10.1000/x')]}")


class _Journals(dict[str, str | None]):
    """A journal's title as references print it -> its term (None: no key), as cited_work mints it, for one Iris:
    what the C twin asks of Python. Journals recur (a few thousand titles cite most works), so each title's slug and
    IRI are worked out once, by ``__missing__``, and the C finds the rest in the dict; emptied when it grows past
    _JOURNALS_KEPT, as titles misprinted once would otherwise pile up over a baseline."""

    def __init__(self, iris: iri.Iris) -> None:
        super().__init__()
        self.iris = iris

    def __missing__(self, title: str) -> str | None:
        if len(self) >= _JOURNALS_KEPT:
            self.clear()
        key = self.iris.journal_key(None, title)
        term = self[title] = None if key is None else shared_uri(self.iris.journal_iri(key))
        return term


_JOURNALS_KEPT = 1 << 14
_JOURNALS: dict[iri.Iris, _Journals] = {}


def _journals(iris: iri.Iris) -> _Journals:
    """The journal terms of ``iris``'s dataset."""
    journals = _JOURNALS.get(iris)
    if journals is None:
        journals = _JOURNALS[iris] = _Journals(iris)
    return journals


def _own_doi_key(m: RecordContext) -> str | None:
    """The citing article's DOI as compared (the one ``identifiers`` publishes: Record.doi, else its first DOI id)."""
    doi = m.r.doi or next((i.value for i in m.r.article_ids if i.scheme.lower() == "doi"), None)
    return doi_key(doi) if doi else None


def _cited(ref: Reference, own_pmid: str, own_doi: str | None) -> tuple[Reference, tuple[str, ...]]:
    """The reference with only the identifiers that may name the cited work, and notes on those taken out: a PMID
    that is no PMID (``0``), a malformed DOI, and the citing article's own PMID or DOI. Sources already drop the
    malformed ones with a note and normalise DOIs; this holds for every Record, however it was made."""
    pmid, doi, notes = ref.pmid, ref.doi, list(ref.notes)
    checked = normalise_doi(doi)
    if pmid is not None and not (pmid.isascii() and pmid.isdigit() and pmid[0] != "0"):
        notes.append(f"PMID {pmid!r} is not a valid PMID; dropped")
        pmid = None
    elif pmid == own_pmid:
        notes.append(f"PMID {pmid} is the citing article's own; not taken as the cited work")
        pmid = None
    if doi is not None and checked is None:
        notes.append(f"DOI {doi!r} is not a valid DOI; no link made from it")
        doi = None
    elif checked is not None and doi_key(checked) == own_doi:
        notes.append(f"DOI {doi} is the citing article's own; not taken as the cited work")
        doi = None
    else:
        doi = checked
    if pmid is ref.pmid and doi == ref.doi:
        return ref, ref.notes
    return replace(ref, pmid=pmid, doi=doi), tuple(notes)


def pubmed_work(work: str, entry: str, pmid: str, ref: Reference, found: list[Triple]) -> None:
    """A work cited by PMID is a PubMed record, described by its own record: the reference adds only what the PMID
    says (schema:CreativeWork, bibo:pmid, schema:sameAs PubMed). The DOI and PMCID the reference gives beside the
    PMID are the citing article's statements, kept on the entry (rdfgen:citedDoi, rdfgen:citedPmcid)."""
    found += ((work, RDF.type, SDO.CreativeWork), (work, BIBO.pmid, _lit(pmid)),
              (work, SDO.sameAs, uri(iri.pubmed_url_iri(pmid))))
    if ref.doi:
        found.append((entry, RDFGEN.citedDoi, _lit(ref.doi)))
    if ref.pmcid:
        found.append((entry, RDFGEN.citedPmcid, _lit(ref.pmcid)))


def cited_work(m: RecordContext, work: str, ref: Reference, found: list[Triple]) -> None:
    """What the citation text says of a work known by DOI or by nothing, appended to ``found``: schema:name,
    dcterms:title, the journal as schema:isPartOf, year, volume, issue, pages, DOI/PMCID, the authors as printed
    (rdfgen:authorsText)."""
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
    if ref.pmcid:
        add((work, RDFGEN.pmcid, _lit(ref.pmcid)))
