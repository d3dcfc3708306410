"""Records to triples: the one module that knows the vocabularies (DESIGN.md, "Vocabularies").

The mapping is a generator of ``(subject, predicate, object)`` rdflib terms, never a Graph, so the same code feeds a
Graph for one record and a streaming N-Quads writer for a baseline file of 30,000 articles. schema.org and BIBO go
side by side: each fact a search engine needs is said in schema.org; each fact a bibliographic consumer needs in
BIBO/DCTerms (plus FaBiO, CiTO, BiRO, PROV); what neither has is ``rdfgen:`` (ontology/rdfgen.ttl). No blank nodes
except the cells of the ordered author list, and those get labels derived from the PMID so output is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import PurePath
from typing import Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from rdfgen import iris as iri
from rdfgen.iris import Iris
from rdfgen.model import (
    Abstract,
    Author,
    Book,
    Journal,
    MeshHeading,
    Pages,
    PartialDate,
    Record,
    Reference,
)
from rdfgen.vocab import BIBO, BIRO, C4O, CITO, DCTERMS, FABIO, FOAF, OWL, PROV, RDF, RDFGEN, SDO, SKOS, VOID, XSD

Triple = tuple[Node, Node, Node]

# PubMed publication types with a FaBiO class of the same meaning.
FABIO_TYPES: dict[str, URIRef] = {
    "Journal Article": FABIO.JournalArticle,
    "Review": FABIO.ReviewArticle,
    "Editorial": FABIO.Editorial,
    "Letter": FABIO.Letter,
    "Comment": FABIO.Comment,
    "Case Reports": FABIO.CaseReport,
    "News": FABIO.NewsItem,
}
# PubMed CommentsCorrections RefType -> rdfgen property (ontology/rdfgen.ttl declares each).
REF_TYPES: dict[str, URIRef] = {
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
_DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}


class KeywordLink(Protocol):
    """A machine mapping of an author keyword onto a MeSH descriptor (never NLM's indexing)."""

    ui: str
    label: str
    method: str
    score: float


class MeshTerms(Protocol):
    """What the mapping needs of a MeSH vocabulary to publish a descriptor with its place in the tree."""

    def descriptor(self, ui: str) -> MeshDescriptor | None: ...

    def broader(self, ui: str) -> tuple[str, ...]: ...


class MeshDescriptor(Protocol):
    ui: str
    label: str
    tree_numbers: tuple[str, ...]


KeywordLinker = Callable[[str], KeywordLink | None]


def _lit(value: object) -> Literal:
    return Literal(value)


def _date_literal(date: PartialDate) -> Literal:
    """Typed at the date's own precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    return Literal(date.iso(), datatype=_DATE_TYPES[date.precision.value])


def _bool(value: bool) -> Literal:
    return Literal(value)


class _RecordMapper:
    """Emits the triples of one record. One method per part of the record; each docstring names its predicates."""

    def __init__(self, record: Record, iris: Iris, linker: KeywordLinker | None = None,
                 mesh: MeshTerms | None = None) -> None:
        self.r = record
        self.iris = iris
        self.linker = linker
        self.mesh_terms = mesh
        self.article = iris.article(record.pmid)
        self.descriptors: set[str] = set()

    def triples(self) -> Iterator[Triple]:
        """All parts, minus empty literals (no meaning, and rdflib's JSON-LD writer would drop them)."""
        for triple in self._all():
            if not (isinstance(triple[2], Literal) and triple[2].datatype is None and str(triple[2]) == ""):
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
        yield from self.hierarchy()

    def types(self) -> Iterator[Triple]:
        """rdf:type schema:ScholarlyArticle (or Book/Chapter), bibo:AcademicArticle, FaBiO classes by type."""
        a = self.article
        if self.r.kind == "book":
            yield from ((a, RDF.type, t) for t in (SDO.Book, BIBO.Book, FABIO.Book))
        elif self.r.kind == "chapter":
            yield from ((a, RDF.type, t) for t in (SDO.Chapter, BIBO.Chapter, FABIO.BookChapter))
        else:
            yield from ((a, RDF.type, t) for t in (SDO.ScholarlyArticle, BIBO.AcademicArticle))
        for pt in self.r.publication_types:
            if pt.name in FABIO_TYPES:
                yield a, RDF.type, FABIO_TYPES[pt.name]

    def titles(self) -> Iterator[Triple]:
        """schema:headline, schema:name, dcterms:title; rdfgen:titleHtml; schema:alternativeHeadline (vernacular)."""
        a, r = self.article, self.r
        for p in (SDO.headline, SDO.name, DCTERMS.title):
            yield a, p, _lit(r.title)
        if r.title_html and r.title_html != r.title:
            yield a, RDFGEN.titleHtml, _lit(r.title_html)
        if r.vernacular_title:
            yield a, SDO.alternativeHeadline, _lit(r.vernacular_title)
            yield a, RDFGEN.vernacularTitle, _lit(r.vernacular_title)

    def identifiers(self) -> Iterator[Triple]:
        """bibo:pmid, bibo:doi, rdfgen:pmcid/pii; schema:identifier PropertyValues; schema:sameAs/owl:sameAs links
        (also to ``BASE doi/{doi}``, the IRI a citing record uses); void:inDataset marks a published record."""
        a, r = self.article, self.r
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
            yield a, SDO.sameAs, iri.doi_url(ids["doi"])
            yield a, OWL.sameAs, iri.doi_url(ids["doi"])
        if "pmc" in ids:
            yield a, RDFGEN.pmcid, _lit(ids["pmc"])
            yield a, SDO.sameAs, iri.pmc_url(ids["pmc"])
        if "pii" in ids:
            yield a, RDFGEN.pii, _lit(ids["pii"])
        for scheme in sorted(ids):
            node = self.iris.identifier(r.pmid, scheme)
            yield a, SDO.identifier, node
            yield node, RDF.type, SDO.PropertyValue
            yield node, SDO.propertyID, _lit(scheme)
            yield node, SDO.value, _lit(ids[scheme])
        if "doi" in ids:
            yield a, OWL.sameAs, self.iris.doi_work(ids["doi"])  # the node other records cite it by
        yield a, VOID.inDataset, self.iris.dataset()
        yield a, SDO.url, iri.pubmed_url(r.pmid)
        yield a, SDO.sameAs, iri.pubmed_url(r.pmid)
        yield a, OWL.sameAs, iri.pubmed_rdf(r.pmid)

    def abstracts(self) -> Iterator[Triple]:
        """schema:abstract, bibo:abstract (labels kept in the text), rdfgen:abstractSection nodes with
        rdfgen:sectionLabel/rdfgen:nlmCategory; rdfgen:otherAbstract; schema:copyrightNotice, dcterms:rights."""
        a, r = self.article, self.r
        if r.abstract is not None:
            yield a, SDO.abstract, _lit(r.abstract.text)
            yield a, BIBO.abstract, _lit(r.abstract.text)
            yield from self.sections(r.abstract, 0)
            if r.abstract.copyright:
                yield a, SDO.copyrightNotice, _lit(r.abstract.copyright)
                yield a, DCTERMS.rights, _lit(r.abstract.copyright)
        for k, other in enumerate(r.other_abstracts, start=1):
            lang = LANGUAGES.get(other.language or "", None)
            yield a, RDFGEN.otherAbstract, Literal(other.text, lang=lang) if lang else _lit(other.text)
            yield from self.sections(other, k)

    def sections(self, abstract: Abstract, k: int) -> Iterator[Triple]:
        if len(abstract.sections) < 2 and not any(s.label for s in abstract.sections):
            return
        for n, section in enumerate(abstract.sections, start=1):
            node = self.iris.abstract_section(self.r.pmid, n, k)
            yield self.article, RDFGEN.abstractSection, node
            yield node, RDF.type, RDFGEN.AbstractSection
            yield node, SDO.position, _lit(n)
            yield node, SDO.text, _lit(section.text)
            if section.label:
                yield node, RDFGEN.sectionLabel, _lit(section.label)
            if section.nlm_category:
                yield node, RDFGEN.nlmCategory, _lit(section.nlm_category)

    def dates(self) -> Iterator[Triple]:
        """schema:datePublished (ISO text), dcterms:issued (typed by precision), rdfgen:dateText (MedlineDate),
        rdfgen:electronicPublicationDate, rdfgen:dateCompleted, dcterms:modified, dcterms:dateSubmitted/Accepted,
        rdfgen:historyEvent nodes (rdfgen:publicationStatus, dcterms:date)."""
        a, r = self.article, self.r
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
        for k, event in enumerate(r.history, start=1):
            if event.status == "received":
                yield a, DCTERMS.dateSubmitted, _date_literal(event.date)
            elif event.status == "accepted":
                yield a, DCTERMS.dateAccepted, _date_literal(event.date)
            node = URIRef(f"{self.article}/history/{k}")
            yield a, RDFGEN.historyEvent, node
            yield node, RDF.type, RDFGEN.HistoryEvent
            yield node, RDFGEN.publicationStatus, _lit(event.status)
            yield node, DCTERMS.date, _date_literal(event.date)
        if r.publication_status:
            yield a, RDFGEN.publicationStatus, _lit(r.publication_status)
        if r.status:
            yield a, RDFGEN.citationStatus, _lit(r.status)

    def languages(self) -> Iterator[Triple]:
        """schema:inLanguage (BCP 47), dcterms:language (Library of Congress ISO 639-2 IRI)."""
        for code in self.r.languages:
            yield self.article, SDO.inLanguage, _lit(LANGUAGES.get(code, code))
            yield self.article, DCTERMS.language, URIRef(f"http://id.loc.gov/vocabulary/iso639-2/{code}")

    def publication_types(self) -> Iterator[Triple]:
        """rdfgen:publicationTypeName always; rdfgen:publicationType to the MeSH type when its UI is known."""
        for pt in self.r.publication_types:
            yield self.article, RDFGEN.publicationTypeName, _lit(pt.name)
            if pt.ui:
                term = iri.mesh(pt.ui)
                yield self.article, RDFGEN.publicationType, term
                yield from self.defined_term(term, pt.name, pt.ui)

    def authors(self, people: tuple[Author, ...], role: str, sdo_prop: URIRef, list_prop: URIRef | None,
                dc_prop: URIRef, subject: URIRef | None = None) -> Iterator[Triple]:
        """schema:author/editor/contributor and dcterms:creator/contributor to schema:Person|Organization +
        foaf:Person|Organization (names, rdfgen:initials, schema:affiliation); bibo:authorList/editorList as an
        rdf:List; rdfgen:authorship nodes with rdfgen:position (a plain integer), rdfgen:agent,
        rdfgen:equalContribution; rdfgen:authorListComplete."""
        a, pmid = subject or self.article, self.r.pmid
        if role == "author":
            yield a, RDFGEN.authorListComplete, _bool(self.r.authors_complete)
        nodes = []
        for n, person in enumerate(people, start=1):
            node = self.iris.author(pmid, n, person.orcid, role)
            nodes.append(node)
            yield a, sdo_prop, node
            yield a, dc_prop, node
            yield from self.agent(node, person, n, role)
            ship = self.iris.authorship(pmid, n, role)
            yield a, RDFGEN[f"{role}ship"], ship
            yield ship, RDF.type, RDFGEN.Authorship
            yield ship, RDFGEN.position, _lit(n)
            yield ship, RDFGEN.agent, node
            yield ship, RDFGEN.role, _lit(role)
            if person.equal_contribution:
                yield ship, RDFGEN.equalContribution, _bool(True)
            if not person.valid:
                yield ship, RDFGEN.validName, _bool(False)
        if list_prop is not None and nodes:
            yield from self.rdf_list(a, list_prop, nodes, f"{role[0]}{pmid}")

    def agent(self, node: URIRef, person: Author, n: int, role: str) -> Iterator[Triple]:
        if person.is_collective:
            yield from ((node, RDF.type, t) for t in (SDO.Organization, FOAF.Organization))
        else:
            yield from ((node, RDF.type, t) for t in (SDO.Person, FOAF.Person))
        yield node, SDO.name, _lit(person.display_name)
        yield node, FOAF.name, _lit(person.display_name)
        if person.given_name:
            yield node, SDO.givenName, _lit(person.given_name)
            yield node, FOAF.givenName, _lit(person.given_name)
        if person.family_name:
            yield node, SDO.familyName, _lit(person.family_name)
            yield node, FOAF.familyName, _lit(person.family_name)
        if person.initials:
            yield node, RDFGEN.initials, _lit(person.initials)
        if person.suffix:
            yield node, SDO.honorificSuffix, _lit(person.suffix)
        if person.orcid:
            yield node, RDFGEN.orcid, _lit(person.orcid)
            yield node, SDO.sameAs, iri.orcid_url(person.orcid)
        for k, aff in enumerate(person.affiliations, start=1):
            org = self.iris.affiliation(self.r.pmid, n, k, role)
            yield node, SDO.affiliation, org
            yield org, RDF.type, SDO.Organization
            yield org, SDO.name, _lit(aff.name)
            for ident in aff.identifiers:
                link = iri.ror_or_grid(ident.scheme, ident.value)
                if link is not None:
                    yield org, OWL.sameAs, link
                    yield org, SDO.sameAs, link

    def rdf_list(self, subject: URIRef, prop: URIRef, items: list[URIRef], key: str) -> Iterator[Triple]:
        """An rdf:List whose cells are the only blank nodes we publish, labelled from ``key`` for determinism."""
        cells = [BNode(f"{key}x{k}") for k in range(1, len(items) + 1)]
        yield subject, prop, cells[0]
        for k, (cell, item) in enumerate(zip(cells, items, strict=True)):
            yield cell, RDF.first, item
            yield cell, RDF.rest, cells[k + 1] if k + 1 < len(cells) else RDF.nil

    def container(self) -> Iterator[Triple]:
        """schema:isPartOf / dcterms:isPartOf chain article -> schema:PublicationIssue (bibo:Issue) ->
        schema:PublicationVolume -> schema:Periodical (bibo:Journal); bibo:volume/issue, schema:volumeNumber/
        issueNumber, schema:pageStart/pageEnd/pagination and bibo:pageStart/pageEnd/pages."""
        a, r = self.article, self.r
        if r.journal is not None:
            key = self.iris.journal_key(r.journal)
            if key is not None:
                journal = self.iris.journal(key)
                yield from self.journal(journal, r.journal)
                parent = journal
                if r.volume:
                    volume = self.iris.volume(key, r.volume)
                    yield volume, RDF.type, SDO.PublicationVolume
                    yield volume, SDO.volumeNumber, _lit(r.volume)
                    yield volume, SDO.isPartOf, journal
                    yield volume, DCTERMS.isPartOf, journal
                    parent = volume
                if r.issue:
                    issue = self.iris.issue(key, r.volume, r.issue)
                    yield issue, RDF.type, SDO.PublicationIssue
                    yield issue, RDF.type, BIBO.Issue
                    yield issue, SDO.issueNumber, _lit(r.issue)
                    yield issue, BIBO.issue, _lit(r.issue)
                    if r.volume:
                        yield issue, BIBO.volume, _lit(r.volume)
                    if r.pub_date is not None:
                        yield issue, SDO.datePublished, _lit(r.pub_date.iso())
                    yield issue, SDO.isPartOf, parent
                    yield issue, DCTERMS.isPartOf, parent
                    parent = issue
                yield a, SDO.isPartOf, parent
                yield a, DCTERMS.isPartOf, parent
        if r.volume:
            yield a, BIBO.volume, _lit(r.volume)
        if r.issue:
            yield a, BIBO.issue, _lit(r.issue)
        if r.cited_medium:
            yield a, RDFGEN.citedMedium, _lit(r.cited_medium)
        yield from self.pages(a, r.pages)

    def pages(self, node: URIRef, pages: Pages | None) -> Iterator[Triple]:
        """schema:pageStart/pageEnd/pagination and bibo:pageStart/pageEnd/pages."""
        if pages is None:
            return
        if pages.start:
            yield node, SDO.pageStart, _lit(pages.start)
            yield node, BIBO.pageStart, _lit(pages.start)
        if pages.end:
            yield node, SDO.pageEnd, _lit(pages.end)
            yield node, BIBO.pageEnd, _lit(pages.end)
        yield node, SDO.pagination, _lit(pages.raw)
        yield node, BIBO.pages, _lit(pages.raw)

    def journal(self, node: URIRef, j: Journal) -> Iterator[Triple]:
        """schema:Periodical + bibo:Journal: schema:name, schema:alternateName and bibo:shortTitle (abbreviation),
        schema:issn, bibo:issn (print), bibo:eissn, rdfgen:issnL, rdfgen:nlmUniqueId, rdfgen:medlineTA."""
        yield node, RDF.type, SDO.Periodical
        yield node, RDF.type, BIBO.Journal
        name = j.display_name
        if name:
            yield node, SDO.name, _lit(name)
            yield node, DCTERMS.title, _lit(name)
        if j.iso_abbreviation:
            yield node, SDO.alternateName, _lit(j.iso_abbreviation)
            yield node, BIBO.shortTitle, _lit(j.iso_abbreviation)
        for issn in dict.fromkeys(x for x in (j.issn_print, j.issn_electronic, j.issn_linking) if x):
            yield node, SDO.issn, _lit(issn)
        if j.issn_print:
            yield node, BIBO.issn, _lit(j.issn_print)
        if j.issn_electronic:
            yield node, BIBO.eissn, _lit(j.issn_electronic)
        if j.issn_linking:
            yield node, RDFGEN.issnL, _lit(j.issn_linking)
        if j.nlm_id:
            yield node, RDFGEN.nlmUniqueId, _lit(j.nlm_id)
        if j.medline_ta:
            yield node, RDFGEN.medlineTA, _lit(j.medline_ta)
        if j.country:
            yield node, RDFGEN.country, _lit(j.country)

    def book(self) -> Iterator[Triple]:
        """For a chapter: schema:isPartOf a schema:Book (bibo:Book); for a book: its own details. schema:isbn,
        schema:publisher, schema:bookEdition, schema:editor and bibo:editorList, rdfgen:collectionTitle."""
        b: Book | None = self.r.book
        if b is None:
            return
        if self.r.kind == "chapter":
            key = b.isbn[0] if b.isbn else iri.slug(b.title)
            node = self.iris.file(f"book/{iri.segment(key)}")
            yield node, RDF.type, SDO.Book
            yield node, RDF.type, BIBO.Book
            yield node, SDO.name, _lit(b.title)
            yield node, DCTERMS.title, _lit(b.title)
            yield self.article, SDO.isPartOf, node
            yield self.article, DCTERMS.isPartOf, node
        else:
            node = self.article
        for isbn in b.isbn:
            yield node, SDO.isbn, _lit(isbn)
            yield node, BIBO.isbn, _lit(isbn)
        if b.publisher:
            pub = self.iris.file(f"publisher/{iri.slug(b.publisher)}")
            yield node, SDO.publisher, pub
            yield node, DCTERMS.publisher, pub
            yield pub, RDF.type, SDO.Organization
            yield pub, SDO.name, _lit(b.publisher)
            if b.publisher_location:
                yield pub, SDO.location, _lit(b.publisher_location)
        if b.edition:
            yield node, SDO.bookEdition, _lit(b.edition)
        if b.collection_title:
            yield node, RDFGEN.collectionTitle, _lit(b.collection_title)
        if b.volume:
            yield node, BIBO.volume, _lit(b.volume)
        if b.date is not None and node != self.article:
            yield node, SDO.datePublished, _lit(b.date.iso())
            yield node, DCTERMS.issued, _date_literal(b.date)
        yield from self.authors(b.editors, "editor", SDO.editor, BIBO.editorList, DCTERMS.contributor, node)

    def keywords(self) -> Iterator[Triple]:
        """schema:keywords, one literal each, and rdfgen:keywordKey (case-folded, so queries can join on it); a
        machine link to MeSH as rdfgen:keywordSubject (under dcterms:subject) with skos:exactMatch or
        skos:closeMatch strength on an rdfgen:KeywordMapping node."""
        for k, kw in enumerate(self.r.keywords, start=1):
            yield self.article, SDO.keywords, _lit(kw.text)
            yield self.article, RDFGEN.keywordKey, _lit(" ".join(kw.text.casefold().split()))
            link = self.linker(kw.text) if self.linker else None
            if link is None:
                continue
            term = iri.mesh(link.ui)
            node = URIRef(f"{self.article}/keyword/{k}")
            yield self.article, RDFGEN.keywordSubject, term
            yield self.article, RDFGEN.keywordMapping, node
            yield node, RDF.type, RDFGEN.KeywordMapping
            yield node, RDFGEN.keyword, _lit(kw.text)
            exact = link.method in ("label", "entry-term", "normalised")
            yield node, SKOS.exactMatch if exact else SKOS.closeMatch, term
            yield node, RDFGEN.mappingMethod, _lit(link.method)
            yield node, RDFGEN.mappingScore, Literal(round(link.score, 4), datatype=XSD.decimal)
            yield from self.defined_term(term, link.label, link.ui)

    def defined_term(self, term: URIRef, name: str, code: str) -> Iterator[Triple]:
        """A MeSH term as schema:DefinedTerm + skos:Concept: schema:name, skos:prefLabel, schema:termCode,
        schema:inDefinedTermSet MeSH."""
        if code.startswith("D"):
            self.descriptors.add(code)
        yield term, RDF.type, SDO.DefinedTerm
        yield term, RDF.type, SKOS.Concept
        yield term, SDO.name, _lit(name)
        yield term, SKOS.prefLabel, _lit(name)
        yield term, SDO.termCode, _lit(code)
        yield term, SDO.inDefinedTermSet, iri.MESH_SET

    def mesh(self) -> Iterator[Triple]:
        """NLM indexing: schema:about and dcterms:subject to the descriptor; fabio:hasPrimarySubjectTerm (major) or
        fabio:hasSubjectTerm to the descriptor and to one descriptor-qualifier pair per qualifier; an
        rdfgen:MeshHeading node (rdfgen:descriptor, rdfgen:qualifier, rdfgen:majorTopic, rdfgen:descriptorName)."""
        a = self.article
        for k, h in enumerate(self.r.mesh_headings, start=1):
            node = self.iris.heading(self.r.pmid, k)
            yield a, RDFGEN.meshHeading, node
            yield node, RDF.type, RDFGEN.MeshHeading
            yield node, SDO.position, _lit(k)
            yield node, RDFGEN.descriptorName, _lit(h.descriptor_name)
            yield node, RDFGEN.majorTopic, _bool(h.is_major)
            if h.type:
                yield node, RDFGEN.headingType, _lit(h.type)
            for q in h.qualifiers:
                yield node, RDFGEN.qualifierName, _lit(q.name)
            if not h.descriptor_ui:
                continue
            yield from self.indexed_descriptor(node, h)

    def indexed_descriptor(self, node: URIRef, h: MeshHeading) -> Iterator[Triple]:
        a = self.article
        assert h.descriptor_ui is not None
        desc = iri.mesh(h.descriptor_ui)
        yield node, RDFGEN.descriptor, desc
        yield from self.defined_term(desc, h.descriptor_name, h.descriptor_ui)
        yield a, SDO.about, desc
        yield a, DCTERMS.subject, desc
        yield a, FABIO.hasPrimarySubjectTerm if h.major else FABIO.hasSubjectTerm, desc
        for q in h.qualifiers:
            if not q.ui:
                continue
            qual, pair = iri.mesh(q.ui), iri.mesh(h.descriptor_ui, q.ui)
            yield node, RDFGEN.qualifier, qual
            yield from self.defined_term(qual, q.name, q.ui)
            yield a, FABIO.hasPrimarySubjectTerm if q.major else FABIO.hasSubjectTerm, pair
            yield pair, RDF.type, SKOS.Concept
            yield pair, SKOS.prefLabel, _lit(f"{h.descriptor_name}/{q.name}")
            yield pair, RDFGEN.descriptor, desc
            yield pair, RDFGEN.qualifier, qual

    def substances(self) -> Iterator[Triple]:
        """rdfgen:substance (ChemicalList) and rdfgen:supplementaryConcept (SupplMeshList) to MeSH IRIs with
        rdfgen:registryNumber; names kept as rdfgen:substanceName when no UI is given."""
        a = self.article
        for c in self.r.chemicals:
            if c.ui:
                term = iri.mesh(c.ui)
                yield a, RDFGEN.substance, term
                yield from self.defined_term(term, c.name, c.ui)
                if c.registry_number and c.registry_number != "0":
                    yield term, RDFGEN.registryNumber, _lit(c.registry_number)
            else:
                yield a, RDFGEN.substanceName, _lit(c.name)
        for s in self.r.supplementary_concepts:
            if s.ui:
                term = iri.mesh(s.ui)
                yield a, RDFGEN.supplementaryConcept, term
                yield from self.defined_term(term, s.name, s.ui)

    def grants(self) -> Iterator[Triple]:
        """schema:funding -> schema:Grant (schema:identifier, schema:funder -> schema:Organization, rdfgen:acronym,
        rdfgen:country)."""
        for k, g in enumerate(self.r.grants, start=1):
            node = URIRef(f"{self.article}/grant/{k}")
            yield self.article, SDO.funding, node
            yield node, RDF.type, SDO.Grant
            if g.grant_id:
                yield node, SDO.identifier, _lit(g.grant_id)
            if g.agency:
                funder = self.iris.file(f"funder/{iri.slug(g.agency)}")
                yield node, SDO.funder, funder
                yield funder, RDF.type, SDO.Organization
                yield funder, SDO.name, _lit(g.agency)
                if g.country:
                    yield funder, RDFGEN.country, _lit(g.country)
            if g.acronym:
                yield node, RDFGEN.acronym, _lit(g.acronym)

    def links(self) -> Iterator[Triple]:
        """CommentsCorrections as rdfgen:erratumIn, rdfgen:retractionIn... to the PubMed article; a retracted article
        carries rdfgen:retracted true and schema:creativeWorkStatus "Retracted". Also rdfgen:conflictOfInterest and
        rdfgen:databankAccession."""
        a, r = self.article, self.r
        for c in r.comments_corrections:
            prop = REF_TYPES.get(c.ref_type)
            if c.ref_type == "Cites" and c.pmid:
                yield a, CITO.cites, self.iris.article(c.pmid)
            elif prop is not None and c.pmid and c.pmid.isdigit():
                yield a, prop, self.iris.article(c.pmid)
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

    def references(self) -> Iterator[Triple]:
        """schema:citation, bibo:cites, cito:cites to the cited work; rdfgen:reference to a
        biro:BibliographicReference entry with schema:position, c4o:hasContent, dcterms:bibliographicCitation,
        biro:references."""
        a = self.article
        for ref in self.r.references:
            entry = self.iris.reference(self.r.pmid, ref.position)
            work = self.iris.reference_work(self.r.pmid, ref)
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
            yield from self.cited_work(work, ref)

    def cited_work(self, work: URIRef, ref: Reference) -> Iterator[Triple]:
        """What the citation text says of the work: schema:name, dcterms:title, the journal as schema:isPartOf,
        year, volume, issue, pages, DOI/PMID/PMCID, the authors as printed (rdfgen:authorsText)."""
        yield work, RDF.type, SDO.ScholarlyArticle if ref.journal else SDO.CreativeWork
        if ref.title:
            yield work, SDO.name, _lit(ref.title)
            yield work, DCTERMS.title, _lit(ref.title)
        if ref.authors:
            yield work, RDFGEN.authorsText, _lit(", ".join(ref.authors) + (", et al." if ref.authors_truncated else ""))
        if ref.journal:
            key = self.iris.journal_key(None, ref.journal)
            if key:
                journal = self.iris.journal(key)
                yield work, SDO.isPartOf, journal
                yield work, DCTERMS.isPartOf, journal
                yield journal, RDF.type, SDO.Periodical
                yield journal, RDF.type, BIBO.Journal
                yield journal, SDO.alternateName, _lit(ref.journal)
        if ref.year:
            yield work, SDO.datePublished, _lit(f"{ref.year:04d}")
            yield work, DCTERMS.issued, Literal(f"{ref.year:04d}", datatype=XSD.gYear)
        if ref.volume:
            yield work, BIBO.volume, _lit(ref.volume)
        if ref.issue:
            yield work, BIBO.issue, _lit(ref.issue)
        yield from self.pages(work, ref.pages)
        if ref.doi:
            yield work, BIBO.doi, _lit(ref.doi)
            yield work, SDO.sameAs, iri.doi_url(ref.doi)
        if ref.pmid:
            yield work, BIBO.pmid, _lit(ref.pmid)
            yield work, SDO.sameAs, iri.pubmed_url(ref.pmid)
        if ref.pmcid:
            yield work, RDFGEN.pmcid, _lit(ref.pmcid)

    def hierarchy(self) -> Iterator[Triple]:
        """Every descriptor the record mentions, and all its ancestors, with rdfgen:treeNumber and skos:broader
        (from the tree numbers), so "articles about any kind of Neoplasms" needs no access to NLM."""
        if self.mesh_terms is None:
            return
        todo, done = sorted(self.descriptors), set()
        while todo:
            ui = todo.pop()
            if ui in done:
                continue
            done.add(ui)
            desc = self.mesh_terms.descriptor(ui)
            if desc is None:
                continue
            term = iri.mesh(ui)
            if ui not in self.descriptors:
                yield from self.defined_term(term, desc.label, ui)
            for number in desc.tree_numbers:
                yield term, RDFGEN.treeNumber, _lit(number)
            for parent in self.mesh_terms.broader(ui):
                yield term, SKOS.broader, iri.mesh(parent)
                todo.append(parent)

    def provenance(self) -> Iterator[Triple]:
        """prov:wasDerivedFrom the PubMed record; rdfgen:sourceFormat and rdfgen:sourceFile (base name only, so the
        output does not depend on where the input lay)."""
        a, p = self.article, self.r.provenance
        yield a, PROV.wasDerivedFrom, iri.pubmed_url(self.r.pmid)
        if p is not None:
            yield a, RDFGEN.sourceFormat, _lit(p.source_format)
            if p.source_file and p.source_file != "-":
                yield a, RDFGEN.sourceFile, _lit(PurePath(p.source_file).name)
        for note in self.r.notes:
            yield a, RDFGEN.note, _lit(note)


def record_triples(record: Record, iris: Iris | None = None, *, linker: KeywordLinker | None = None,
                   mesh: MeshTerms | None = None) -> Iterator[Triple]:
    """The triples of one record, as a stream. ``linker`` maps an author keyword to MeSH (or None); ``mesh``
    gives descriptors' tree numbers and broader descriptors."""
    return _RecordMapper(record, iris or Iris(), linker, mesh).triples()
