"""PubMed XML (efetch output, baseline and update files) streamed into Records and Deletions.

A baseline file holds 30,000 records, so the parser streams with ``lxml.etree.iterparse`` and drops each record's
elements once it is read. Entities are not expanded, no DTD is loaded and nothing is fetched from the network: an
input file cannot make the parser read local files or explode in memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from isal.igzip_lib import IsalError
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
from rdfgen.sources import markup
from rdfgen.sources.citation import UNPARSED_STATE, choose_pmid, finish_reference, reference
from rdfgen.sources.detect import opened_source
from rdfgen.sources.doi import checked_ids, choose_doi, normalise_doi
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
    done = [0]
    try:
        with opened_source(source, name) as (stream, label):
            yield from _iter_stream(stream, label, on_error, done)
    except SourceError as error:
        if not (isinstance(source, str | Path) and str(source) != "-" and error.reason.startswith("malformed XML")):
            raise
        # A record the parser cannot take (malformed, a text node over the limit, nesting too deep) ends the
        # streaming parse; the records after it, and those read ahead in the same chunk, are parsed one by one.
        yield from _recover(source, name or str(source), done[0], error, on_error)


def _iter_stream(
    stream: BinaryIO, label: str, on_error: Callable[[SourceError], None] | None, done: list[int] | None = None
) -> Iterator[Record | Deletion]:
    """The iterparse loop: one record element at a time, released as soon as it has been turned into a Record.
    ``done[0]`` counts the record elements handled, so a recovery knows where to start."""
    events = etree.iterparse(stream, events=("end",), tag=_RECORD_TAGS, **_SAFE_PARSER_OPTIONS)
    done = done if done is not None else [0]
    try:
        for _event, element in events:
            item = _read_element(element, label, on_error)
            done[0] += 1
            _release(element)
            if item is not None:
                yield item
        root = events.root
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise SourceError(f"malformed XML: {error.msg}", file=label, position=f"{line}, column {column}") from error
    except (OSError, EOFError, IsalError) as error:
        raise SourceError(f"unreadable input: {error}", file=label) from error
    if root is not None and etree.QName(root).localname not in _ROOT_TAGS:
        raise SourceError(f"root element is <{root.tag}>, not <PubmedArticleSet>", file=label)


_SPAN_START = re.compile(rb"<(PubmedArticle|PubmedBookArticle|DeleteCitation)[\s>]")
_SPAN_PMID = re.compile(rb"<PMID[^>]*>\s*(\d+)\s*</PMID>")


def _record_spans(stream: BinaryIO, chunk_size: int = 1 << 20) -> Iterator[tuple[int, bytes]]:
    """(line, bytes) of each record element of a PubMed XML stream, found by its tags, not by parsing: records do
    not nest, so a malformed one cannot hide the next. Memory is bounded by the largest record. An unterminated last
    record is yielded as it is (its parse then fails and is reported)."""
    buffer, line, ended = b"", 1, False
    while not ended:
        chunk = stream.read(chunk_size)
        ended = not chunk
        buffer += chunk
        position = 0
        while True:
            start = _SPAN_START.search(buffer, position)
            if start is None:
                keep = len(buffer) if ended else max(position, len(buffer) - 32)  # a tag may straddle chunks
                break
            close = b"</" + start.group(1) + b">"
            end = buffer.find(close, start.end())
            if end < 0 and not ended:
                keep = start.start()
                break
            stop = len(buffer) if end < 0 else end + len(close)
            line += buffer.count(b"\n", position, start.start())
            yield line, buffer[start.start():stop]
            line += buffer.count(b"\n", start.start(), stop)
            position = stop
        line += buffer.count(b"\n", position, keep)
        buffer = buffer[keep:]


def _recover(source: str | Path, label: str, skip: int, error: SourceError,
             on_error: Callable[[SourceError], None] | None) -> Iterator[Record | Deletion]:
    """Records after a fatal parse error, each parsed alone; each one that fails is reported with its PMID."""
    parser = etree.XMLParser(**_SAFE_PARSER_OPTIONS)
    failed = False
    with opened_source(source, label) as (stream, _label):
        for index, (line, data) in enumerate(_record_spans(stream)):
            if index < skip:
                continue
            try:
                element = etree.fromstring(data, parser)
            except etree.XMLSyntaxError as problem:
                found = _SPAN_PMID.search(data)
                failed = True
                report(SourceError(f"malformed XML: {problem.msg}", file=label,
                                   pmid=found.group(1).decode() if found else None,
                                   position=f"{line + problem.position[0] - 1}, column {problem.position[1]}"),
                       on_error)
                continue
            item = _read_element(element, label, on_error)
            if item is not None:
                yield item
    if not failed:
        report(error, on_error)


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
    top = _first_children(element)
    citation = _require(top, "MedlineCitation")
    # One walk over each big container's children replaces a dozen path lookups (find is ~1 us each).
    medline_groups = _group_children(citation)
    medline = {tag: elements[0] for tag, elements in medline_groups.items()}
    article = _require(medline, "Article")
    groups = _group_children(article)
    parts = {tag: elements[0] for tag, elements in groups.items()}
    data = top.get("PubmedData")
    notes: list[str] = []
    pmid, pmid_version = _pmid(medline.get("PMID"))
    title, title_html, vernacular = _titles(parts.get("ArticleTitle"), parts.get("VernacularTitle"), notes)
    ids = checked_ids(_ids(data, article, groups=groups), notes)
    journal = parts.get("Journal")
    journal_parts = _group_children(journal) if journal is not None else {}
    journal_issue = _first(journal_parts, "JournalIssue")
    author_list = parts.get("AuthorList")
    grant_list = parts.get("GrantList")
    pub_date = _read_date(_first_child(journal_issue, "PubDate"), "PubDate")
    electronic = next((d for d in groups.get("ArticleDate", ()) if d.get("DateType") == "Electronic"), None)
    electronic_date = _read_date(electronic, "ArticleDate")
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
        abstract=_abstract(parts.get("Abstract")),
        other_abstracts=_other_abstracts(medline_groups.get("OtherAbstract", ())),
        languages=_texts(groups.get("Language", ())),
        publication_types=_publication_types(groups.get("PublicationTypeList", ())),
        journal=_journal(journal, medline.get("MedlineJournalInfo"), journal_parts),
        volume=_child_text(journal_issue, "Volume"),
        issue=_child_text(journal_issue, "Issue"),
        cited_medium=journal_issue.get("CitedMedium") if journal_issue is not None else None,
        pages=_pages(parts.get("Pagination")),
        pub_date=pub_date,
        electronic_date=electronic_date,
        date_completed=_read_date(medline.get("DateCompleted"), "DateCompleted"),
        date_revised=_read_date(medline.get("DateRevised"), "DateRevised"),
        history=_history(data),
        publication_status=_child_text(data, "PublicationStatus"),
        status=citation.get("Status"),
        authors=_authors(author_list, notes),
        authors_complete=_complete(author_list),
        investigators=_authors(medline.get("InvestigatorList"), notes, role="investigator"),
        keywords=_keywords(medline_groups.get("KeywordList", ())),
        mesh_headings=_mesh_headings(medline_groups.get("MeshHeadingList", ())),
        chemicals=_chemicals(_tagged(medline_groups.get("ChemicalList", ()), "Chemical")),
        supplementary_concepts=_supplementary_concepts(
            _tagged(medline_groups.get("SupplMeshList", ()), "SupplMeshName")
        ),
        grants=_grants(grant_list),
        grants_complete=_complete(grant_list),
        comments_corrections=_comments_corrections(
            _tagged(medline_groups.get("CommentsCorrectionsList", ()), "CommentsCorrections")
        ),
        coi_statement=_text(medline.get("CoiStatement")),
        databanks=_databanks(_tagged(groups.get("DataBankList", ()), "DataBank")),
        references=_references(data),
        provenance=Provenance(source_format=SOURCE_FORMAT, source_file=label),
        notes=tuple(notes),
    )


def _book_record(element: _Element, label: str) -> Record:
    """A PubmedBookArticle: a whole book, or a chapter when the document has its own title or location label."""
    document = _require(_first_children(element), "BookDocument")
    book_element = _require(_first_children(document), "Book")
    data = element.find("PubmedBookData")
    notes: list[str] = []
    pmid, pmid_version = _pmid(document.find("PMID"))
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
    ids = checked_ids(_ids(data, document, book_element), notes)
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
        publication_types=_publication_types((document,)),
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
        keywords=_keywords(document.findall("KeywordList")),
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


def _require(children: dict[object, _Element], tag: str) -> _Element:
    """A child the record cannot be read without; its absence skips the record, naming the element."""
    child = children.get(tag)
    if child is None:
        raise FieldError(tag, f"no {tag} element")
    return child


def _pmid(element: _Element | None) -> tuple[str, str | None]:
    """The record's PMID and its Version; a record without one cannot be published, so it is an error."""
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


