"""The article itself: types, titles, identifiers, abstracts, dates, languages, publication types, grants, and
links to related PubMed records (CommentsCorrections)."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from rdfgen import iris as iri
from rdfgen.mapping.core import (
    _DATE_ENDS,
    RecordContext,
    Triple,
    _bool,
    _date_literal,
    _lit,
    defined_term,
    given,
    iri_prefix,
    own_prefixes,
)
from rdfgen.mapping.terms import (
    BIBO,
    CITO,
    DCTERMS,
    FABIO,
    OWL,
    RDF,
    RDFGEN,
    SDO,
    VOID,
    XSD_INTEGER,
    lang_literal,
    shared_uri,
    uri,
)
from rdfgen.model import Abstract, AbstractSection, CommentCorrection, PartialDate

# PubMed publication types with a FaBiO class of the same meaning.
FABIO_TYPES: dict[str, str] = {
    "Journal Article": FABIO.JournalArticle,
    "Review": FABIO.ReviewArticle,
    "Editorial": FABIO.Editorial,
    "Letter": FABIO.Letter,
    "Comment": FABIO.Comment,
    "Case Reports": FABIO.CaseReport,
    "News": FABIO.NewsItem,
}
# PubMed CommentsCorrections RefType -> rdfgen property (ontology/rdfgen.ttl declares each).
REF_TYPES: dict[str, str] = {
    name: RDFGEN[name[0].lower() + name[1:]]
    for name in ("CommentIn", "CommentOn", "ErratumIn", "ErratumFor", "RetractionIn", "RetractionOf", "UpdateIn",
                 "UpdateOf", "RepublishedIn", "RepublishedFrom", "ReprintIn", "ReprintOf", "ExpressionOfConcernIn",
                 "ExpressionOfConcernFor", "CorrectedandRepublishedIn", "CorrectedandRepublishedFrom",
                 "SummaryForPatientsIn", "OriginalReportIn", "AssociatedDataset", "AssociatedPublication",
                 "PartialRetractionIn", "PartialRetractionOf")
}
# ISO 639-2 (PubMed Language) -> BCP 47 for schema:inLanguage; codes without a two-letter form stay as they are.
LANGUAGES = {"eng": "en", "fre": "fr", "ger": "de", "spa": "es", "ita": "it", "jpn": "ja", "chi": "zh", "rus": "ru",
             "por": "pt", "dut": "nl", "pol": "pl", "cze": "cs", "kor": "ko", "swe": "sv", "dan": "da", "nor": "no",
             "fin": "fi", "tur": "tr", "heb": "he", "gre": "el", "hun": "hu", "ara": "ar", "per": "fa", "ukr": "uk",
             "slo": "sk", "slv": "sl", "hrv": "hr", "srp": "sr", "rum": "ro", "bul": "bg", "lit": "lt", "lav": "lv",
             "est": "et", "ice": "is", "tha": "th", "vie": "vi", "ind": "id", "may": "ms", "hin": "hi", "afr": "af",
             "cat": "ca", "wel": "cy", "gle": "ga", "baq": "eu", "glg": "gl", "geo": "ka", "arm": "hy", "mac": "mk"}


def types(m: RecordContext) -> Iterator[Triple]:
    """rdf:type schema:ScholarlyArticle (or Book/Chapter), bibo:AcademicArticle, FaBiO classes by type."""
    a = m.article
    if m.r.kind == "book":
        yield from ((a, RDF.type, t) for t in (SDO.Book, BIBO.Book, FABIO.Book))
    elif m.r.kind == "chapter":
        yield from ((a, RDF.type, t) for t in (SDO.Chapter, BIBO.Chapter, FABIO.BookChapter))
    else:
        yield from ((a, RDF.type, t) for t in (SDO.ScholarlyArticle, BIBO.AcademicArticle))
    for pt in m.r.publication_types:
        if pt.name in FABIO_TYPES:
            yield a, RDF.type, FABIO_TYPES[pt.name]


def titles(m: RecordContext) -> Iterator[Triple]:
    """schema:headline, schema:name, dcterms:title; rdfgen:titleHtml; schema:alternativeHeadline (vernacular)."""
    a, r = m.article, m.r
    for p in (SDO.headline, SDO.name, DCTERMS.title):
        yield a, p, _lit(r.title)
    if r.title_html and r.title_html != r.title:
        yield a, RDFGEN.titleHtml, _lit(r.title_html)
    if r.vernacular_title:
        yield a, SDO.alternativeHeadline, _lit(r.vernacular_title)
        yield a, RDFGEN.vernacularTitle, _lit(r.vernacular_title)


def identifiers(m: RecordContext) -> list[Triple]:
    """bibo:pmid, bibo:doi, rdfgen:pmcid/pii; schema:identifier PropertyValues; schema:sameAs/owl:sameAs links
    (also to ``BASE doi/{doi}``, the IRI a citing record uses); void:inDataset marks a published record.

    Made by rdfgen.mapping._native where it was built; ``identifiers_py`` is its twin, and makes the record's
    whenever the C part hands them back (an odd base, a scheme or PMCID an IRI would escape, a DOI not printable
    ASCII, fields not of the types the readers make)."""
    if _native_identifiers is not None and (prefixes := own_prefixes(m, _identifier_prefixes)) is not None:
        made = _native_identifiers(m.r, m.article, prefixes, _ID_TERMS)
        if made is not None:
            return made
    return list(identifiers_py(m))


def identifiers_py(m: RecordContext) -> Iterator[Triple]:
    """``identifiers``, in Python: the twin of rdfgen.mapping._native.identifiers."""
    a, r = m.article, m.r
    ids: dict[str, str] = {"pmid": r.pmid}
    for aid in r.article_ids:
        ids.setdefault(aid.scheme.lower(), aid.value)
    for scheme, value in (("doi", r.doi), ("pmc", r.pmcid), ("pii", r.pii)):
        if value:
            ids[scheme] = value
    ids.pop("pubmed", None)
    yield a, BIBO.pmid, _lit(r.pmid)
    if r.pmid_version:
        yield a, RDFGEN.pmidVersion, _lit(r.pmid_version)
    if "doi" in ids:
        yield a, BIBO.doi, _lit(ids["doi"])
        doi_url = uri(iri.doi_url_iri(ids["doi"]))
        yield a, SDO.sameAs, doi_url
        yield a, OWL.sameAs, doi_url
    if "pmc" in ids:
        yield a, RDFGEN.pmcid, _lit(ids["pmc"])
        yield a, SDO.sameAs, uri(iri.pmc_url_iri(ids["pmc"]))
    if "pii" in ids:
        yield a, RDFGEN.pii, _lit(ids["pii"])
    for scheme in sorted(ids):
        node = uri(m.own.identifier(scheme))
        yield a, SDO.identifier, node
        yield node, RDF.type, SDO.PropertyValue
        yield node, SDO.propertyID, _lit(scheme)
        yield node, SDO.name, _lit(scheme)  # Bioschemas requires a name on each identifier
        yield node, SDO.value, _lit(ids[scheme])
    if "doi" in ids:
        yield a, OWL.sameAs, uri(m.iris.doi_work_iri(ids["doi"]))  # the node other records cite it by
    yield a, VOID.inDataset, shared_uri(m.iris.dataset_iri())
    yield a, DCTERMS.conformsTo, _BIOSCHEMAS_PROFILE
    pubmed = uri(iri.pubmed_url_iri(r.pmid))
    yield a, SDO.url, pubmed
    yield a, SDO.sameAs, pubmed
    yield a, OWL.sameAs, uri(iri.pubmed_rdf_iri(r.pmid))


try:
    from rdfgen.mapping._native import identifiers as _native_identifiers
except ImportError:  # built without a C compiler: the Python twin serves, with the same statements
    _native_identifiers = None


def _identifier_prefixes(m: RecordContext) -> tuple[str, ...] | None:
    """The IRIs the C twin mints, as prefixes, in the order of its enum IdPrefix (an identifier's node: + scheme +
    ">"; the DOI's URL and work: + the DOI quoted + ">"; the PMC and PubMed pages: + id + end; PubMed's RDF: + PMID
    + ">") and the dataset's term; None when any needs escaping (an odd --base), which the twin does."""
    pmc, pubmed = iri.pmc_url_iri("\0").partition("\0"), iri.pubmed_url_iri("\0").partition("\0")
    found = (iri_prefix(m.own.identifier("x"), "x"), iri_prefix(iri.doi_url_iri("x"), "x"),
             iri_prefix(m.iris.doi_work_iri("x"), "x"), iri_prefix(pmc[0] + "x", "x"), f"{pmc[2]}>",
             iri_prefix(pubmed[0] + "x", "x"), f"{pubmed[2]}>", iri_prefix(iri.pubmed_rdf_iri("1"), "1"),
             shared_uri(m.iris.dataset_iri()))
    if None in found or uri(pmc[2]) != f"<{pmc[2]}>" or uri(pubmed[2]) != f"<{pubmed[2]}>":
        return None
    return found  # type: ignore[return-value]


