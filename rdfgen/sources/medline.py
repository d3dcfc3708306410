"""MEDLINE tagged text (PubMed's "MEDLINE" export, .nbib) streamed into Records.

Each line is a tag padded to four characters, "- " and a value; lines starting with six spaces continue the
previous value; a blank line ends a record. The format carries less than the XML (no MeSH UIs, no abstract labels,
no ISO journal abbreviation), and what it lacks stays empty rather than guessed: MeSH UIs come from the vocabulary
by name (rdfgen.mesh.enrich), so a heading maps to the same triples as its XML form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

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
    Grant,
    HistoryDate,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    PartialDate,
    Provenance,
    PublicationType,
    Record,
    SupplementaryConcept,
)
from rdfgen.sources.detect import opened_source
from rdfgen.sources.doi import checked_ids, normalise_doi
from rdfgen.sources.text import (
    NOT_IN_XML,
    FieldError,
    compact_date,
    expand_page_range,
    first_id,
    normalise_orcid,
    parse_date_text,
    reading,
    report,
    squash,
)

SOURCE_FORMAT = "medline"

_TAG_LINE = re.compile(r"(?P<tag>[A-Z][A-Z0-9]{0,3}) {0,3}- ?(?P<value>.*)")
_CONTINUATION = "      "
_COMMENT_TAGS = {
    "CIN": "CommentIn",
    "CON": "CommentOn",
    "EIN": "ErratumIn",
    "EFR": "ErratumFor",
    "RIN": "RetractionIn",
    "ROF": "RetractionOf",
    "UIN": "UpdateIn",
    "UOF": "UpdateOf",
    "CRI": "CorrectedandRepublishedIn",
    "CRF": "CorrectedandRepublishedFrom",
    "ECI": "ExpressionOfConcernIn",
    "ECF": "ExpressionOfConcernFor",
    "RPI": "RepublishedIn",
    "RPF": "RepublishedFrom",
    "SPIN": "SummaryForPatientsIn",
    "ORI": "OriginalReportIn",
}
_SUFFIXED = re.compile(r"(?P<value>.*?)\s*\[(?P<kind>[A-Za-z0-9-]+)\]\s*")
_ISSN = re.compile(r"(?P<issn>\S+)\s*\((?P<kind>Print|Electronic|Linking)\)")
_TRAILING_PMID = re.compile(r"\s*PMID:\s*(?P<pmid>\d+)\.?\s*$")
_REGISTRY = re.compile(r"(?P<number>.*?)\s*\((?P<name>.*)\)")
_ACRONYM = re.compile(r"[A-Z]{1,4}")
_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV", "V", "2nd", "3rd", "4th", "5th"})
_HISTORY_TAGS = {"CRDT": "entrez", "EDAT": "pubmed", "MHDA": "medline"}


@dataclass
class _Line:
    tag: str
    value: str
    line: int


@dataclass
class _Chunk:
    """The tagged lines of one record, with the first decoding problem if a line was not UTF-8."""

    lines: list[_Line] = field(default_factory=list)
    problem: SourceError | None = None


def iter_medline(
    source: str | Path | BinaryIO,
    *,
    name: str | None = None,
    on_error: Callable[[SourceError], None] | None = None,
) -> Iterator[Record]:
    """Records of a MEDLINE/.nbib file (plain or gzip, UTF-8 with or without BOM, LF or CRLF).

    A record with a broken field goes to ``on_error`` as a SourceError and is skipped; without ``on_error`` it is
    raised.
    """
    with opened_source(source, name) as (stream, label):
        for chunk in _chunks(stream, label):
            record = _record_or_report(chunk, label, on_error)
            if record is not None:
                yield record


def _chunks(stream: BinaryIO, label: str) -> Iterator[_Chunk]:
    """Group lines into records: a blank line or a new PMID tag ends one, continuations join their value."""
    chunk = _Chunk()
    try:
        for number, raw in enumerate(stream, start=1):
            text = _decode(raw, number, label, chunk)
            if number == 1:
                text = text.lstrip("\ufeff")
            text = text.rstrip("\r\n")
            if not text.strip():
                if chunk.lines or chunk.problem:
                    yield chunk
                    chunk = _Chunk()
                continue
            if text.startswith(_CONTINUATION) and chunk.lines:
                _continue(chunk.lines[-1], text)
                continue
            match = _TAG_LINE.fullmatch(text)
            if match is None:
                chunk.problem = chunk.problem or SourceError(
                    f"not a MEDLINE line: {text[:40]!r}", file=label, position=str(number)
                )
                continue
            if match["tag"] == "PMID" and chunk.lines:
                yield chunk
                chunk = _Chunk()
            chunk.lines.append(_Line(match["tag"], match["value"].strip(), number))
    except (OSError, EOFError) as error:
        raise SourceError(f"unreadable input: {error}", file=label) from error
    if chunk.lines or chunk.problem:
        yield chunk


def _decode(raw: bytes, number: int, label: str, chunk: _Chunk) -> str:
    """UTF-8, and a line that is not makes its record fail (not the whole file): one bad byte costs one record.

    Characters XML 1.0 cannot carry (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) are dropped: they are never
    text in PubMed (its XML cannot hold them), yet exports have them in titles, and published they make RDF/XML
    ill-formed and cut literals short in C-based tools (raptor ends a literal at U+0000)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        chunk.problem = chunk.problem or SourceError(f"not UTF-8: {error.reason}", file=label, position=str(number))
        text = raw.decode("utf-8", errors="replace")
    return NOT_IN_XML.sub("", text)