def _ids(
    data: _Element | None, *containers: _Element, groups: dict[object, list[_Element]] | None = None
) -> tuple[ArticleId, ...]:
    """All identifiers, ArticleIdList first (PubMed's curated list), then ELocationIDs, without repeats.

    ``groups``, the (single) container's children by tag the caller already has, spares the twin a walk. The lines
    below are the Python twin of ``rdfgen.sources._native.ids``, which reads them where it was built
    (tests/test_native_parse.py proves they agree)."""
    if _native_ids is not None:
        return _native_ids(data, containers, _ID_HOOKS)
    found: list[ArticleId] = []
    container_groups = [_group_children(c) for c in containers] if groups is None else [groups]
    id_lists = [_tagged((data,), "ArticleIdList")] if data is not None else []
    id_lists.extend(g.get("ArticleIdList", ()) for g in container_groups)
    for lists in id_lists:
        for element in _tagged(lists, "ArticleId"):
            found.append(ArticleId(element.get("IdType") or "unknown", squash(element.text)))
    for group in container_groups:
        for element in group.get("ELocationID", ()):
            if element.get("ValidYN", "Y") == "Y":
                found.append(ArticleId(element.get("EIdType") or "unknown", squash(element.text)))
    return tuple(dict.fromkeys(i for i in found if i.value))


