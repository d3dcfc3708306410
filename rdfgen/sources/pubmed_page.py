"""Source: a PubMed abstract page saved as text (the browser's "Save as text" of pubmed.ncbi.nlm.nih.gov/{pmid}/).

The page is laid out for people, so this parser reads it by landmarks: the citation line (". 2021 Sep;22(3):539-552."),
the DOI/Epub line, the title printed twice around "Affiliations", the short author line ("Ali Pirasteh et al.
Journal. 2021 Sep."), and the headed sections (Abstract, Keywords, References, MeSH terms...). What the page does not
print (the full author list, ISSNs) stays unknown; nothing is invented.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from rdfgen.errors import SourceError
from rdfgen.model import (
    Abstract,
    AbstractSection,
    Author,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    PartialDate,
    Provenance,
    PublicationType,
    Record,
    Reference,
)
from rdfgen.sources.citation import parse_pages, reference
from rdfgen.sources.doi import normalise_doi
from rdfgen.sources.text import NOT_IN_XML

FORMAT = "pubmed-page"
MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                      "Dec"), start=1)}
_DATE = r"(?P<year>\d{4})(?:\s+(?P<month>[A-Z][a-z]{2})(?:\s+(?P<day>\d{1,2}))?)?"
_CITE_LINE_RE = re.compile(
    r"^(?P<journal>[^.]*?)\.?\s*" + _DATE + r"(?P<season>\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)?"
    r"(?:;(?P<volume>[^(:]*)(?:\((?P<issue>[^)]*)\))?(?::(?P<pages>.+?))?)?\.$"
)
_DOI_LINE_RE = re.compile(r"^doi:\s*(?P<doi>10\.\S+?)\.?(?:\s+Epub\s+(?P<epub>[^.]+)\.)?\s*$", re.IGNORECASE)
_EPUB_RE = re.compile(r"\bEpub\s+(?P<epub>\d{4}(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?)")
_PMID_RE = re.compile(r"^\s*PMID:\s*(?P<pmid>\d+)\b", re.MULTILINE)
_PMCID_RE = re.compile(r"^\s*PMCID:\s*(?P<pmcid>PMC\d+)\b", re.MULTILINE)
_FILE_PMID_RE = re.compile(r"(?:^|[^\d])(?P<pmid>\d{1,9})(?:[^\d]|$)")
_AUTHOR_LINE_RE = re.compile(r"^(?P<authors>.+?)(?P<etal>\s+et al)?\.\s+(?P<journal>[^.]+)\.\s+(?P<date>\d{4}[^.]*)\.$")
_REF_RE = re.compile(r"^\s*\d+\.\s+(?P<text>.+)$")
_SECTIONS = ("Abstract", "Keywords", "PubMed Disclaimer", "Similar articles", "Cited by", "References",
             "Publication types", "MeSH terms", "Substances", "Grants and funding", "LinkOut - more resources",
             "Related information", "Comment in", "Comment on", "Conflict of interest statement", "Figures",
             "Supplementary info", "Full text links", "Actions", "Cite", "Share", "Associated data")
_SECTION_SET = frozenset(_SECTIONS)
_ABSTRACT_LABEL_RE = re.compile(r"^(?P<label>[A-Z][A-Za-z ,/&-]{1,40}):\s+(?P<text>.+)$")


def pmid_from_filename(path: str | Path) -> str | None:
    """Take the PMID from a name like ``pubmed-33783695.txt``: the only run of 1-9 digits in the stem."""
    runs = re.findall(r"\d+", Path(path).stem)
    return runs[0] if len(runs) == 1 and len(runs[0]) <= 9 else None


def _date(year: str, month: str | None, day: str | None) -> PartialDate:
    return PartialDate(int(year), MONTHS.get(month) if month else None, int(day) if day else None)


def _parse_date_text(text: str) -> PartialDate | None:
    m = re.match(_DATE, text.strip())
    return _date(m["year"], m["month"], m["day"]) if m else None


class _Page:
    """The page's lines with the helpers to find landmarks in them."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]

    def error(self, reason: str, field: str, pmid: str | None = None) -> SourceError:
        return SourceError(reason, file=self.name, pmid=pmid, field=field)

    def index(self, value: str, start: int = 0) -> int | None:
        for i in range(start, len(self.lines)):
            if self.lines[i] == value:
                return i
        return None

    def next_nonempty(self, start: int) -> int | None:
        for i in range(start, len(self.lines)):
            if self.lines[i]:
                return i
        return None

    def section(self, heading: str) -> list[str]:
        """Non-empty lines after a heading up to the next known heading."""
        start = self.index(heading)
        if start is None:
            return []
        out = []
        for line in self.lines[start + 1:]:
            if line in _SECTION_SET:
                break
            if line:
                out.append(line)
        return out