def _continue(line: _Line, text: str) -> None:
    """A continuation line: its words follow the previous value's after one space (the line broke at a space)."""
    addition = text.strip()
    line.value = f"{line.value} {addition}" if line.value else addition


def _record_or_report(chunk: _Chunk, label: str, on_error: Callable[[SourceError], None] | None) -> Record | None:
    """A Record, or None after reporting why the record cannot be read (raised when there is no ``on_error``)."""
    pmid = next((line.value for line in chunk.lines if line.tag == "PMID"), None)
    first_line = str(chunk.lines[0].line) if chunk.lines else None
    error = chunk.problem
    if error is not None:
        error = SourceError(error.reason, file=label, pmid=pmid, position=error.position)
    else:
        try:
            return _record(chunk.lines, label)
        except FieldError as problem:
            position = str(problem.line) if problem.line else first_line
            error = SourceError(problem.reason, file=label, pmid=pmid, field=problem.field, position=position)
    report(error, on_error)
    return None


def _reading(line: _Line) -> AbstractContextManager[None]:
    """Errors inside name the tag, its value and its line."""
    return reading(line.tag, f" in {line.tag} {line.value!r}", line.line)


# Records -------------------------------------------------------------------------------------------------------


def _record(lines: list[_Line], label: str) -> Record:
    """One record's tags in order; people are built in sequence since AD and AUID belong to the author before."""
    values: dict[str, list[str]] = {}
    for line in lines:
        values.setdefault(line.tag, []).append(line.value)
    first = {tag: found[0] for tag, found in values.items()}
    pmid = first.get("PMID", "")
    if not pmid.isdigit():
        raise FieldError("PMID", f"no valid PMID ({pmid!r})" if pmid else "no PMID", lines[0].line)
    notes: list[str] = []
    title = first.get("TI") or first.get("TT")
    if not title:
        raise FieldError("TI", "no title", lines[0].line)
    if "TI" not in first:
        notes.append("no English title; the vernacular title stands in")
    ids = checked_ids(tuple(dict.fromkeys((ArticleId("pubmed", pmid), *_ids(lines)))), notes)
    book_title = first.get("BTI")
    return Record(
        pmid=pmid,
        title=title,
        kind=("chapter" if "TI" in first else "book") if book_title else "article",
        vernacular_title=first.get("TT"),
        doi=first_id(ids, "doi"),
        pmcid=first_id(ids, "pmc"),
        pii=first_id(ids, "pii"),
        article_ids=ids,
        abstract=_abstract(first.get("AB"), first.get("CI")),
        languages=tuple(values.get("LA", ())),
        publication_types=tuple(PublicationType(name) for name in values.get("PT", ())),
        journal=None if book_title else _journal(first, values.get("IS", ())),
        volume=first.get("VI"),
        issue=first.get("IP"),
        pages=expand_page_range(first["PG"]) if first.get("PG") else None,
        pub_date=_date(lines, "DP", parse_date_text),
        electronic_date=_date(lines, "DEP", compact_date),
        date_completed=_date(lines, "DCOM", compact_date),
        date_revised=_date(lines, "LR", compact_date),
        history=_history(lines),
        publication_status=first.get("PST"),
        status=first.get("STAT"),
        authors=_people(lines, notes, _AUTHOR_TAGS),
        investigators=_people(lines, notes, _INVESTIGATOR_TAGS, role="investigator"),
        keywords=_keywords(lines),
        mesh_headings=_mesh_headings(values.get("MH", ())),
        chemicals=tuple(_chemical(value) for value in values.get("RN", ())),
        supplementary_concepts=tuple(SupplementaryConcept(value) for value in values.get("NM", ())),
        grants=tuple(_grant(value) for value in values.get("GR", ())),
        comments_corrections=_comments_corrections(lines),
        coi_statement=first.get("COIS"),
        databanks=_databanks(values.get("SI", ())),
        book=_book(first, values, lines, notes) if book_title else None,
        provenance=Provenance(source_format=SOURCE_FORMAT, source_file=label),
        notes=tuple(notes),
    )