# Dates ---------------------------------------------------------------------------------------------------------


def _date(element: _Element | None) -> PartialDate | None:
    """Year/Month/Day, Year/Season, or a MedlineDate's free text; raises ValueError on impossible parts."""
    if element is None:
        return None
    texts: dict[object, str] = {}  # what findtext gives: the first child's own text, "" when it has none
    for child in element:
        if child.tag not in texts:
            texts[child.tag] = child.text or ""
    medline_date = texts.get("MedlineDate")
    if medline_date:
        return parse_date_text(medline_date)
    year, season = texts.get("Year"), texts.get("Season")
    if season and year:
        return PartialDate(int(year), season=squash(season), raw=f"{squash(year)} {squash(season)}")
    return make_date(year, texts.get("Month"), texts.get("Day"))


def _read_date(element: _Element | None, field: str) -> PartialDate | None:
    """``_date`` with an impossible part reported as a FieldError naming ``field``, as ``reading`` does.

    Spelled out rather than ``with reading(...)``: a record has half a dozen dates and the context manager costs
    more than the date itself."""
    try:
        return _date(element)
    except ValueError as error:
        raise FieldError(field, f"{error}") from error


def _dated(container: _Element, tag: str) -> PartialDate | None:
    """A date child such as DateCompleted, errors naming that element."""
    return _read_date(_first_child(container, tag), tag)