def parse_page(text: str, *, name: str = "<page>", pmid: str | None = None) -> Record:
    """Parse one saved PubMed page. ``pmid`` is used when the page prints none; the page's own wins. Characters
    XML cannot carry (control characters a copy and paste brings along) are dropped first."""
    text = NOT_IN_XML.sub("", text)
    page = _Page(text, name)
    found = _PMID_RE.search(text)
    pmid = found["pmid"] if found else pmid
    if not pmid:
        raise page.error("no PMID: the page prints none; pass --pmid or name the file like pubmed-12345.txt", "PMID")
    cite_i = next((i for i, line in enumerate(page.lines) if _CITE_LINE_RE.match(line) and ";" in line), None)
    if cite_i is None:
        raise page.error("not a PubMed abstract page: no citation line such as '. 2021 Sep;22(3):539-552.'",
                         "citation", pmid)
    cite = _CITE_LINE_RE.match(page.lines[cite_i])
    assert cite is not None
    doi, epub, after_doi = _doi_and_epub(page, cite_i)
    title_i = page.next_nonempty(after_doi)
    title = page.lines[title_i] if title_i is not None else ""
    if not title or title in _SECTION_SET or title == "Affiliations":
        raise page.error("no title after the citation and DOI lines", "title", pmid)
    authors, complete, journal_abbr = _author_line(page, title_i or 0, title)
    journal_name = cite["journal"].strip() or journal_abbr
    pages = parse_pages(cite["pages"]) if cite["pages"] else None
    pub_date = _date(cite["year"], cite["month"], cite["day"])
    if cite["season"]:
        pub_date = PartialDate(pub_date.year, season=cite["season"].strip(),
                               raw=f"{cite['year']} {cite['season'].strip()}")
    pmcid = _PMCID_RE.search(text)
    return Record(
        pmid=pmid,
        title=title,
        doi=normalise_doi(doi),
        pmcid=pmcid["pmcid"] if pmcid else None,
        abstract=_abstract(page),
        publication_types=_publication_types(page, cite_i),
        journal=Journal(iso_abbreviation=journal_name) if journal_name else None,
        volume=(cite["volume"] or "").strip() or None,
        issue=(cite["issue"] or "").strip() or None,
        pages=pages,
        pub_date=pub_date,
        electronic_date=epub,
        authors=authors,
        authors_complete=complete,
        keywords=_keywords(page),
        mesh_headings=_mesh(page),
        references=_references(page),
        provenance=Provenance(source_format=FORMAT, source_file=name),
    )


def _doi_and_epub(page: _Page, cite_i: int) -> tuple[str | None, PartialDate | None, int]:
    """The line after the citation carries "doi: ... Epub 2021 Mar 30." (either part may be missing)."""
    i = page.next_nonempty(cite_i + 1)
    if i is None:
        return None, None, cite_i + 1
    line = page.lines[i]
    m = _DOI_LINE_RE.match(line)
    epub_m = _EPUB_RE.search(line)
    epub = _parse_date_text(epub_m["epub"]) if epub_m else None
    if m:
        return m["doi"].rstrip("."), epub, i + 1
    if epub_m:
        return None, epub, i + 1
    return None, None, cite_i + 1