def abstracts(m: RecordContext) -> list[Triple]:
    """schema:abstract, bibo:abstract (labels kept in the text), rdfgen:abstractHtml (the same with its inline
    markup, when it has some), rdfgen:abstractSection nodes with rdfgen:sectionLabel/rdfgen:nlmCategory;
    rdfgen:otherAbstract; schema:copyrightNotice, dcterms:rights.

    The record's abstract is made by rdfgen.mapping._native where it was built (about 18 us a record in Python);
    ``abstract_py`` is its twin, and makes it whenever the C part hands it back (an odd base, fields not of the
    types the readers make). Other abstracts (one record in thirty) stay here."""
    a, r = m.article, m.r
    found: list[Triple] = []
    if r.abstract is not None:
        made = None
        if _native_abstract is not None and (prefixes := own_prefixes(m, _abstract_prefixes)) is not None:
            made = _native_abstract(r.abstract, a, prefixes[0], _ABSTRACT_TERMS, Abstract)
        found = made if made is not None else list(abstract_py(m, r.abstract))
    for k, other in enumerate(r.other_abstracts, start=1):
        lang = LANGUAGES.get(other.language or "", None)
        found.append((a, RDFGEN.otherAbstract, lang_literal(other.text, lang) if lang else _lit(other.text)))
        found += sections(m, other, k)
    return found