def _history(data: _Element | None) -> tuple[HistoryDate, ...]:
    """PubMedPubDate entries (received, accepted, entrez...) in source order.

    The loop below is the Python twin of ``rdfgen.sources._native.history``, which reads them where it was built,
    making the dates given as plain numbers and handing every other to ``_read_date`` (tests/test_native_parse.py
    proves they agree)."""
    if data is None:
        return ()
    if _native_history is not None:
        return _native_history(data, _HISTORY_HOOKS)
    history = []
    for element in _grandchildren(data, "History", "PubMedPubDate"):
        date = _read_date(element, "PubMedPubDate")
        if date is not None:
            history.append(HistoryDate(element.get("PubStatus") or "unknown", date))
    return tuple(history)


# Journal, pages ------------------------------------------------------------------------------------------------


def _journal(
    journal: _Element | None, info: _Element | None, groups: dict[object, list[_Element]] | None = None
) -> Journal | None:
    """Journal names and ISSNs from Article/Journal plus MedlineJournalInfo (NLM's catalogue data).

    ``groups`` are the Journal's children by tag when the caller has already walked them."""
    if journal is None and info is None:
        return None
    if groups is None:
        groups = _group_children(journal) if journal is not None else {}
    issns: dict[str | None, str | None] = {}
    for issn in groups.get("ISSN", ()):
        issns.setdefault(issn.get("IssnType"), squash(issn.text) or None)
    names = {tag: elements[0] for tag, elements in groups.items()}
    catalogue = _first_children(info) if info is not None else {}
    return Journal(
        title=_text(names.get("Title")),
        iso_abbreviation=_text(names.get("ISOAbbreviation")),
        medline_ta=_text(catalogue.get("MedlineTA")),
        issn_print=issns.get("Print"),
        issn_electronic=issns.get("Electronic"),
        issn_linking=_text(catalogue.get("ISSNLinking")),
        nlm_id=_text(catalogue.get("NlmUniqueID")),
        country=_text(catalogue.get("Country")),
    )


def _pages(pagination: _Element | None) -> Pages | None:
    """MedlinePgn expanded; explicit StartPage/EndPage, when present, are what the publisher gave and win."""
    if pagination is None:
        return None
    parts = _first_children(pagination)
    printed = _text(parts.get("MedlinePgn"))
    start, end = _text(parts.get("StartPage")), _text(parts.get("EndPage"))
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
    if _native_authors is not None:  # the C twin (rdfgen.sources._native) of the line below and of _author
        return _native_authors(author_list, notes, role, _AUTHOR_HOOKS)
    return tuple(_author(element, notes, role) for element in author_list if element.tag in ("Author", "Investigator"))


def _author(element: _Element, notes: list[str], role: str) -> Author:
    """One person or collective; a malformed ORCID is dropped with a note rather than losing the author."""
    names: dict[object, _Element] = {}
    affiliations: list[Affiliation] = []
    orcid: str | None = None
    malformed: list[str] = []
    for child in element:  # one walk instead of seven path lookups
        tag = child.tag
        if tag == "AffiliationInfo":
            if (affiliation := _affiliation(child)) is not None:
                affiliations.append(affiliation)
        elif tag == "Identifier":
            if child.get("Source") == "ORCID":
                raw = squash(child.text)
                normalised = normalise_orcid(raw)
                if normalised is None:
                    malformed.append(raw)
                elif orcid is None:
                    orcid = normalised
        elif tag not in names:
            names[tag] = child
    author = Author(
        family_name=_text(names.get("LastName")),
        given_name=_text(names.get("ForeName")),
        initials=_text(names.get("Initials")),
        suffix=_text(names.get("Suffix")),
        collective_name=_text(names.get("CollectiveName")),
        affiliations=tuple(affiliations),
        orcid=orcid,
        valid=element.get("ValidYN", "Y") == "Y",
        equal_contribution=element.get("EqualContrib") == "Y",
        role=role,
    )
    for raw in malformed:
        notes.append(f"malformed ORCID {raw!r} of author {author.display_name!r} dropped")
    return author