def _book(first: dict[str, str], values: dict[str, list[str]], lines: list[_Line], notes: list[str]) -> Book:
    """A book or chapter record (BTI present): publisher, ISBNs, edition, series and editors."""
    return Book(
        title=first["BTI"],
        publisher=first.get("PB"),
        publisher_location=first.get("PL"),
        isbn=tuple(values.get("ISBN", ())),
        edition=first.get("EN"),
        collection_title=first.get("CTI"),
        volume=first.get("VI"),
        editors=_people(lines, notes, _EDITOR_TAGS, role="editor"),
        date=_date(lines, "DP", parse_date_text),
    )


def _journal(first: dict[str, str], issns: Iterable[str]) -> Journal:
    """Journal names and ISSNs; IS values say their kind in parentheses, "2333-7214 (Linking)"."""
    by_kind: dict[str, str] = {}
    for value in issns:
        match = _ISSN.fullmatch(value)
        if match:
            by_kind.setdefault(match["kind"], match["issn"])
    return Journal(
        title=first.get("JT"),
        medline_ta=first.get("TA"),
        issn_print=by_kind.get("Print"),
        issn_electronic=by_kind.get("Electronic"),
        issn_linking=by_kind.get("Linking"),
        nlm_id=first.get("JID"),
        country=first.get("PL"),
    )


def _abstract(text: str | None, copyright_text: str | None) -> Abstract | None:
    """MEDLINE flattens a structured abstract into one paragraph; it stays one, labels and all."""
    if not text and not copyright_text:
        return None
    sections = (AbstractSection(text=squash(text)),) if text else ()
    return Abstract(sections=sections, copyright=copyright_text)


def _ids(lines: list[_Line]) -> tuple[ArticleId, ...]:
    """AID (PubMed's id list) first, then LID, PMC and MID; "10.1/x [doi]" gives scheme "doi"."""
    found: list[ArticleId] = []
    for tag in ("AID", "LID"):
        for line in lines:
            if line.tag == tag and (match := _SUFFIXED.fullmatch(line.value)):
                found.append(ArticleId(match["kind"], match["value"]))
    found += [ArticleId("pmc", line.value) for line in lines if line.tag == "PMC"]
    found += [ArticleId("mid", line.value) for line in lines if line.tag == "MID"]
    return tuple(dict.fromkeys(i for i in found if i.value))


def _date(lines: list[_Line], tag: str, parse: Callable[[str], PartialDate]) -> PartialDate | None:
    """The first value of a date tag, parsed; an impossible date names tag and line."""
    line = next((line for line in lines if line.tag == tag and line.value), None)
    if line is None:
        return None
    with _reading(line):
        return parse(line.value)