def abstract_py(m: RecordContext, abstract: Abstract) -> Iterator[Triple]:
    """The record's own abstract, in Python: the twin of rdfgen.mapping._native.abstract."""
    a = m.article
    text = _lit(abstract.text)  # the text is joined from the sections, and long: rendered once for both
    yield a, SDO.abstract, text
    yield a, BIBO.abstract, text
    if (marked_up := abstract_html(abstract)) is not None:
        yield a, RDFGEN.abstractHtml, _lit(marked_up)
    yield from sections(m, abstract, 0)
    if abstract.copyright:
        yield a, SDO.copyrightNotice, _lit(abstract.copyright)
        yield a, DCTERMS.rights, _lit(abstract.copyright)


try:
    from rdfgen.mapping._native import abstract as _native_abstract
except ImportError:  # built without a C compiler: the Python twin serves, with the same statements
    _native_abstract = None

_ABSTRACT_TERMS = (SDO.abstract, BIBO.abstract, RDFGEN.abstractHtml, RDFGEN.abstractSection, RDF.type,
                   RDFGEN.AbstractSection, SDO.position, SDO.text, RDFGEN.sectionLabel, RDFGEN.nlmCategory,
                   SDO.copyrightNotice, DCTERMS.rights, f"^^{XSD_INTEGER}")
"""What the C twin says of an abstract, in the order of its enum AbstractTerm: the vocabulary stays here."""


def _abstract_prefixes(m: RecordContext) -> tuple[str] | None:
    """The IRI the C twin mints, as a prefix (the n-th section of the record's abstract: + n + ">"); None when the
    record's IRIs need escaping (an odd --base), which the twin does."""
    prefix = iri_prefix(m.own.abstract_section(1), "1")
    return None if prefix is None else (prefix,)


def sections(m: RecordContext, abstract: Abstract, k: int) -> Iterator[Triple]:
    """The rdfgen:abstractSection nodes of a structured abstract (``k`` 0) or of the k-th other abstract:
    rdfgen:AbstractSection with schema:position, schema:text, rdfgen:abstractHtml, rdfgen:sectionLabel,
    rdfgen:nlmCategory."""
    if len(abstract.sections) < 2 and not any(s.label for s in abstract.sections):
        return
    for n, section in enumerate(abstract.sections, start=1):
        node = uri(m.own.abstract_section(n, k))
        yield m.article, RDFGEN.abstractSection, node
        yield node, RDF.type, RDFGEN.AbstractSection
        yield node, SDO.position, _lit(n)
        yield node, SDO.text, _lit(section.text)
        yield from given(node, (RDFGEN.abstractHtml, _marked_up(section)), (RDFGEN.sectionLabel, section.label),
                         (RDFGEN.nlmCategory, section.nlm_category))


def abstract_html(abstract: Abstract) -> str | None:
    """The abstract as ``Abstract.text`` gives it ("LABEL: text" paragraphs), each paragraph's inline markup kept
    as safe HTML and everything else escaped; None when no paragraph has markup, as the plain text then says all."""
    if not any(_marked_up(s) for s in abstract.sections):
        return None
    return "\n\n".join(f"{escape(s.label, quote=False)}: {_html(s)}" if s.label else _html(s)
                       for s in abstract.sections)