def _affiliation(info: _Element) -> Affiliation | None:
    """An AffiliationInfo: the text, plus organisation ids (ROR, GRID, ISNI) with their Source as scheme.

    None when it has no Affiliation element at all (an empty one still counts, as the XML says it exists)."""
    affiliation = None
    identifiers: list[ArticleId] = []
    for child in info:
        tag = child.tag
        if tag == "Affiliation":
            if affiliation is None:
                affiliation = child
        elif tag == "Identifier" and (value := squash(child.text)):
            identifiers.append(ArticleId(child.get("Source") or "unknown", value))
    if affiliation is None:
        return None
    return Affiliation(name=_text(affiliation) or "", identifiers=tuple(identifiers))


def _complete(list_element: _Element | None) -> bool:
    """CompleteYN="N" says the list is partial; absent lists are not known to be partial."""
    return list_element is None or list_element.get("CompleteYN", "Y") != "N"


# Abstracts -----------------------------------------------------------------------------------------------------


def _abstract(element: _Element | None, kind: str | None = None, language: str | None = None) -> Abstract | None:
    """AbstractText paragraphs with labels and their markup, plus the copyright line; None when empty.

    The loop below is the Python twin of ``rdfgen.sources._native.abstract``, which reads them where it was built,
    handing a paragraph with markup back to ``_text_and_html`` and a copyright line with markup to ``_text``
    (tests/test_native_parse.py proves they agree)."""
    if element is None:
        return None
    if _native_abstract is not None:
        return _native_abstract(element, kind, language, _ABSTRACT_HOOKS)
    found: list[AbstractSection] = []
    copyright_element = None
    for p in element:  # one walk for the paragraphs and the copyright line
        tag = p.tag
        if tag == "AbstractText":
            text, marked_up = _text_and_html(p)
            if text:
                found.append(AbstractSection(text=text, label=p.get("Label"), nlm_category=p.get("NlmCategory"),
                                             html=marked_up))
        elif tag == "CopyrightInformation" and copyright_element is None:
            copyright_element = p
    sections = tuple(found)
    copyright_text = _text(copyright_element)
    if not sections and copyright_text is None:
        return None
    return Abstract(sections=sections, language=language, kind=kind, copyright=copyright_text)


def _other_abstracts(elements: Iterable[_Element]) -> tuple[Abstract, ...]:
    """OtherAbstract: publisher, plain-language or translated abstracts, with Type and Language."""
    found = (_abstract(e, kind=e.get("Type"), language=e.get("Language")) for e in elements)
    return tuple(a for a in found if a is not None)


# Indexing ------------------------------------------------------------------------------------------------------


def _publication_types(parents: list[_Element] | tuple[_Element, ...]) -> tuple[PublicationType, ...]:
    """The PublicationType children of the parents (an Article's PublicationTypeLists; a BookDocument) with text.

    The line below is the Python twin of ``rdfgen.sources._native.publication_types`` (tests/test_native_parse.py
    proves they agree), as ``_keywords``' is of ``keywords``."""
    if _native_publication_types is not None:
        return _native_publication_types(parents, _PUBLICATION_TYPE_HOOKS)
    return tuple(PublicationType(name, e.get("UI")) for e in _tagged(parents, "PublicationType") if (name := _text(e)))


def _keywords(keyword_lists: list[_Element] | tuple[_Element, ...]) -> tuple[Keyword, ...]:
    """Keywords of every KeywordList, each with its list's Owner (NOTNLM for author keywords)."""
    if _native_keywords is not None:
        return _native_keywords(keyword_lists, _KEYWORD_HOOKS)
    return tuple(
        Keyword(text, owner=keyword_list.get("Owner"), major=keyword.get("MajorTopicYN") == "Y")
        for keyword_list in keyword_lists
        for keyword in keyword_list
        if keyword.tag == "Keyword"
        if (text := _text(keyword))
    )


