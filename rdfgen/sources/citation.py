"""Parse a printed reference (Vancouver/NLM style, as PubMed shows it) into its parts, and expand page ranges.

The raw text is always kept by the caller; this module only adds what it can read with confidence, so a part it
cannot find stays ``None`` rather than being guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdfgen.model import Pages, Reference
from rdfgen.sources.doi import choose_doi
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
# _SOURCE_RE without its "starts the text or a sentence" guard, tried only where that guard holds (see _last_source).
# The journal cannot contain a full stop, so the only journal that can match ends at the first one: possessive
# matching finds the same one without retrying every shorter length.
_SOURCE_AT = re.compile(
    r"(?P<journal>[^.?!]++)\.\s+"
    r"(?P<year>\d{4})(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?"
    r"(?:;(?P<volume>[^(:;]+)?(?:\((?P<issue>[^)]+)\))?)?"
    r"(?::(?P<pages>[^.]+?))?\.(?=\s|$)"
)
_YEAR_MARK = re.compile(r"\.\s+\d{4}")  # the ". 2018" every source block has right after its journal
_DOI_RE = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)(?P<doi>10\.\d{4,9}/\S+)", re.IGNORECASE)
# The longest text _DOI_RE allows before the "10." of a DOI in squashed text ("doi: " is shorter): no match can start
# further than this before the first "10.", so the search starts there rather than trying every character before it.
_DOI_PREFIX_MAX = len("https://dx.doi.org/")
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
    if parts[-1][:1] in ("e", "E") and _ET_AL_RE.match(parts[-1]):  # str.split always gives a part
        truncated = True
        parts = parts[:-1]
    if not parts:
        return None
    is_author = _AUTHOR_RE.match
    for part in parts:  # a loop, not all(generator): called for every one of ~30 references an article
        if not is_author(part):
            return None
    return tuple(parts), truncated


def valid_pmid(text: str | None) -> str | None:
    """A PMID as PubMed mints them, a positive integer (leading zeros dropped), or None.

    Reference lists carry ``<ArticleId IdType="pubmed">0</ArticleId>`` and other placeholders; taken as PMIDs they
    would make every such reference cite one nonexistent record (``pubmed/0``) and merge their DOIs there."""
    if not text:
        return None
    digits = text.strip()
    if digits.isascii() and digits.isdigit() and digits.strip("0"):
        return digits.lstrip("0")
    return None


def choose_pmid(given: tuple[str | None, ...]) -> tuple[str | None, tuple[str, ...]]:
    """The first valid PMID of those given in order of preference, and a note on each one that is not a PMID."""
    chosen: str | None = None
    notes: list[str] = []
    for text in given:
        if not text:
            continue
        pmid = valid_pmid(text)
        if pmid is None:
            notes.append(f"PMID {text!r} is not a valid PMID; dropped")
        elif chosen is None:
            chosen = pmid
    return chosen, tuple(notes)


def _last_source(rest: str) -> re.Match[str] | None:
    """The last match ``_SOURCE_RE.finditer(rest)`` would give, found without trying every character.

    A source block starts the text or a sentence ("[.?!] " before it) and its journal runs to the first [.?!],
    which must be a year mark (". 2018"). So the only start that can match for a year mark is just after the last
    [.?!] before it (or the text's start); trying those, each after the previous match's end as finditer does,
    gives the same matches."""
    last = None
    end = 0
    only_full_stops = "?" not in rest and "!" not in rest  # nearly always: one rfind instead of three
    for mark in _YEAR_MARK.finditer(rest):
        stop = mark.start()
        if only_full_stops:
            before = rest.rfind(".", 0, stop)
        else:
            before = max(rest.rfind(".", 0, stop), rest.rfind("?", 0, stop), rest.rfind("!", 0, stop))
        if before < 0:
            start = 0
        elif rest[before + 1].isspace():
            start = before + 2
        else:
            continue  # "J.Med. 2001": no sentence starts between that full stop and the year mark
        if end <= start < stop and (found := _SOURCE_AT.match(rest, start)):
            last, end = found, found.end()
    return last


def parse_citation(text: str) -> ParsedCitation:
    """Parse one printed reference (the page's link labels " - DOI - PubMed" are not part of it and are dropped).

    Authors come before the first ". " that ends a name list; the source block
    ("Journal. Year;Vol(Issue):Pages.") is found by its shape; the title is what lies between them."""
    clean, body, dois, pmid, pmcid = _identifiers(text)
    return ParsedCitation(clean, *_bibliography(body), choose_doi(dois)[0], valid_pmid(pmid), pmcid)


def _identifiers(text: str) -> tuple[str, str, tuple[str, ...], str | None, str | None]:
    """The squashed text, its part before any DOI (the rest is links), and the DOIs, PMID and PMCID it prints, as
    printed (every DOI, in order): ``reference`` checks them against the identifiers the source gives beside it."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        clean = text  # already squashed, as the XML source hands it over: every whitespace but " " is unprintable
    else:
        clean = " ".join(text.split())
    if " - " in clean:  # substring guards: a baseline file has ~30 references an article, most without these
        clean = _LINK_MARKERS_RE.sub("", clean)
    doi_at = clean.find("10.")
    doi_m = _DOI_RE.search(clean, max(0, doi_at - _DOI_PREFIX_MAX)) if doi_at >= 0 else None
    pmid_m = _PMID_RE.search(clean) if "PMID" in clean else None
    pmcid_m = _PMCID_RE.search(clean) if "PMC" in clean else None
    body = clean[: doi_m.start()].rstrip() if doi_m else clean
    dois: tuple[str, ...] = ()
    if doi_m:
        dois = (doi_m["doi"],)
        if clean.find("10.", doi_m.end()) >= 0:  # rarely: a second DOI
            dois += tuple(m["doi"] for m in _DOI_RE.finditer(clean, doi_m.end()))
    return clean, body, dois, pmid_m["pmid"] if pmid_m else None, pmcid_m["pmcid"] if pmcid_m else None


Bibliography = tuple[tuple[str, ...], bool, str | None, str | None, int | None, str | None, str | None, Pages | None]
"""Authors, et al., title, journal, year, volume, issue, pages: Reference's ``BIBLIOGRAPHIC`` parts in order."""


def _bibliography(body: str) -> Bibliography:
    """The parts of a citation's text before its DOI."""
    authors: tuple[str, ...] = ()
    truncated = False
    rest = body
    head, sep, tail = body.partition(". ")
    if sep:
        split = split_authors(head.rstrip("."))
        if split is not None:
            authors, truncated = split
            rest = tail
    source = _last_source(rest)
    if source is None:
        return authors, truncated, None, None, None, None, None, None
    title = rest[: source.start()].strip().rstrip(".").strip() or None
    journal, year_text, volume, issue, printed_pages = source.group("journal", "year", "volume", "issue", "pages")
    return (authors, truncated, title, journal.strip(), int(year_text), (volume or "").strip() or None,
            (issue or "").strip() or None, parse_pages(printed_pages) if printed_pages else None)


def _bibliography_of(citation: str) -> Bibliography:
    """``_bibliography`` of a Reference's (squashed) citation text: what an unparsed Reference calls when read."""
    return _bibliography(_identifiers(citation)[1])


UNPARSED_STATE = Reference.unparsed_state(_bibliography_of)
"""The instance dict of a Reference cited by PMID, its values to be filled: what rdfgen.sources._native copies to
make one as ``finish_reference`` does, without a Python call."""


def reference(position: int, text: str, *, doi: str | None = None, pmid: str | None = None,
              pmcid: str | None = None, title_of_list: str | None = None) -> Reference:
    """The n-th reference: its printed text, what can be parsed out of it, and identifiers the source gives
    separately (they win over any found in the text; ``doi`` may hold several, separated by spaces). A malformed
    identifier is not used and a note on the reference quotes it, so the text is kept and the reason is said; a
    valid one is preferred to it.

    A reference with a PMID is published as that PubMed record, so its authors ... pages are parsed only when read
    (``Reference.unparsed``): the same values, a sixth of a baseline file's conversion saved."""
    clean, body, parsed_dois, parsed_pmid, parsed_pmcid = _identifiers(text)
    chosen_doi, doi_notes = choose_doi((doi, *parsed_dois))
    chosen_pmid, pmid_notes = choose_pmid((pmid, parsed_pmid))
    return finish_reference(position, clean, body, chosen_doi, chosen_pmid, pmcid or parsed_pmcid, title_of_list,
                            pmid_notes + doi_notes)


def finish_reference(position: int, clean: str, body: str, doi: str | None, pmid: str | None, pmcid: str | None,
                     title_of_list: str | None, notes: tuple[str, ...]) -> Reference:
    """The Reference of a citation whose identifiers are chosen (``reference`` up to here, or its C twin in
    rdfgen.sources._native): parsed now, or only when read if it has a PMID."""
    identifiers = {"doi": doi, "pmid": pmid, "pmcid": pmcid, "title_of_list": title_of_list, "notes": notes}
    if pmid is not None:
        return Reference.unparsed(position, clean, _bibliography_of, **identifiers)
    authors, truncated, title, journal, year, volume, issue, pages = _bibliography(body)
    return Reference(position, clean, authors, truncated, title, journal, year, volume, issue, pages, **identifiers)
