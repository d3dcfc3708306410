"""PubMed XML (efetch output, baseline and update files) streamed into Records and Deletions.

A baseline file holds 30,000 records, so the parser streams with ``lxml.etree.iterparse`` and drops each record's
elements once it is read. Entities are not expanded, no DTD is loaded and nothing is fetched from the network: an
input file cannot make the parser read local files or explode in memory.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from lxml import etree
from lxml.etree import _Element

from rdfgen.errors import SourceError
from rdfgen.model import (
    Abstract,
    AbstractSection,
    Affiliation,
    ArticleId,
    Author,
    Book,
    Chemical,
    CommentCorrection,
    DataBank,
    Deletion,
    Grant,
    HistoryDate,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    Pages,
    PartialDate,
    Provenance,
    PublicationType,
    Record,
    Reference,
    SupplementaryConcept,
)
from rdfgen.sources.citation import reference
from rdfgen.sources.detect import opened_source
from rdfgen.sources.text import (
    FieldError,
    expand_page_range,
    first_id,
    make_date,
    normalise_orcid,
    parse_date_text,
    reading,
    report,
    squash,
)

SOURCE_FORMAT = "pubmed-xml"

_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
_ROOT_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet")
_SAFE_HTML_TAGS = frozenset({"i", "b", "u", "sup", "sub"})
_MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
_SAFE_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def iter_pubmed_xml(
    source: str | Path | BinaryIO,
    *,
    name: str | None = None,
    on_error: Callable[[SourceError], None] | None = None,
) -> Iterator[Record | Deletion]:
    """Records (and update files' Deletions) of a PubmedArticleSet, plain or gzip, from a path or a binary stream.

    A record with a broken field is passed to ``on_error`` as a SourceError and skipped, so one bad record does not
    stop a baseline load; without ``on_error`` it is raised. Malformed XML always raises, naming line and column.
    """
    with opened_source(source, name) as (stream, label):
        yield from _iter_stream(stream, label, on_error)


def _iter_stream(
    stream: BinaryIO, label: str, on_error: Callable[[SourceError], None] | None
) -> Iterator[Record | Deletion]:
    """The iterparse loop: one record element at a time, released as soon as it has been turned into a Record."""
    events = etree.iterparse(stream, events=("end",), tag=_RECORD_TAGS, **_SAFE_PARSER_OPTIONS)
    try:
        for _event, element in events:
            item = _read_element(element, label, on_error)
            _release(element)
            if item is not None:
                yield item
        root = events.root
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise SourceError(f"malformed XML: {error.msg}", file=label, position=f"{line}, column {column}") from error
    except (OSError, EOFError) as error:
        raise SourceError(f"unreadable input: {error}", file=label) from error
    if root is not None and etree.QName(root).localname not in _ROOT_TAGS:
        raise SourceError(f"root element is <{root.tag}>, not <PubmedArticleSet>", file=label)


def _release(element: _Element) -> None:
    """Free what has been read; siblings before it are empty shells lxml still keeps unless deleted."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _read_element(
    element: _Element, label: str, on_error: Callable[[SourceError], None] | None
) -> Record | Deletion | None:
    """Turn one record element into a Record or Deletion; a broken record goes to ``on_error`` (or is raised)."""
    if element.tag == "DeleteCitation":
        return Deletion(tuple(squash(p.text) for p in element.iterfind("PMID") if squash(p.text)))
    try:
        if element.tag == "PubmedArticle":
            return _article_record(element, label)
        return _book_record(element, label)
    except FieldError as problem:
        pmid = squash(element.findtext("MedlineCitation/PMID") or element.findtext("BookDocument/PMID")) or None
        error = SourceError(
            problem.reason, file=label, pmid=pmid, field=problem.field, position=str(element.sourceline)
        )
        report(error, on_error)
        return None


# Records -------------------------------------------------------------------------------------------------------