def _mesh_headings(heading_lists: list[_Element] | tuple[()]) -> tuple[MeshHeading, ...]:
    """Descriptors with UIs, Type and major flags, each with its qualifiers, from the MeshHeadingList elements.

    The loop below is the Python twin of ``rdfgen.sources._native.mesh_headings``, which reads them where it was
    built, handing a name with markup back to ``_text`` (tests/test_native_parse.py proves they agree)."""
    if not heading_lists:
        return ()
    if _native_mesh_headings is not None:
        return _native_mesh_headings(heading_lists, _MESH_HOOKS)
    headings = []
    for heading in _tagged(heading_lists, "MeshHeading"):
        descriptor = None
        qualifiers_found: list[MeshQualifier] = []
        for child in heading:  # one walk: the descriptor comes first, its qualifiers follow
            tag = child.tag
            if tag == "QualifierName":
                if name := _text(child):
                    qualifiers_found.append(MeshQualifier(child.get("UI"), name, child.get("MajorTopicYN") == "Y"))
            elif tag == "DescriptorName" and descriptor is None:
                descriptor = child
        descriptor_name = _text(descriptor)
        if not descriptor_name:
            continue
        qualifiers = tuple(qualifiers_found)
        headings.append(MeshHeading(
            descriptor_ui=descriptor.get("UI"),
            descriptor_name=descriptor_name,
            major=descriptor.get("MajorTopicYN") == "Y",
            qualifiers=qualifiers,
            type=descriptor.get("Type"),
        ))
    return tuple(headings)


def _chemicals(elements: Iterable[_Element]) -> tuple[Chemical, ...]:
    """Substances; RegistryNumber "0" means PubMed has none, which is not an identifier to publish."""
    chemicals = []
    for chemical in elements:
        parts = _first_children(chemical)
        substance = parts.get("NameOfSubstance")
        name = _text(substance)
        if substance is None or name is None:
            continue
        number = _text(parts.get("RegistryNumber"))
        chemicals.append(Chemical(name, substance.get("UI"), None if number == "0" else number))
    return tuple(chemicals)


def _supplementary_concepts(elements: Iterable[_Element]) -> tuple[SupplementaryConcept, ...]:
    return tuple(SupplementaryConcept(name, e.get("UI"), e.get("Type")) for e in elements if (name := _text(e)))


def _grants(grant_list: _Element | None) -> tuple[Grant, ...]:
    if grant_list is None:
        return ()
    return tuple(
        Grant(
            grant_id=_text(parts.get("GrantID")),
            agency=_text(parts.get("Agency")),
            acronym=_text(parts.get("Acronym")),
            country=_text(parts.get("Country")),
        )
        for g in grant_list
        if g.tag == "Grant"
        for parts in (_first_children(g),)
    )


def _comments_corrections(elements: Iterable[_Element]) -> tuple[CommentCorrection, ...]:
    """Links to errata, retractions, comments and updates, each with the linked record's PMID when given and the
    DOI its RefSource names ("Nature. 2020 Jan;577(7792):E1. doi: 10.1038/..."): an erratum PubMed has no record
    of is still found by it."""
    return tuple(
        CommentCorrection(
            ref_type=e.get("RefType") or "unknown",
            ref_source=(source := _text(parts.get("RefSource"))),
            pmid=_text(parts.get("PMID")),
            note=_text(parts.get("Note")),
            doi=normalise_doi(source),
        )
        for e in elements
        for parts in (_first_children(e),)
    )


def _databanks(elements: Iterable[_Element]) -> tuple[DataBank, ...]:
    return tuple(
        DataBank(name, _texts(_grandchildren(e, "AccessionNumberList", "AccessionNumber")))
        for e in elements
        if (name := _child_text(e, "DataBankName"))
    )


# References ----------------------------------------------------------------------------------------------------


def _references(container: _Element | None) -> tuple[Reference, ...]:
    """Every Reference of every (possibly nested) ReferenceList, numbered 1..n across lists."""
    if container is None:
        return ()
    references: list[Reference] = []
    for reference_list in _tagged((container,), "ReferenceList"):
        _collect_references(reference_list, None, references)
    return tuple(references)


