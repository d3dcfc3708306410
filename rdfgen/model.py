"""Plain bibliographic records: what every source fills and the mapping reads.

No RDF here. Sources (a PubMed page, PubMed XML, MEDLINE text, E-utilities) parse into these frozen dataclasses, so
the mapping has one input shape whatever the format. Fields a source cannot know stay ``None`` or empty; nothing is
invented to fill them.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeVar

_T = TypeVar("_T")


class DatePrecision(StrEnum):
    """How much of a date the source gave; published as xsd:gYear, xsd:gYearMonth or xsd:date."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


def frozen(cls: type[_T]) -> type[_T]:
    """``@dataclass(frozen=True)`` with an ``__init__`` that fills the instance dict directly.

    Why: a frozen dataclass's own ``__init__`` sets each field through ``object.__setattr__`` (frozen classes forbid
    plain assignment), three times the cost of a plain one, and a record makes a few hundred of these objects (2.5%
    of converting it). The instances are the same: the same fields in the instance dict, ``__post_init__`` called,
    still frozen to callers (tests/test_model_init.py compares both ``__init__``s on every class)."""
    cls = dataclass(frozen=True)(cls)
    cls.__init__ = _dict_init(cls)  # type: ignore[misc]
    return cls


def _dict_init(cls: type) -> Callable[..., None]:
    """The generated ``__init__``: the dataclass's signature (field order, defaults), one dict store a field."""
    env: dict[str, Any] = {}
    params, body = [], []
    for f in fields(cls):
        if not f.init or f.default_factory is not MISSING or f.name in ("self", "_state"):
            raise TypeError(f"{cls.__name__}.{f.name}: not a field frozen() can set")
        if f.default is MISSING:
            params.append(f.name)
        else:
            env[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        body.append(f"    _state[{f.name!r}] = {f.name}\n")
    post = "    self.__post_init__()\n" if hasattr(cls, "__post_init__") else ""
    source = f"def __init__(self, {', '.join(params)}):\n    _state = self.__dict__\n{''.join(body)}{post}"
    exec(source, env)  # noqa: S102  (our own generated code, from the class's own field names)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__, init.__annotations__ = cls.__init__.__doc__, dict(cls.__init__.__annotations__)
    return init


def _days_in_month(year: int, month: int) -> int:
    """Days in a month; ``calendar.monthrange`` also computes a weekday, and a record has a dozen dates."""
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


@frozen
class PartialDate:
    """A date known to year, month or day, plus the source's own text when it is not a plain date.

    ``raw`` keeps forms such as MedlineDate "1998 Dec-1999 Jan" or a season ("Spring"); ``year`` is then the first
    year in it, so the date still sorts and filters.
    """

    year: int
    month: int | None = None
    day: int | None = None
    season: str | None = None
    raw: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            if self.month is None:
                raise ValueError("a day without a month")
            if not 1 <= self.day <= 28 and not 1 <= self.day <= _days_in_month(self.year, self.month):
                raise ValueError(f"day out of range: {self.year}-{self.month}-{self.day}")

    @property
    def precision(self) -> DatePrecision:
        if self.day is not None:
            return DatePrecision.DAY
        if self.month is not None:
            return DatePrecision.MONTH
        return DatePrecision.YEAR

    def iso(self) -> str:
        """ISO 8601 text at the date's own precision: ``2021``, ``2021-09`` or ``2021-03-30``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


@frozen
class HistoryDate:
    """One PubMedPubDate of the record's history (received, accepted, pubmed, medline, entrez...)."""

    status: str
    date: PartialDate


@frozen
class Pages:
    """Pagination as printed, plus start and end with abbreviated ranges expanded ("813-29" ends at 829).

    ``extra`` keeps what follows the range, such as "viii" in "111-34, viii".
    """

    raw: str
    start: str | None = None
    end: str | None = None
    extra: str | None = None


@frozen
class ArticleId:
    """An identifier of the article in some scheme (PubMed ArticleIdList IdType, or ELocationID EIdType)."""

    scheme: str
    value: str


@frozen
class Journal:
    """The periodical. ISSNs by type as PubMed gives them; ``nlm_id`` is the NLM Catalog unique ID."""

    title: str | None = None
    iso_abbreviation: str | None = None
    medline_ta: str | None = None
    issn_print: str | None = None
    issn_electronic: str | None = None
    issn_linking: str | None = None
    nlm_id: str | None = None
    country: str | None = None

    @property
    def display_name(self) -> str | None:
        return self.title or self.iso_abbreviation or self.medline_ta


@frozen
class AbstractSection:
    """A paragraph of an abstract; structured abstracts label each (Label and NlmCategory in PubMed XML)."""

    text: str
    label: str | None = None
    nlm_category: str | None = None
    html: str | None = None


@frozen
class Abstract:
    """An abstract in one language; ``kind`` tells an OtherAbstract's Type (e.g. "Publisher", "plain-language")."""

    sections: tuple[AbstractSection, ...]
    language: str | None = None
    kind: str | None = None
    copyright: str | None = None

    @property
    def text(self) -> str:
        """The whole abstract as one text, section labels kept as "LABEL: text" paragraphs."""
        return "\n\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in self.sections)


@frozen
class Affiliation:
    """An affiliation string, with organisation identifiers (ROR, GRID, ISNI) when the source gives them."""

    name: str
    identifiers: tuple[ArticleId, ...] = ()


@frozen
class Author:
    """A person or a collective (group) author, in list order.

    ``orcid`` is normalised to the bare form ``0000-0002-1825-0097``; ``role`` is "author" or "editor".
    """

    family_name: str | None = None
    given_name: str | None = None
    initials: str | None = None
    suffix: str | None = None
    collective_name: str | None = None
    orcid: str | None = None
    affiliations: tuple[Affiliation, ...] = ()
    valid: bool = True
    equal_contribution: bool = False
    role: str = "author"

    @property
    def is_collective(self) -> bool:
        return self.collective_name is not None

    @property
    def display_name(self) -> str:
        """The name as a reader writes it: "Ali Pirasteh", "Modlin IM" when only initials are known."""
        if self.collective_name:
            return self.collective_name
        if self.given_name and self.family_name:
            name = f"{self.given_name} {self.family_name}"
        elif self.family_name and self.initials:
            name = f"{self.family_name} {self.initials}"
        else:
            name = self.family_name or self.given_name or self.initials or ""
        return f"{name} {self.suffix}" if self.suffix else name


@frozen
class Keyword:
    """An author (or NLM) keyword; ``owner`` is PubMed's KeywordList Owner (NOTNLM, NLM, PIP...)."""

    text: str
    owner: str | None = None
    major: bool = False


@frozen
class MeshQualifier:
    ui: str | None
    name: str
    major: bool = False


@frozen
class MeshHeading:
    """An NLM-indexed MeSH heading: a descriptor with its qualifiers and major-topic flags."""

    descriptor_ui: str | None
    descriptor_name: str
    major: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()
    type: str | None = None

    @property
    def is_major(self) -> bool:
        """Major topic if the descriptor or any of its qualifiers is starred."""
        return self.major or any(q.major for q in self.qualifiers)


@frozen
class Chemical:
    name: str
    ui: str | None = None
    registry_number: str | None = None


@frozen
class SupplementaryConcept:
    """A SupplMeshName: a supplementary concept record (SCR), e.g. a protocol, disease or organism."""

    name: str
    ui: str | None = None
    type: str | None = None


@frozen
class PublicationType:
    name: str
    ui: str | None = None


@frozen
class Grant:
    grant_id: str | None = None
    agency: str | None = None
    acronym: str | None = None
    country: str | None = None


@frozen
class CommentCorrection:
    """A CommentsCorrections link: ``ref_type`` is PubMed's RefType (ErratumIn, RetractionIn, CommentOn...);
    ``doi`` is the one ``ref_source`` names, if any (all an erratum without a PubMed record may be found by)."""

    ref_type: str
    ref_source: str | None = None
    pmid: str | None = None
    note: str | None = None
    doi: str | None = None


@frozen
class DataBank:
    name: str
    accessions: tuple[str, ...] = ()


@frozen
class Reference:
    """The n-th entry of a reference list: the raw citation text always, plus whatever could be parsed out of it.

    ``authors`` are as printed ("Modlin IM"); ``authors_truncated`` records an "et al." so the list is never read
    as complete. ``notes`` say how the source's reference was read where that lost something (an identifier that
    was malformed and is not used, quoted as given).
    """

    position: int
    citation: str
    authors: tuple[str, ...] = ()
    authors_truncated: bool = False
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: Pages | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    title_of_list: str | None = None
    notes: tuple[str, ...] = ()

    @classmethod
    def unparsed(cls, position: int, citation: str, parse: Callable[[str], tuple[Any, ...]], **identifiers: Any,
                 ) -> Reference:
        """A reference whose parts (authors ... pages, ``BIBLIOGRAPHIC``) are parsed out of ``citation`` by
        ``parse`` when first read, then kept.

        Why: a reference cited by PMID is published as that PubMed record, not as what its text says, and parsing
        ~30 citations an article is a sixth of converting a baseline file; readers that want the parts still get
        them, the same as if they had been parsed at once. Every other field is given here."""
        ref = object.__new__(cls)
        # The instance's dict filled at once (what frozen __setattr__ calls would do one field at a time).
        ref.__dict__.update(_IDENTIFIER_DEFAULTS, position=position, citation=citation, _parse=parse)
        ref.__dict__.update(identifiers)
        return ref

    @classmethod
    def unparsed_state(cls, parse: Callable[[str], tuple[Any, ...]]) -> dict[str, Any]:
        """The instance dict ``unparsed`` gives, its values but ``parse`` to be set: what a C reader
        (rdfgen.sources._native) copies and fills to make an unparsed reference without a Python call."""
        return {**_IDENTIFIER_DEFAULTS, "position": None, "citation": None, "_parse": parse}

    def __getattr__(self, name: str) -> Any:
        """Only called for a part an ``unparsed`` reference has not parsed yet (set attributes never come here)."""
        state = self.__dict__
        if name not in BIBLIOGRAPHIC or "_parse" not in state:
            raise AttributeError(name)
        for part, value in zip(BIBLIOGRAPHIC, state.pop("_parse")(state["citation"]), strict=True):
            object.__setattr__(self, part, value)
        return state[name]


BIBLIOGRAPHIC = ("authors", "authors_truncated", "title", "journal", "year", "volume", "issue", "pages")
"""The parts of a Reference read out of its citation text, in order."""
_IDENTIFIER_DEFAULTS = {"doi": None, "pmid": None, "pmcid": None, "title_of_list": None, "notes": ()}
for _part in BIBLIOGRAPHIC:  # defaults live in __init__; without class attributes, an unset part reaches __getattr__
    delattr(Reference, _part)


@frozen
class Book:
    """What a PubmedBookArticle adds: the book a chapter belongs to, or the book itself.

    ``sections`` are the BookDocument's section titles in order ("Summary", "Diagnosis"...).
    """

    title: str
    publisher: str | None = None
    publisher_location: str | None = None
    isbn: tuple[str, ...] = ()
    edition: str | None = None
    collection_title: str | None = None
    volume: str | None = None
    editors: tuple[Author, ...] = ()
    date: PartialDate | None = None
    sections: tuple[str, ...] = ()


@frozen
class Provenance:
    """Where the record came from: the input format and file, and the source's own record position."""

    source_format: str
    source_file: str | None = None
    source_iri: str | None = None


@frozen
class Record:
    """One PubMed record: an article, a book or a book chapter.

    ``kind`` is "article", "book" or "chapter". ``authors_complete`` is False when the source lists only some
    authors (a page's "Ali Pirasteh et al.", AuthorList CompleteYN="N").
    """

    pmid: str
    title: str
    kind: str = "article"
    pmid_version: str | None = None
    title_html: str | None = None
    vernacular_title: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    pii: str | None = None
    article_ids: tuple[ArticleId, ...] = ()
    abstract: Abstract | None = None
    other_abstracts: tuple[Abstract, ...] = ()
    languages: tuple[str, ...] = ()
    publication_types: tuple[PublicationType, ...] = ()
    journal: Journal | None = None
    volume: str | None = None
    issue: str | None = None
    cited_medium: str | None = None
    pages: Pages | None = None
    pub_date: PartialDate | None = None
    electronic_date: PartialDate | None = None
    date_completed: PartialDate | None = None
    date_revised: PartialDate | None = None
    history: tuple[HistoryDate, ...] = ()
    publication_status: str | None = None
    status: str | None = None
    authors: tuple[Author, ...] = ()
    authors_complete: bool = True
    investigators: tuple[Author, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    mesh_headings: tuple[MeshHeading, ...] = ()
    chemicals: tuple[Chemical, ...] = ()
    supplementary_concepts: tuple[SupplementaryConcept, ...] = ()
    grants: tuple[Grant, ...] = ()
    grants_complete: bool = True
    comments_corrections: tuple[CommentCorrection, ...] = ()
    coi_statement: str | None = None
    databanks: tuple[DataBank, ...] = ()
    references: tuple[Reference, ...] = ()
    book: Book | None = None
    provenance: Provenance | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def is_retracted(self) -> bool:
        """PubMed marks a retracted article with a RetractionIn link (and the "Retracted Publication" type)."""
        return any(c.ref_type == "RetractionIn" for c in self.comments_corrections) or any(
            p.name == "Retracted Publication" for p in self.publication_types
        )


@frozen
class Deletion:
    """An update file's DeleteCitation: these PMIDs are withdrawn from PubMed and must leave the dataset."""

    pmids: tuple[str, ...]