def _article_record(element: _Element, label: str) -> Record:
    """A PubmedArticle: MedlineCitation (what NLM indexed) plus PubmedData (ids, history, references)."""
    citation = _require(element, "MedlineCitation")
    article = _require(citation, "Article")
    data = element.find("PubmedData")
    notes: list[str] = []
    pmid, pmid_version = _pmid(citation)
    title, title_html, vernacular = _titles(article.find("ArticleTitle"), article.find("VernacularTitle"), notes)
    ids = _ids(data, article)
    journal_issue = article.find("Journal/JournalIssue")
    author_list = article.find("AuthorList")
    grant_list = article.find("GrantList")
    with reading("PubDate"):
        pub_date = _date(article.find("Journal/JournalIssue/PubDate"))
    with reading("ArticleDate"):
        electronic_date = _date(article.find("ArticleDate[@DateType='Electronic']"))
    return Record(
        pmid=pmid,
        pmid_version=pmid_version,
        title=title,
        title_html=title_html,
        vernacular_title=vernacular,
        doi=first_id(ids, "doi"),
        pmcid=first_id(ids, "pmc"),
        pii=first_id(ids, "pii"),
        article_ids=ids,
        abstract=_abstract(article.find("Abstract")),
        other_abstracts=_other_abstracts(citation.iterfind("OtherAbstract")),
        languages=_texts(article.iterfind("Language")),
        publication_types=_publication_types(article.iterfind("PublicationTypeList/PublicationType")),
        journal=_journal(article.find("Journal"), citation.find("MedlineJournalInfo")),
        volume=_child_text(journal_issue, "Volume"),
        issue=_child_text(journal_issue, "Issue"),
        cited_medium=journal_issue.get("CitedMedium") if journal_issue is not None else None,
        pages=_pages(article.find("Pagination")),
        pub_date=pub_date,
        electronic_date=electronic_date,
        date_completed=_dated(citation, "DateCompleted"),
        date_revised=_dated(citation, "DateRevised"),
        history=_history(data),
        publication_status=_child_text(data, "PublicationStatus"),
        status=citation.get("Status"),
        authors=_authors(author_list, notes),
        authors_complete=_complete(author_list),
        investigators=_authors(citation.find("InvestigatorList"), notes, role="investigator"),
        keywords=_keywords(citation.iterfind("KeywordList")),
        mesh_headings=_mesh_headings(citation.iterfind("MeshHeadingList/MeshHeading")),
        chemicals=_chemicals(citation.iterfind("ChemicalList/Chemical")),
        supplementary_concepts=_supplementary_concepts(citation.iterfind("SupplMeshList/SupplMeshName")),
        grants=_grants(grant_list),
        grants_complete=_complete(grant_list),
        comments_corrections=_comments_corrections(citation.iterfind("CommentsCorrectionsList/CommentsCorrections")),
        coi_statement=_child_text(citation, "CoiStatement"),
        databanks=_databanks(article.iterfind("DataBankList/DataBank")),
        references=_references(data),
        provenance=Provenance(source_format=SOURCE_FORMAT, source_file=label),
        notes=tuple(notes),
    )


def _book_record(element: _Element, label: str) -> Record:
    """A PubmedBookArticle: a whole book, or a chapter when the document has its own title or location label."""
    document = _require(element, "BookDocument")
    book_element = _require(document, "Book")
    data = element.find("PubmedBookData")
    notes: list[str] = []
    pmid, pmid_version = _pmid(document)
    book = _book(book_element, document, notes)
    location = _child_text(document, "LocationLabel")
    chapter_title = document.find("ArticleTitle")
    is_chapter = chapter_title is not None or location is not None
    if is_chapter and _text(chapter_title) is None and location is not None:
        title, title_html, vernacular = location, None, _text(document.find("VernacularTitle"))
    else:
        own_title = chapter_title if is_chapter else book_element.find("BookTitle")
        title, title_html, vernacular = _titles(own_title, document.find("VernacularTitle"), notes)
    author_list = document.find("AuthorList[@Type='authors']")
    if author_list is None:
        author_list = document.find("AuthorList")
    grant_list = document.find("GrantList")
    ids = _ids(data, document, book_element)
    return Record(
        pmid=pmid,
        pmid_version=pmid_version,
        title=title,
        kind="chapter" if is_chapter else "book",
        title_html=title_html,
        vernacular_title=vernacular,
        doi=first_id(ids, "doi"),
        pmcid=first_id(ids, "pmc"),
        pii=first_id(ids, "pii"),
        article_ids=ids,
        abstract=_abstract(document.find("Abstract")),
        languages=_texts(document.iterfind("Language")),
        publication_types=_publication_types(document.iterfind("PublicationType")),
        volume=book.volume,
        pages=_pages(document.find("Pagination")),
        # A chapter is dated by its own ContributionDate; the Book's PubDate may be the start of a whole series.
        pub_date=(_dated(document, "ContributionDate") if is_chapter else None) or book.date,
        date_revised=_dated(document, "DateRevised"),
        history=_history(data),
        publication_status=_child_text(data, "PublicationStatus"),
        authors=_authors(author_list, notes),
        authors_complete=_complete(author_list),
        investigators=_authors(document.find("InvestigatorList"), notes, role="investigator"),
        keywords=_keywords(document.iterfind("KeywordList")),
        grants=_grants(grant_list),
        grants_complete=_complete(grant_list),
        references=_references(document),
        book=book,
        provenance=Provenance(source_format=SOURCE_FORMAT, source_file=label),
        notes=tuple(notes),
    )