def _collect_references(reference_list: _Element, outer_title: str | None, references: list[Reference]) -> None:
    """Append a list's references in document order; a nested list's Title applies to its own references.

    The loop below and ``_reference`` are the Python twin of ``rdfgen.sources._native.collect_references``, which
    reads them where it was built (14% of a conversion in Python; tests/test_native_references.py proves they agree)."""
    title = _child_text(reference_list, "Title") or outer_title
    if _native_collect is not None:
        _native_collect(reference_list, title, references, _REFERENCE_HOOKS)
        return
    for child in reference_list:
        if child.tag == "Reference":
            references.append(_reference(child, len(references) + 1, title))
        elif child.tag == "ReferenceList":
            _collect_references(child, title, references)


def _reference(element: _Element, position: int, title_of_list: str | None) -> Reference:
    """The citation text as given plus its identifiers; parsing and checking them is another module's business.
    Each IdType's first id is taken, but every DOI: a reference may give two, and the valid one must win."""
    ids: dict[str | None, str | None] = {}
    citation: _Element | None = None
    for child in element:  # a list holds ~30 references: one walk, no path lookups
        tag = child.tag
        if tag == "ArticleIdList":
            for article_id in child:
                if article_id.tag == "ArticleId":
                    id_type = article_id.get("IdType")
                    value = article_id.text
                    value = " ".join(value.split()) or None if value else None  # squash, inlined
                    if id_type not in ids:
                        ids[id_type] = value
                    elif id_type == "doi" and value:
                        ids["doi"] = f"{ids['doi']} {value}" if ids["doi"] else value  # reference() splits them
        elif tag == "Citation" and citation is None:
            citation = child
    if citation is not None and not len(citation):
        # Plain text goes as it is: reference() squashes it anyway, and skips that when it is already clean.
        text = citation.text or ""
    else:
        text = _text(citation) or ""
    return reference(position, text, doi=ids.get("doi"), pmid=ids.get("pubmed"), pmcid=ids.get("pmc"),
                     title_of_list=title_of_list)


try:
    from rdfgen.sources._native import abstract as _native_abstract
    from rdfgen.sources._native import authors as _native_authors
    from rdfgen.sources._native import collect_references as _native_collect
    from rdfgen.sources._native import history as _native_history
    from rdfgen.sources._native import ids as _native_ids
    from rdfgen.sources._native import keywords as _native_keywords
    from rdfgen.sources._native import mesh_headings as _native_mesh_headings
    from rdfgen.sources._native import publication_types as _native_publication_types
except ImportError:  # built without a C compiler: the Python twins serve, with the same result
    _native_collect = _native_authors = _native_mesh_headings = _native_history = _native_abstract = None
    _native_ids = _native_keywords = _native_publication_types = None
_REFERENCE_HOOKS = (_reference, _collect_references, finish_reference, choose_doi, choose_pmid, Reference,
                    UNPARSED_STATE)
"""What the C reader hands back to Python: a reference it leaves to the twin, a nested list, the Reference made
from chosen identifiers (without a PMID), DOIs and PMIDs that need notes; and what it makes a reference cited by
PMID from, as finish_reference would (Reference.unparsed): the class and its instance dict to fill."""


# Text ----------------------------------------------------------------------------------------------------------


def _text(element: _Element | None) -> str | None:
    """The element's text as readable plain text (rdfgen.sources.markup: "h^-1", "CO2"), whitespace collapsed;
    None when there is none."""
    if element is None:
        return None
    if not len(element):  # no children: most elements, read without walking mixed content (squash inlined)
        text = element.text
        return " ".join(text.split()) or None if text else None
    return squash(markup.plain(markup.runs(element))) or None


def _html_if_marked_up(element: _Element | None) -> str | None:
    """Safe HTML (only i, b, u, sup, sub; text escaped) for text that has markup; plain text needs none."""
    return _text_and_html(element)[1]