def _author_line(page: _Page, title_i: int, title: str) -> tuple[tuple[Author, ...], bool, str | None]:
    """The line after the title's second printing: "Ali Pirasteh et al. Rev Endocr Metab Disord. 2021 Sep."."""
    second = page.index(title, title_i + 1)
    if second is None:
        return (), False, None
    i = page.next_nonempty(second + 1)
    m = _AUTHOR_LINE_RE.match(page.lines[i]) if i is not None else None
    if not m:
        return (), False, None
    authors = tuple(_person(n.strip()) for n in m["authors"].split(",") if n.strip())
    return authors, not m["etal"], m["journal"].strip()


def _person(name: str) -> Author:
    """A name as the page prints it ("Ali Pirasteh"): the last word is the family name, the rest given names."""
    given, _, family = name.rpartition(" ")
    if not given:
        return Author(family_name=family)
    initials = "".join(part[0] for part in re.split(r"[\s-]+", given) if part)
    return Author(family_name=family, given_name=given, initials=initials)


def _publication_types(page: _Page, cite_i: int) -> tuple[PublicationType, ...]:
    """Printed above the citation line ("Review"), and in full under "Publication types" when the page has it."""
    listed = page.section("Publication types")
    names = [n.rstrip(".") for n in listed]
    above = page.lines[cite_i - 1] if cite_i > 0 else ""
    if above and above not in names and above not in _SECTION_SET and len(above) < 60:
        names.insert(0, above)
    return tuple(PublicationType(name=n) for n in dict.fromkeys(names))


def _abstract(page: _Page) -> Abstract | None:
    lines = page.section("Abstract")
    if not lines:
        return None
    sections = []
    for line in lines:
        if line.startswith("Keywords:") or line.startswith("Copyright"):
            break
        m = _ABSTRACT_LABEL_RE.match(line)
        if m and m["label"].isupper() or (m and len(lines) > 1 and m["label"][0].isupper()
                                             and len(m["label"].split()) <= 4):
            sections.append(AbstractSection(text=m["text"], label=m["label"]))
        else:
            sections.append(AbstractSection(text=line))
    return Abstract(sections=tuple(sections)) if sections else None


def _keywords(page: _Page) -> tuple[Keyword, ...]:
    for line in page.lines:
        if line.startswith("Keywords:"):
            body = line[len("Keywords:"):].strip().rstrip(".")
            return tuple(Keyword(text=k.strip()) for k in body.split(";") if k.strip())
    return ()


def _mesh(page: _Page) -> tuple[MeshHeading, ...]:
    """MeSH terms as the page lists them: "Neuroendocrine Tumors / diagnostic imaging*", "Humans"."""
    out = []
    for line in page.section("MeSH terms"):
        descriptor, *qualifiers = [p.strip() for p in line.split("/")]
        out.append(MeshHeading(
            descriptor_ui=None,
            descriptor_name=descriptor.rstrip("*"),
            major=descriptor.endswith("*"),
            qualifiers=tuple(MeshQualifier(ui=None, name=q.rstrip("*"), major=q.endswith("*")) for q in qualifiers),
        ))
    return tuple(out)


def _references(page: _Page) -> tuple[Reference, ...]:
    """Numbered items under "References"; the page numbers every item "1." so the position is the list order."""
    out = []
    for line in page.section("References"):
        m = _REF_RE.match(line)
        if not m:
            continue
        out.append(reference(len(out) + 1, m["text"]))
    return tuple(out)


def read_page(path: str | Path, *, pmid: str | None = None) -> Iterator[Record]:
    """Read a saved page file; the PMID comes from the page, else ``pmid``, else the file name."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", file=name) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (byte {exc.start})", file=name) from exc
    if not text.strip():
        raise SourceError("empty file", file=name)
    yield parse_page(text, name=name, pmid=pmid or pmid_from_filename(path))