def _book(book: _Element, document: _Element, notes: list[str]) -> Book:
    """The Book element: title, publisher, ISBNs, edition, series and editors of the book a record belongs to."""
    title = _text(book.find("BookTitle"))
    if title is None:
        raise FieldError("BookTitle", "book without a BookTitle")
    with reading("PubDate"):
        date = _date(book.find("PubDate"))
    return Book(
        title=title,
        publisher=_child_text(book, "Publisher/PublisherName"),
        publisher_location=_child_text(book, "Publisher/PublisherLocation"),
        isbn=_texts(book.iterfind("Isbn")),
        edition=_child_text(book, "Edition"),
        collection_title=_child_text(book, "CollectionTitle"),
        volume=_child_text(book, "Volume"),
        editors=_authors(book.find("AuthorList[@Type='editors']"), notes, role="editor"),
        date=date,
        sections=_texts(document.iterfind("Sections//SectionTitle")),
    )


def _require(parent: _Element, tag: str) -> _Element:
    """A child the record cannot be read without; its absence skips the record, naming the element."""
    child = parent.find(tag)
    if child is None:
        raise FieldError(tag, f"no {tag} element")
    return child


def _pmid(container: _Element) -> tuple[str, str | None]:
    """The record's PMID and its Version; a record without one cannot be published, so it is an error."""
    element = container.find("PMID")
    pmid = squash(element.text) if element is not None else ""
    if not pmid.isdigit():
        raise FieldError("PMID", f"no valid PMID ({pmid!r})" if pmid else "no PMID")
    return pmid, element.get("Version") if element is not None else None


def _titles(
    title_element: _Element | None, vernacular_element: _Element | None, notes: list[str]
) -> tuple[str, str | None, str | None]:
    """Title as text and (when it has markup) safe HTML, plus the vernacular title; one of the two must exist."""
    title, vernacular = _text(title_element), _text(vernacular_element)
    if title is None:
        if vernacular is None:
            raise FieldError("ArticleTitle", "no title")
        notes.append("no English title; the vernacular title stands in")
        return vernacular, _html_if_marked_up(vernacular_element), vernacular
    return title, _html_if_marked_up(title_element), vernacular


# Identifiers ---------------------------------------------------------------------------------------------------


def _ids(data: _Element | None, *containers: _Element) -> tuple[ArticleId, ...]:
    """All identifiers, ArticleIdList first (PubMed's curated list), then ELocationIDs, without repeats."""
    found: list[ArticleId] = []
    for owner in (data, *containers):
        if owner is None:
            continue
        for element in owner.iterfind("ArticleIdList/ArticleId"):
            found.append(ArticleId(element.get("IdType") or "unknown", squash(element.text)))
    for container in containers:
        for element in container.iterfind("ELocationID"):
            if element.get("ValidYN", "Y") == "Y":
                found.append(ArticleId(element.get("EIdType") or "unknown", squash(element.text)))
    return tuple(dict.fromkeys(i for i in found if i.value))


# Dates ---------------------------------------------------------------------------------------------------------