def _text_and_html(element: _Element | None) -> tuple[str | None, str | None]:
    """Plain text and, when the element has markup, safe HTML, from one reading of its mixed content."""
    if element is None or not any(isinstance(child.tag, str) for child in element):
        return _text(element), None
    found = markup.runs(element)
    return squash(markup.plain(found)) or None, squash(markup.html(found)) or None


def _child_text(parent: _Element | None, path: str) -> str | None:
    if parent is None:
        return None
    return _text(parent.find(path) if "/" in path else _first_child(parent, path))


def _first_child(parent: _Element | None, tag: str) -> _Element | None:
    """``parent.find(tag)`` for a plain tag, without ElementPath's parsing and caching (the slow part of find).

    A plain loop: ``iterchildren(tag)`` spends ~0.5 us setting up its tag matcher, more than a short walk costs."""
    if parent is not None:
        for child in parent:
            if child.tag == tag:
                return child
    return None


def _first_children(element: _Element) -> dict[object, _Element]:
    """Each tag's first child (what ``find(tag)`` returns), from one walk: cheaper than two or more finds."""
    children: dict[object, _Element] = {}
    for child in element:
        tag = child.tag
        if tag not in children:
            children[tag] = child
    return children


def _group_children(element: _Element) -> dict[object, list[_Element]]:
    """Children by tag in document order, from one walk: ``find(tag)`` is the first, ``iterfind(tag)`` the list."""
    groups: dict[object, list[_Element]] = {}
    for child in element:
        tag = child.tag
        if tag in groups:
            groups[tag].append(child)
        else:
            groups[tag] = [child]
    return groups


def _first(groups: dict[object, list[_Element]], tag: str) -> _Element | None:
    """The first child tagged ``tag`` from ``_group_children``'s result: what ``find(tag)`` gives."""
    found = groups.get(tag)
    return found[0] if found else None


def _tagged(parents: Iterable[_Element], tag: str) -> Iterator[_Element]:
    """The children tagged ``tag`` of each parent in turn, as ``iterchildren(tag)`` gives them, without its setup."""
    for parent in parents:
        for child in parent:
            if child.tag == tag:
                yield child


def _grandchildren(parent: _Element, tag: str, child_tag: str) -> Iterator[_Element]:
    """``parent.iterfind("tag/child_tag")``, in the same order, without ElementPath."""
    return _tagged(_tagged((parent,), tag), child_tag)


def _texts(elements: Iterable[_Element]) -> tuple[str, ...]:
    return tuple(text for e in elements if (text := _text(e)))


_AUTHOR_HOOKS = (_author, _text, normalise_orcid, Author, Affiliation, ArticleId)
"""What the C reader of author lists hands back to Python: an author with a malformed ORCID (its note names the
author), a name with markup, the ORCID check, and the model's classes it makes."""
_MESH_HOOKS = (_text, MeshHeading, MeshQualifier)
"""What the C reader of MeSH headings hands back to Python (a name with markup) and the model's classes it makes."""
_HISTORY_HOOKS = (_read_date, HistoryDate, PartialDate)
"""What the C reader of history dates hands back to Python (a date not given as plain numbers, or one PartialDate
refuses: _read_date raises its FieldError) and the model's classes it makes."""
_ABSTRACT_HOOKS = (_text_and_html, _text, Abstract, AbstractSection)
"""What the C reader of abstracts hands back to Python (a paragraph with markup; a copyright line with markup) and
the model's classes it makes."""
_ID_HOOKS = (ArticleId,)
"""The model's class the C reader of identifiers makes."""
_KEYWORD_HOOKS = (_text, Keyword)
"""What the C reader of keywords hands back to Python (a keyword with markup) and the model's class it makes."""
_PUBLICATION_TYPE_HOOKS = (_text, PublicationType)
"""What the C reader of publication types hands back to Python (a name with markup) and the model's class."""
