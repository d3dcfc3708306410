"""Where the article appeared: journal issue, volume and periodical, pages, and the book of a chapter (or a book's
own details)."""

from __future__ import annotations

from collections.abc import Iterator

from rdfgen import iris as iri
from rdfgen.mapping.core import RecordContext, Triple, _date_literal, _lit, given, iri_prefix, own_prefixes, said_in
from rdfgen.mapping.people import authors
from rdfgen.mapping.terms import BIBO, DCTERMS, RDF, RDFGEN, SDO, shared_uri, uri
from rdfgen.model import Book, Journal, Pages, PartialDate


def container(m: RecordContext) -> list[Triple]:
    """schema:isPartOf / dcterms:isPartOf chain article -> schema:PublicationIssue (bibo:Issue) ->
    schema:PublicationVolume -> schema:Periodical (bibo:Journal); bibo:volume/issue, schema:volumeNumber/
    issueNumber, schema:pageStart/pageEnd/pagination and bibo:pageStart/pageEnd/pages.

    Made by rdfgen.mapping._native where it was built; ``container_py`` is its twin, and makes the record's
    whenever the C part hands them back (an odd base, a journal known only by its title, a key, volume or issue
    not printable ASCII, fields not of the types the readers make)."""
    if _native_container is not None and (prefixes := own_prefixes(m, _container_prefixes)) is not None:
        made = _native_container(m.r, m.article, prefixes, _CONTAINER_TERMS, PartialDate)
        if made is not None:
            return made
    return list(container_py(m))


def container_py(m: RecordContext) -> Iterator[Triple]:
    """``container``, in Python: the twin of rdfgen.mapping._native.container."""
    a, r = m.article, m.r
    if r.journal is not None:
        key = m.iris.journal_key(r.journal)
        if key is not None:
            journal = shared_uri(m.iris.journal_iri(key))
            yield from periodical(journal, r.journal)
            parent = journal
            if r.volume:
                volume = uri(m.iris.volume_iri(key, r.volume))
                yield volume, RDF.type, SDO.PublicationVolume
                yield volume, SDO.volumeNumber, _lit(r.volume)
                yield volume, SDO.isPartOf, journal
                yield volume, DCTERMS.isPartOf, journal
                parent = volume
            if r.issue:
                issue = uri(m.iris.issue_iri(key, r.volume, r.issue))
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
    yield from pages(a, r.pages)


try:
    from rdfgen.mapping._native import container as _native_container
except ImportError:  # built without a C compiler: the Python twin serves, with the same statements
    _native_container = None

_CONTAINER_TERMS = (RDF.type, SDO.Periodical, BIBO.Journal, SDO.name, DCTERMS.title, SDO.alternateName,
                    BIBO.shortTitle, SDO.issn, BIBO.issn, BIBO.eissn, RDFGEN.issnL, RDFGEN.nlmUniqueId,
                    RDFGEN.medlineTA, RDFGEN.country, SDO.PublicationVolume, SDO.volumeNumber, SDO.isPartOf,
                    DCTERMS.isPartOf, SDO.PublicationIssue, BIBO.Issue, SDO.issueNumber, BIBO.issue, BIBO.volume,
                    SDO.datePublished, RDFGEN.citedMedium, SDO.pageStart, BIBO.pageStart, SDO.pageEnd, BIBO.pageEnd,
                    SDO.pagination, BIBO.pages)
"""What the C twin says of where a record appeared, in the order of its enum ContainerTerm: the vocabulary stays
here."""


def _container_prefixes(m: RecordContext) -> tuple[str, str, str, str] | None:
    """The IRIs the C twin mints, as prefixes, in the order of its enum ContainerPrefix (a journal: + key + ">";
    what comes between the key and a volume's segment, between that and an issue's, and between the key and the
    issue's of an issue without a volume); None when they need escaping (an odd --base), which the twin does."""
    journal, volume = m.iris.journal_iri("K"), m.iris.volume_iri("K", "V")
    issue, issue_only = m.iris.issue_iri("K", "V", "I"), m.iris.issue_iri("K", None, "I")
    head = iri_prefix(journal, "K")
    if (head is None or not volume.startswith(journal) or not issue.startswith(volume)
            or not issue_only.startswith(journal) or not volume.endswith("V") or not issue.endswith("I")
            or not issue_only.endswith("I") or any(uri(i) != f"<{i}>" for i in (volume, issue, issue_only))):
        return None
    return head, volume[len(journal):-1], issue[len(volume):-1], issue_only[len(journal):-1]


def pages(node: str, pages: Pages | None) -> list[Triple]:
    """schema:pageStart/pageEnd/pagination and bibo:pageStart/pageEnd/pages (a list: every cited work has them)."""
    if pages is None:
        return []
    found = []
    if pages.start:
        found += said_in(node, (SDO.pageStart, BIBO.pageStart), pages.start)
    if pages.end:
        found += said_in(node, (SDO.pageEnd, BIBO.pageEnd), pages.end)
    found += said_in(node, (SDO.pagination, BIBO.pages), pages.raw)
    return found


def periodical(node: str, j: Journal) -> Iterator[Triple]:
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
    yield from given(node, (BIBO.issn, j.issn_print), (BIBO.eissn, j.issn_electronic), (RDFGEN.issnL, j.issn_linking),
                     (RDFGEN.nlmUniqueId, j.nlm_id), (RDFGEN.medlineTA, j.medline_ta), (RDFGEN.country, j.country))


def book(m: RecordContext) -> Iterator[Triple]:
    """For a chapter: schema:isPartOf a schema:Book (bibo:Book); for a book: its own details. schema:isbn,
    schema:publisher, schema:bookEdition, schema:editor and bibo:editorList, rdfgen:collectionTitle."""
    b: Book | None = m.r.book
    if b is None:
        return
    if m.r.kind == "chapter":
        key = b.isbn[0] if b.isbn else iri.slug(b.title)
        node = shared_uri(m.iris.file_iri(f"book/{iri.segment(key)}"))
        yield node, RDF.type, SDO.Book
        yield node, RDF.type, BIBO.Book
        yield node, SDO.name, _lit(b.title)
        yield node, DCTERMS.title, _lit(b.title)
        yield m.article, SDO.isPartOf, node
        yield m.article, DCTERMS.isPartOf, node
    else:
        node = m.article
    for isbn in b.isbn:
        yield node, SDO.isbn, _lit(isbn)
        yield node, BIBO.isbn, _lit(isbn)
    if b.publisher:
        pub = shared_uri(m.iris.file_iri(f"publisher/{iri.slug(b.publisher)}"))
        yield node, SDO.publisher, pub
        yield node, DCTERMS.publisher, pub
        yield pub, RDF.type, SDO.Organization
        yield pub, SDO.name, _lit(b.publisher)
        yield from given(pub, (SDO.location, b.publisher_location))
    yield from given(node, (SDO.bookEdition, b.edition), (RDFGEN.collectionTitle, b.collection_title),
                     (BIBO.volume, b.volume))
    if b.date is not None and node != m.article:
        yield node, SDO.datePublished, _lit(b.date.iso())
        yield node, DCTERMS.issued, _date_literal(b.date)
    yield from authors(m, b.editors, "editor", SDO.editor, BIBO.editorList, DCTERMS.contributor, node)