def _date(element: _Element | None) -> PartialDate | None:
    """Year/Month/Day, Year/Season, or a MedlineDate's free text; raises ValueError on impossible parts."""
    if element is None:
        return None
    medline_date = element.findtext("MedlineDate")
    if medline_date:
        return parse_date_text(medline_date)
    year, season = element.findtext("Year"), element.findtext("Season")
    if season and year:
        return PartialDate(int(year), season=squash(season), raw=f"{squash(year)} {squash(season)}")
    return make_date(year, element.findtext("Month"), element.findtext("Day"))


def _dated(container: _Element, tag: str) -> PartialDate | None:
    """A date child such as DateCompleted, errors naming that element."""
    with reading(tag):
        return _date(container.find(tag))


def _history(data: _Element | None) -> tuple[HistoryDate, ...]:
    """PubMedPubDate entries (received, accepted, entrez...) in source order."""
    if data is None:
        return ()
    history = []
    for element in data.iterfind("History/PubMedPubDate"):
        with reading("PubMedPubDate"):
            date = _date(element)
        if date is not None:
            history.append(HistoryDate(element.get("PubStatus") or "unknown", date))
    return tuple(history)


# Journal, pages ------------------------------------------------------------------------------------------------


def _journal(journal: _Element | None, info: _Element | None) -> Journal | None:
    """Journal names and ISSNs from Article/Journal plus MedlineJournalInfo (NLM's catalogue data)."""
    if journal is None and info is None:
        return None
    issns: dict[str | None, str | None] = {}
    if journal is not None:
        for issn in journal.iterfind("ISSN"):
            issns.setdefault(issn.get("IssnType"), squash(issn.text) or None)
    return Journal(
        title=_child_text(journal, "Title"),
        iso_abbreviation=_child_text(journal, "ISOAbbreviation"),
        medline_ta=_child_text(info, "MedlineTA"),
        issn_print=issns.get("Print"),
        issn_electronic=issns.get("Electronic"),
        issn_linking=_child_text(info, "ISSNLinking"),
        nlm_id=_child_text(info, "NlmUniqueID"),
        country=_child_text(info, "Country"),
    )


def _pages(pagination: _Element | None) -> Pages | None:
    """MedlinePgn expanded; explicit StartPage/EndPage, when present, are what the publisher gave and win."""
    if pagination is None:
        return None
    printed = _child_text(pagination, "MedlinePgn")
    start, end = _child_text(pagination, "StartPage"), _child_text(pagination, "EndPage")
    if printed is None and start is None:
        return None
    pages = expand_page_range(printed or (f"{start}-{end}" if end else start or ""))
    if start is not None:
        pages = replace(pages, start=start, end=end or pages.end)
    return pages


# People ------------------------------------------------------------------------------------------------------


def _authors(author_list: _Element | None, notes: list[str], role: str = "author") -> tuple[Author, ...]:
    """Authors (or Investigators) in list order."""
    if author_list is None:
        return ()
    return tuple(_author(element, notes, role) for element in author_list if element.tag in ("Author", "Investigator"))


def _author(element: _Element, notes: list[str], role: str) -> Author:
    """One person or collective; a malformed ORCID is dropped with a note rather than losing the author."""
    author = Author(
        family_name=_child_text(element, "LastName"),
        given_name=_child_text(element, "ForeName"),
        initials=_child_text(element, "Initials"),
        suffix=_child_text(element, "Suffix"),
        collective_name=_child_text(element, "CollectiveName"),
        affiliations=tuple(_affiliation(info) for info in element.iterfind("AffiliationInfo[Affiliation]")),
        valid=element.get("ValidYN", "Y") == "Y",
        equal_contribution=element.get("EqualContrib") == "Y",
        role=role,
    )
    for identifier in element.iterfind("Identifier[@Source='ORCID']"):
        raw = squash(identifier.text)
        orcid = normalise_orcid(raw)
        if orcid is None:
            notes.append(f"malformed ORCID {raw!r} of author {author.display_name!r} dropped")
        elif author.orcid is None:
            author = replace(author, orcid=orcid)
    return author