def _marked_up(section: AbstractSection) -> str | None:
    """The section's HTML when its markup shows in it (the text has been escaped into it otherwise)."""
    return section.html if section.html and section.html != escape(section.text, quote=False) else None


def _html(section: AbstractSection) -> str:
    return section.html or escape(section.text, quote=False)


_BIOSCHEMAS_PROFILE = uri("https://bioschemas.org/profiles/ScholarlyArticle/0.2-DRAFT-2020_12_03")
"""The Bioschemas profile the article's schema.org description follows (its embedding says so, dct:conformsTo)."""

_ID_TERMS = (BIBO.pmid, RDFGEN.pmidVersion, BIBO.doi, SDO.sameAs, OWL.sameAs, RDFGEN.pmcid, RDFGEN.pii,
             SDO.identifier, RDF.type, SDO.PropertyValue, SDO.propertyID, SDO.name, SDO.value, VOID.inDataset,
             DCTERMS.conformsTo, _BIOSCHEMAS_PROFILE, SDO.url)
"""What the C twin says of a record's identifiers, in the order of its enum IdTerm: the vocabulary stays here."""


def dates(m: RecordContext) -> list[Triple]:
    """schema:datePublished (ISO text), dcterms:issued (typed by precision), rdfgen:dateText (MedlineDate),
    rdfgen:electronicPublicationDate, rdfgen:dateCompleted, dcterms:modified, dcterms:dateSubmitted/Accepted,
    rdfgen:historyEvent nodes (rdfgen:publicationStatus, dcterms:date).

    Made by rdfgen.mapping._native where it was built (a record has a dozen dates: 16 us in Python); ``dates_py`` is
    its twin, and makes the record's dates whenever the C part hands them back (an odd base, a date or field not
    of the types the readers make)."""
    if _native_dates is not None and (prefixes := own_prefixes(m, _dates_prefixes)) is not None:
        made = _native_dates(m.r, m.article, prefixes, _DATE_TERMS, PartialDate)
        if made is not None:
            return made
    return list(dates_py(m))


def dates_py(m: RecordContext) -> Iterator[Triple]:
    """``dates``, in Python: the twin of rdfgen.mapping._native.dates."""
    a, r = m.article, m.r
    published = r.pub_date or r.electronic_date or (r.book.date if r.book else None)
    if published is not None:
        yield a, SDO.datePublished, _lit(published.iso())
        yield a, DCTERMS.issued, _date_literal(published)
        if published.raw:
            yield a, RDFGEN.dateText, _lit(published.raw)
    if r.electronic_date is not None:
        yield a, RDFGEN.electronicPublicationDate, _date_literal(r.electronic_date)
    if r.date_completed is not None:
        yield a, RDFGEN.dateCompleted, _date_literal(r.date_completed)
    if r.date_revised is not None:
        yield a, DCTERMS.modified, _date_literal(r.date_revised)
        yield a, SDO.dateModified, _lit(r.date_revised.iso())
    for k, event in enumerate(r.history, start=1):
        if event.status == "received":
            yield a, DCTERMS.dateSubmitted, _date_literal(event.date)
        elif event.status == "accepted":
            yield a, DCTERMS.dateAccepted, _date_literal(event.date)
        node = uri(m.own.history(k))
        yield a, RDFGEN.historyEvent, node
        yield node, RDF.type, RDFGEN.HistoryEvent
        yield node, RDFGEN.publicationStatus, _lit(event.status)
        yield node, DCTERMS.date, _date_literal(event.date)
    yield from given(a, (RDFGEN.publicationStatus, r.publication_status), (RDFGEN.citationStatus, r.status))


try:
    from rdfgen.mapping._native import dates as _native_dates
except ImportError:  # built without a C compiler: the Python twin serves, with the same statements
    _native_dates = None

_DATE_TERMS = (SDO.datePublished, DCTERMS.issued, RDFGEN.dateText, RDFGEN.electronicPublicationDate,
               RDFGEN.dateCompleted, DCTERMS.modified, SDO.dateModified, DCTERMS.dateSubmitted, DCTERMS.dateAccepted,
               RDFGEN.historyEvent, RDF.type, RDFGEN.HistoryEvent, RDFGEN.publicationStatus, DCTERMS.date,
               RDFGEN.citationStatus, *_DATE_ENDS)
"""What the C twin says of a record's dates, in the order of its enum DateTerm (the ends of a date literal at each
precision last): the vocabulary stays here."""


