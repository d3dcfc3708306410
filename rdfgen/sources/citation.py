"""Parse a printed reference (Vancouver/NLM style, as PubMed shows it) into its parts, and expand page ranges.

The raw text is always kept by the caller; this module only adds what it can read with confidence, so a part it
cannot find stays ``None`` rather than being guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdfgen.model import Pages, Reference
from rdfgen.sources.text import expand_page_range as parse_pages

# "Modlin IM", "Ter-Minassian M", "van der Berg AB", "O'Neil J", "Muller-Nordhorn J"
_AUTHOR_RE = re.compile(r"^(?:[A-Za-z\u00C0-\u024F][\w'\u2019.\-]*\s+)+[A-Z]{1,4}(?:\s(?:Jr|Sr|2nd|3rd|[IV]{1,3}))?$")
_ET_AL_RE = re.compile(r"^et\s+al\.?$", re.IGNORECASE)
# "Cancer. 1997;79(4):813–29." and "Endocr Relat Cancer. 2018;25(1):R11–29." and "Lancet. 2001 Jan 6;357:1-5."
_SOURCE_RE = re.compile(
    r"(?:^|(?<=[.?!]\s))(?P<journal>[^.?!]+?)\.\s+"
    r"(?P<year>\d{4})(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?"
    r"(?:;(?P<volume>[^(:;]+)?(?:\((?P<issue>[^)]+)\))?)?"
    r"(?::(?P<pages>[^.]+?))?\.(?=\s|$)"
)
_DOI_RE = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)(?P<doi>10\.\d{4,9}/\S+)", re.IGNORECASE)
_PMID_RE = re.compile(r"\bPMID:\s*(?P<pmid>\d+)")
_PMCID_RE = re.compile(r"\b(?P<pmcid>PMC\d+)\b")
_LINK_MARKERS_RE = re.compile(r"(?:\s+-\s+(?:DOI|PubMed|PMC|Free PMC article|Free article))+\s*$")


@dataclass(frozen=True)
class ParsedCitation:
    """What could be read out of a citation string; every part optional."""

    text: str
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


def split_authors(text: str) -> tuple[tuple[str, ...], bool] | None:
    """Split "Modlin IM, Sandor A, et al" into names and an "et al." flag; None if it is not a name list."""
    parts = [p.strip() for p in text.split(",")]
    truncated = False
    if parts and _ET_AL_RE.match(parts[-1]):
        truncated = True
        parts = parts[:-1]
    if not parts or not all(_AUTHOR_RE.match(p) for p in parts):
        return None
    return tuple(parts), truncated


def _clean_doi(doi: str) -> str:
    return doi.rstrip(".,;)]")


def parse_citation(text: str) -> ParsedCitation:
    """Parse one printed reference (the page's link labels " - DOI - PubMed" are not part of it and are dropped).

    Authors come before the first ". " that ends a name list; the source block
    ("Journal. Year;Vol(Issue):Pages.") is found by its shape; the title is what lies between them."""
    clean = " ".join(text.split())
    if " - " in clean:  # substring guards: a baseline file has ~30 references an article, most without these
        clean = _LINK_MARKERS_RE.sub("", clean)
    doi_m = _DOI_RE.search(clean) if "10." in clean else None
    pmid_m = _PMID_RE.search(clean) if "PMID" in clean else None
    pmcid_m = _PMCID_RE.search(clean) if "PMC" in clean else None
    body = clean[: doi_m.start()].rstrip() if doi_m else clean

    authors: tuple[str, ...] = ()
    truncated = False
    rest = body
    head, sep, tail = body.partition(". ")
    if sep:
        split = split_authors(head.rstrip("."))
        if split is not None:
            authors, truncated = split
            rest = tail
    source = None
    for m in _SOURCE_RE.finditer(rest):
        source = m
    title = None
    journal = year = volume = issue = pages = None
    if source is not None:
        title = rest[: source.start()].strip().rstrip(".").strip() or None
        journal = source["journal"].strip()
        year = int(source["year"])
        volume = (source["volume"] or "").strip() or None
        issue = (source["issue"] or "").strip() or None
        pages = parse_pages(source["pages"]) if source["pages"] else None
    return ParsedCitation(
        text=clean,
        authors=authors,
        authors_truncated=truncated,
        title=title,
        journal=journal,
        year=year,
        volume=volume,
        issue=issue,
        pages=pages,
        doi=_clean_doi(doi_m["doi"]) if doi_m else None,
        pmid=pmid_m["pmid"] if pmid_m else None,
        pmcid=pmcid_m["pmcid"] if pmcid_m else None,
    )


def reference(position: int, text: str, *, doi: str | None = None, pmid: str | None = None,
              pmcid: str | None = None, title_of_list: str | None = None) -> Reference:
    """The n-th reference: its printed text, what can be parsed out of it, and identifiers the source gives
    separately (they win over any found in the text)."""
    parsed = parse_citation(text)
    return Reference(
        position=position,
        citation=parsed.text,
        authors=parsed.authors,
        authors_truncated=parsed.authors_truncated,
        title=parsed.title,
        journal=parsed.journal,
        year=parsed.year,
        volume=parsed.volume,
        issue=parsed.issue,
        pages=parsed.pages,
        doi=doi or parsed.doi,
        pmid=pmid or parsed.pmid,
        pmcid=pmcid or parsed.pmcid,
        title_of_list=title_of_list,
    )