def _history(lines: list[_Line]) -> tuple[HistoryDate, ...]:
    """PHST "2021/03/30 00:00 [epublish]" entries; EDAT/MHDA/CRDT only when PHST is absent (older exports)."""
    history = []
    for line in lines:
        if line.tag == "PHST" and (match := _SUFFIXED.fullmatch(line.value)):
            with _reading(line):
                history.append(HistoryDate(match["kind"], compact_date(match["value"])))
    if history:
        return tuple(history)
    for line in lines:
        if line.tag in _HISTORY_TAGS:
            with _reading(line):
                history.append(HistoryDate(_HISTORY_TAGS[line.tag], compact_date(line.value)))
    return tuple(history)


# People --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PersonTags:
    """Which tags name a person and which describe the person named last (authors, investigators, editors)."""

    full: str
    short: str
    collective: str | None = None
    affiliation: str | None = None
    orcid: str | None = None


_AUTHOR_TAGS = _PersonTags("FAU", "AU", collective="CN", affiliation="AD", orcid="AUID")
_INVESTIGATOR_TAGS = _PersonTags("FIR", "IR", affiliation="IRAD", orcid="IRID")
_EDITOR_TAGS = _PersonTags("FED", "ED")


def _people(lines: list[_Line], notes: list[str], tags: _PersonTags, role: str = "author") -> tuple[Author, ...]:
    """People in order: an FAU (with the AU after it) or CN starts one; AD and AUID describe the one before.

    Old exports put a lone AD before the authors; it is the first author's, as in the XML of that era.
    """
    people: list[Author] = []
    pending: list[Affiliation] = []
    awaiting_short = False
    for line in lines:
        if line.tag == tags.full:
            people.append(_named_person(line.value, role))
        elif line.tag == tags.short and awaiting_short:
            people[-1] = _with_initials(people[-1], line.value)
        elif line.tag == tags.short:
            people.append(_short_person(line.value, role))
        elif line.tag == tags.collective:
            people.append(Author(collective_name=line.value, role=role))
        elif line.tag == tags.affiliation and people:
            people[-1] = replace(people[-1], affiliations=people[-1].affiliations + (Affiliation(line.value),))
        elif line.tag == tags.affiliation:
            pending.append(Affiliation(line.value))
        elif line.tag == tags.orcid and people:
            people[-1] = _with_orcid(people[-1], line.value, notes)
        if line.tag in (tags.full, tags.short, tags.collective):
            awaiting_short = line.tag == tags.full
    if pending and people:
        people[0] = replace(people[0], affiliations=tuple(pending) + people[0].affiliations)
    return tuple(people)


def _named_person(value: str, role: str) -> Author:
    """FAU "Dong, XinQi" or "George, Alfred L Jr": family name, given names and a trailing generational suffix."""
    family, _, given = value.partition(",")
    given, _, suffix = given.replace(",", " ").strip().rpartition(" ")
    if suffix not in _SUFFIXES:
        given, suffix = f"{given} {suffix}".strip(), ""
    return Author(family_name=family.strip() or None, given_name=given or None, suffix=suffix or None, role=role)


def _short_person(value: str, role: str) -> Author:
    """AU "Dong X" alone (records before 2002 have no FAU): family name and initials."""
    family, _, initials = value.rpartition(" ")
    if not family:
        return Author(family_name=value, role=role)
    return Author(family_name=family, initials=initials, role=role)


def _with_initials(person: Author, short_name: str) -> Author:
    """Take the initials from AU when it repeats the FAU's family name ("Dong X" after "Dong, XinQi")."""
    family = person.family_name or ""
    rest = short_name[len(family):].split() if short_name.startswith(family) else []
    if rest and rest[-1] == person.suffix:
        rest = rest[:-1]
    return replace(person, initials=rest[0] if rest else None)


def _with_orcid(person: Author, value: str, notes: list[str]) -> Author:
    """AUID "ORCID: 0000-..." or "ORCID: https://orcid.org/..."; a malformed one is dropped with a note."""
    source, _, identifier = value.partition(":")
    if source.strip().upper() != "ORCID" or person.orcid is not None:
        return person
    orcid = normalise_orcid(identifier)
    if orcid is None:
        notes.append(f"malformed ORCID {identifier.strip()!r} of author {person.display_name!r} dropped")
        return person
    return replace(person, orcid=orcid)


# Indexing ------------------------------------------------------------------------------------------------------