def _affiliation(info: _Element) -> Affiliation:
    """An AffiliationInfo: the text, plus organisation ids (ROR, GRID, ISNI) with their Source as scheme."""
    identifiers = (ArticleId(i.get("Source") or "unknown", squash(i.text)) for i in info.iterfind("Identifier"))
    name = _child_text(info, "Affiliation") or ""
    return Affiliation(name=name, identifiers=tuple(i for i in identifiers if i.value))


def _complete(list_element: _Element | None) -> bool:
    """CompleteYN="N" says the list is partial; absent lists are not known to be partial."""
    return list_element is None or list_element.get("CompleteYN", "Y") != "N"


# Abstracts -----------------------------------------------------------------------------------------------------


def _abstract(element: _Element | None, kind: str | None = None, language: str | None = None) -> Abstract | None:
    """AbstractText paragraphs with labels and their markup, plus the copyright line; None when empty."""
    if element is None:
        return None
    sections = tuple(
        AbstractSection(text=text, label=p.get("Label"), nlm_category=p.get("NlmCategory"), html=_html_if_marked_up(p))
        for p in element.iterfind("AbstractText")
        if (text := _text(p))
    )
    copyright_text = _child_text(element, "CopyrightInformation")
    if not sections and copyright_text is None:
        return None
    return Abstract(sections=sections, language=language, kind=kind, copyright=copyright_text)


def _other_abstracts(elements: Iterable[_Element]) -> tuple[Abstract, ...]:
    """OtherAbstract: publisher, plain-language or translated abstracts, with Type and Language."""
    found = (_abstract(e, kind=e.get("Type"), language=e.get("Language")) for e in elements)
    return tuple(a for a in found if a is not None)


# Indexing ------------------------------------------------------------------------------------------------------


def _publication_types(elements: Iterable[_Element]) -> tuple[PublicationType, ...]:
    return tuple(PublicationType(name, e.get("UI")) for e in elements if (name := _text(e)))


def _keywords(keyword_lists: Iterable[_Element]) -> tuple[Keyword, ...]:
    """Keywords of every KeywordList, each with its list's Owner (NOTNLM for author keywords)."""
    return tuple(
        Keyword(text, owner=keyword_list.get("Owner"), major=keyword.get("MajorTopicYN") == "Y")
        for keyword_list in keyword_lists
        for keyword in keyword_list.iterfind("Keyword")
        if (text := _text(keyword))
    )


def _mesh_headings(elements: Iterable[_Element]) -> tuple[MeshHeading, ...]:
    """Descriptors with UIs, Type and major flags, each with its qualifiers."""
    headings = []
    for heading in elements:
        descriptor = heading.find("DescriptorName")
        if descriptor is None or not _text(descriptor):
            continue
        qualifiers = tuple(
            MeshQualifier(q.get("UI"), name, q.get("MajorTopicYN") == "Y")
            for q in heading.iterfind("QualifierName")
            if (name := _text(q))
        )
        headings.append(MeshHeading(
            descriptor_ui=descriptor.get("UI"),
            descriptor_name=_text(descriptor) or "",
            major=descriptor.get("MajorTopicYN") == "Y",
            qualifiers=qualifiers,
            type=descriptor.get("Type"),
        ))
    return tuple(headings)


def _chemicals(elements: Iterable[_Element]) -> tuple[Chemical, ...]:
    """Substances; RegistryNumber "0" means PubMed has none, which is not an identifier to publish."""
    chemicals = []
    for chemical in elements:
        substance = chemical.find("NameOfSubstance")
        name = _text(substance)
        if substance is None or name is None:
            continue
        number = _child_text(chemical, "RegistryNumber")
        chemicals.append(Chemical(name, substance.get("UI"), None if number == "0" else number))
    return tuple(chemicals)


def _supplementary_concepts(elements: Iterable[_Element]) -> tuple[SupplementaryConcept, ...]:
    return tuple(SupplementaryConcept(name, e.get("UI"), e.get("Type")) for e in elements if (name := _text(e)))


def _grants(grant_list: _Element | None) -> tuple[Grant, ...]:
    if grant_list is None:
        return ()
    return tuple(
        Grant(
            grant_id=_child_text(g, "GrantID"),
            agency=_child_text(g, "Agency"),
            acronym=_child_text(g, "Acronym"),
            country=_child_text(g, "Country"),
        )
        for g in grant_list.iterfind("Grant")
    )