def _dates_prefixes(m: RecordContext) -> tuple[str] | None:
    """The IRI the C twin mints, as a prefix (the k-th history event: + k + ">"); None when the record's IRIs need
    escaping (an odd --base), which the twin does."""
    history = iri_prefix(m.own.history(1), "1")
    return None if history is None else (history,)


def languages(m: RecordContext) -> Iterator[Triple]:
    """schema:inLanguage (BCP 47), dcterms:language (Library of Congress ISO 639-2 IRI)."""
    for code in m.r.languages:
        yield m.article, SDO.inLanguage, _lit(LANGUAGES.get(code, code))
        yield m.article, DCTERMS.language, shared_uri(f"http://id.loc.gov/vocabulary/iso639-2/{code}")


def publication_types(m: RecordContext) -> Iterator[Triple]:
    """rdfgen:publicationTypeName always; rdfgen:publicationType to the MeSH type when its UI is known."""
    for pt in m.r.publication_types:
        yield m.article, RDFGEN.publicationTypeName, _lit(pt.name)
        if pt.ui:
            term = shared_uri(iri.mesh_iri(pt.ui))
            yield m.article, RDFGEN.publicationType, term
            yield from defined_term(m, term, pt.name, pt.ui)


def grants(m: RecordContext) -> Iterator[Triple]:
    """schema:funding -> schema:Grant (schema:identifier, schema:funder -> schema:Organization, rdfgen:acronym,
    rdfgen:country)."""
    for k, g in enumerate(m.r.grants, start=1):
        node = uri(m.own.grant(k))
        yield m.article, SDO.funding, node
        yield node, RDF.type, SDO.Grant
        if g.grant_id:
            yield node, SDO.identifier, _lit(g.grant_id)
        if g.agency:
            funder = shared_uri(m.iris.file_iri(f"funder/{iri.slug(g.agency)}"))
            yield node, SDO.funder, funder
            yield funder, RDF.type, SDO.Organization
            yield funder, SDO.name, _lit(g.agency)
            if g.country:
                yield funder, RDFGEN.country, _lit(g.country)
        if g.acronym:
            yield node, RDFGEN.acronym, _lit(g.acronym)


def links(m: RecordContext) -> Iterator[Triple]:
    """CommentsCorrections as rdfgen:erratumIn, rdfgen:retractionIn... (cito:cites for "Cites") to the PubMed
    article, or, when PubMed gives no PMID, to the record's own node for the work (``related_work``); an item of a
    RefType without a property as rdfgen:relatedNote text. A retracted article carries rdfgen:retracted true and
    schema:creativeWorkStatus "Retracted". Also rdfgen:conflictOfInterest and rdfgen:databankAccession."""
    a, r = m.article, m.r
    for n, c in enumerate(r.comments_corrections, start=1):
        prop = CITO.cites if c.ref_type == "Cites" else REF_TYPES.get(c.ref_type)
        if prop is not None and c.pmid and c.pmid.isdigit():
            yield a, prop, uri(m.iris.article_iri(c.pmid))
        elif prop is not None and (c.ref_source or c.doi):
            node = uri(m.own.related(n))
            yield a, prop, node
            yield from related_work(m, node, c)
        else:
            note = f"{c.ref_type}: {c.ref_source or ''}".strip().rstrip(":")
            yield a, RDFGEN.relatedNote, _lit(note + (f" PMID: {c.pmid}" if c.pmid else ""))
    if r.is_retracted:
        yield a, RDFGEN.retracted, _bool(True)
        yield a, SDO.creativeWorkStatus, _lit("Retracted")
    if r.coi_statement:
        yield a, RDFGEN.conflictOfInterest, _lit(r.coi_statement)
    for bank in r.databanks:
        for acc in bank.accessions or ("",):
            yield a, RDFGEN.databankAccession, _lit(f"{bank.name}:{acc}" if acc else bank.name)


def related_work(m: RecordContext, node: str, c: CommentCorrection) -> Iterator[Triple]:
    """A work a CommentsCorrections item names without a PMID (an erratum in a journal PubMed has no record of):
    schema:CreativeWork with the RefSource text as dcterms:bibliographicCitation, and its DOI as bibo:doi,
    schema:sameAs doi.org and owl:sameAs ``BASE doi/{doi}`` (the node citing records use for that DOI)."""
    yield node, RDF.type, SDO.CreativeWork
    yield from given(node, (DCTERMS.bibliographicCitation, c.ref_source))
    if c.doi:
        yield node, BIBO.doi, _lit(c.doi)
        yield node, SDO.sameAs, uri(iri.doi_url_iri(c.doi))
        yield node, OWL.sameAs, uri(m.iris.doi_work_iri(c.doi))