def _keywords(lines: list[_Line]) -> tuple[Keyword, ...]:
    """OT keywords, each owned by the OTO line before it; "*" marks a major one."""
    keywords = []
    owner = None
    for line in lines:
        if line.tag == "OTO":
            owner = line.value
        elif line.tag == "OT" and line.value:
            major = line.value.startswith("*")
            keywords.append(Keyword(line.value.lstrip("*").strip(), owner=owner, major=major))
    return tuple(keywords)


def _mesh_headings(values: Iterable[str]) -> tuple[MeshHeading, ...]:
    """MH lines in order; one without a descriptor name ("*", "/methods") is no heading, as in the XML reader."""
    return tuple(heading for value in values if (heading := mesh_heading(value)) is not None)


def mesh_heading(value: str) -> MeshHeading | None:
    """MH "Neoplasms/diagnosis/*therapy": the descriptor, then its qualifiers, each with its own major flag.

    "*" marks the one term it stands before, as MajorTopicYN does on each DescriptorName and QualifierName of the
    XML: "*Neoplasms/therapy" makes the descriptor major, "Information Storage and Retrieval/*methods" only the
    qualifier (the heading is then a major topic through the descriptor-qualifier pair, not the descriptor alone).
    """
    (name, major), *qualifiers = (_starred(part) for part in value.split("/"))
    if not name:
        return None
    return MeshHeading(
        descriptor_ui=None,
        descriptor_name=name,
        major=major,
        qualifiers=tuple(MeshQualifier(None, q_name, q_major) for q_name, q_major in qualifiers if q_name),
    )


def _starred(part: str) -> tuple[str, bool]:
    """A heading part's name and its major flag: "*" before the name (MEDLINE) or after it (PubMed's web page); no
    MeSH name has a "*" or "/" of its own. Runs of spaces count as one, as in the XML reader."""
    text = part.strip()
    return " ".join(text.strip("*").split()), text.startswith("*") or text.endswith("*")


def _chemical(value: str) -> Chemical:
    """RN "9007-49-2 (DNA)" or "0 (Antineoplastic Agents)"; "0" is PubMed's "no registry number"."""
    match = _REGISTRY.fullmatch(value)
    if match is None:
        return Chemical(value)
    number = match["number"].strip()
    return Chemical(match["name"].strip(), registry_number=None if number in ("", "0") else number)


def _grant(value: str) -> Grant:
    """GR "R01 AG042318/AG/NIA NIH HHS/United States", "12/34/Wellcome Trust/United Kingdom" or "Intramural NIH
    HHS/United States": country and agency are the last two parts, read from the right.

    Grant ids may contain "/" themselves; a third-from-last part counts as the acronym only when it looks like one
    (NIH institute codes such as "AG", "CA").
    """
    parts = [p.strip() for p in value.split("/")]
    if len(parts) == 1:
        return Grant(grant_id=value.strip() or None)
    *head, agency, country = parts
    acronym = head.pop() if len(head) >= 2 and _ACRONYM.fullmatch(head[-1]) else None
    return Grant(grant_id="/".join(head) or None, agency=agency or None, acronym=acronym, country=country or None)


def _comments_corrections(lines: list[_Line]) -> tuple[CommentCorrection, ...]:
    """CIN, EIN, RIN... "Source citation. PMID: 123": RefType from the tag, PMID split off the end."""
    links = []
    for line in lines:
        ref_type = _COMMENT_TAGS.get(line.tag)
        if ref_type is None:
            continue
        match = _TRAILING_PMID.search(line.value)
        source = line.value[: match.start()].strip() if match else line.value
        links.append(CommentCorrection(ref_type, ref_source=source or None, pmid=match["pmid"] if match else None,
                                       doi=normalise_doi(source)))
    return tuple(links)


def _databanks(values: Iterable[str]) -> tuple[DataBank, ...]:
    """SI "GENBANK/M10670": accession numbers grouped by databank, in order of first appearance."""
    banks: dict[str, list[str]] = {}
    for value in values:
        name, _, accession = value.partition("/")
        banks.setdefault(name.strip(), [])
        if accession.strip():
            banks[name.strip()].append(accession.strip())
    return tuple(DataBank(name, tuple(accessions)) for name, accessions in banks.items())