def _comments_corrections(elements: Iterable[_Element]) -> tuple[CommentCorrection, ...]:
    """Links to errata, retractions, comments and updates, each with the linked record's PMID when given."""
    return tuple(
        CommentCorrection(
            ref_type=e.get("RefType") or "unknown",
            ref_source=_child_text(e, "RefSource"),
            pmid=_child_text(e, "PMID"),
            note=_child_text(e, "Note"),
        )
        for e in elements
    )


def _databanks(elements: Iterable[_Element]) -> tuple[DataBank, ...]:
    return tuple(
        DataBank(name, _texts(e.iterfind("AccessionNumberList/AccessionNumber")))
        for e in elements
        if (name := _child_text(e, "DataBankName"))
    )


# References ----------------------------------------------------------------------------------------------------


def _references(container: _Element | None) -> tuple[Reference, ...]:
    """Every Reference of every (possibly nested) ReferenceList, numbered 1..n across lists."""
    if container is None:
        return ()
    references: list[Reference] = []
    for reference_list in container.iterfind("ReferenceList"):
        _collect_references(reference_list, None, references)
    return tuple(references)


def _collect_references(reference_list: _Element, outer_title: str | None, references: list[Reference]) -> None:
    """Append a list's references in document order; a nested list's Title applies to its own references."""
    title = _child_text(reference_list, "Title") or outer_title
    for child in reference_list:
        if child.tag == "Reference":
            references.append(_reference(child, len(references) + 1, title))
        elif child.tag == "ReferenceList":
            _collect_references(child, title, references)


def _reference(element: _Element, position: int, title_of_list: str | None) -> Reference:
    """The citation text as given plus its identifiers; parsing the text is another module's business."""
    ids: dict[str | None, str | None] = {}
    for article_id in element.iterfind("ArticleIdList/ArticleId"):
        ids.setdefault(article_id.get("IdType"), squash(article_id.text) or None)
    return reference(position, _child_text(element, "Citation") or "", doi=ids.get("doi"), pmid=ids.get("pubmed"),
                     pmcid=ids.get("pmc"), title_of_list=title_of_list)


# Text ----------------------------------------------------------------------------------------------------------


def _text(element: _Element | None) -> str | None:
    """The element's text without markup, whitespace collapsed; None when there is none."""
    if element is None:
        return None
    if not len(element):  # no children: most elements, read without walking mixed content
        return squash(element.text) or None
    return squash("".join(_inline(element, as_html=False))) or None


def _html_if_marked_up(element: _Element | None) -> str | None:
    """Safe HTML (only i, b, u, sup, sub; text escaped) for text that has markup; plain text needs none."""
    if element is None or not any(isinstance(child.tag, str) for child in element):
        return None
    return squash("".join(_inline(element, as_html=True))) or None


def _inline(element: _Element, *, as_html: bool) -> Iterator[str]:
    """Walk mixed content. Entities left unexpanded are skipped, MathML becomes its text, other tags are dropped."""
    escape = _escape if as_html else _identity
    if element.text:
        yield escape(element.text)
    for child in element:
        if isinstance(child.tag, str):
            local = etree.QName(child).localname
            if child.tag.startswith(_MATHML_NS) or local == "math":
                yield escape("".join(squash(t) for t in _math_texts(child)))
            elif as_html and local in _SAFE_HTML_TAGS:
                yield f"<{local}>{''.join(_inline(child, as_html=True))}</{local}>"
            else:
                yield from _inline(child, as_html=as_html)
        if child.tail:
            yield escape(child.tail)


def _math_texts(element: _Element) -> Iterator[str]:
    """Text of MathML tokens (mi, mn, mo...), without the layout whitespace between them."""
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _math_texts(child)
        if child.tail:
            yield child.tail


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _identity(text: str) -> str:
    return text


def _child_text(parent: _Element | None, path: str) -> str | None:
    return _text(parent.find(path)) if parent is not None else None


def _texts(elements: Iterable[_Element]) -> tuple[str, ...]:
    return tuple(text for e in elements if (text := _text(e)))
