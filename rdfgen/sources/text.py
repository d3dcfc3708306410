"""Text helpers every source needs: page ranges, ORCIDs, PubMed's date spellings, whitespace.

PubMed XML, MEDLINE text and the PubMed page spell these the same way, so one implementation serves all sources and
they agree on the result (an XML record and its MEDLINE twin give equal ``Pages``, ORCIDs and dates).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rdfgen.errors import SourceError
from rdfgen.model import ArticleId, Pages, PartialDate

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_MONTHS = {name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_SEASONS = ("spring", "summer", "autumn", "fall", "winter")
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot carry (C0 controls but tab, LF and CR; U+FFFE, U+FFFF): never text in PubMed, yet
exports and saved pages have them, and published they make RDF/XML ill-formed and cut literals short in C-based
tools (raptor ends a literal at U+0000). The text sources drop them as they read."""

_PAGE_RANGE = re.compile(
    r"(?P<prefix>[A-Za-z]*)(?P<start>\d+)(?P<suffix>[A-Za-z]*)\s*[-\u2010-\u2013]\s*"
    r"(?P<end_prefix>[A-Za-z]*)(?P<end>\d+)(?P<end_suffix>[A-Za-z]*)"
)
_PAGE_SEPARATOR = re.compile(r"[,;]")
_NOT_ONE_PAGE = re.compile(r"\s|[-\u2010-\u2013]")
_ORCID_URL = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
_ORCID_DIGITS = re.compile(r"\d{15}[\dX]")
_PLAIN_DATE = re.compile(r"(?P<year>\d{4})(?:\s+(?P<month>[A-Za-z]{3,9}|\d{1,2})(?:\s+(?P<day>\d{1,2}))?)?")
_SEASON_DATE = re.compile(r"(?P<year>\d{4})\s+(?P<season>[A-Za-z]+)")
_FIRST_YEAR_MONTH = re.compile(r"(?P<year>\d{4})(?:\s+(?P<month>[A-Za-z]{3,9})\b)?")


def squash(text: str | None) -> str:
    """Collapse runs of whitespace to one space: sources wrap and indent text, readers must not see that."""
    return " ".join(text.split()) if text else ""  # str.split splits on what the re module calls \\s


def expand_page_range(raw: str) -> Pages:
    """Split a printed pagination into start, end and extra, expanding abbreviated ends ("813-29" ends at 829).

    Only the part before the first comma or semicolon is a range; the rest ("viii" in "111-34, viii") is ``extra``.
    Something that is neither one page nor a range keeps only ``raw``, since guessing would publish wrong pages.
    """
    text = squash(raw)
    if "," in text or ";" in text:
        parts = _PAGE_SEPARATOR.split(text, maxsplit=1)
        head, extra = parts[0].strip(), parts[1].strip() or None
    else:  # most paginations: squash has already stripped the text, so it is the head
        head, extra = text, None
    match = _PAGE_RANGE.fullmatch(head)
    if match:
        prefix, first, suffix, end_prefix, last, end_suffix = match.groups()
        end = f"{end_prefix or prefix}{_expand_end(first, last)}{end_suffix}"
        return Pages(raw=text, start=f"{prefix}{first}{suffix}", end=end, extra=extra)
    if head and not _NOT_ONE_PAGE.search(head):
        return Pages(raw=text, start=head, extra=extra)
    return Pages(raw=text, extra=extra)


def _expand_end(start: str, end: str) -> str:
    """Print style drops the leading digits the end shares with the start: "5795-813" means 5795 to 5813."""
    if len(end) >= len(start):
        return end
    return start[: len(start) - len(end)] + end


def normalise_orcid(value: str) -> str | None:
    """The bare ``0000-0002-1825-0097`` form of an ORCID written bare, as a URL or without hyphens.

    Returns None when the value is not an ORCID (wrong length or check digit), so callers can drop it and say so
    rather than publish an identifier that resolves to nobody.
    """
    digits = _ORCID_URL.sub("", value.strip()).replace("-", "").replace(" ", "").upper()
    if not _ORCID_DIGITS.fullmatch(digits) or _orcid_check_digit(digits[:15]) != digits[15]:
        return None
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def _orcid_check_digit(base: str) -> str:
    """ISO 7064 MOD 11-2, as ORCID specifies: catches the typos a hand-copied ORCID carries."""
    total = 0
    for char in base:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def month_number(text: str | None) -> int | None:
    """PubMed writes months as "Sep", "September", "09" or "9"; all mean the same month. None if absent."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not _is_month_name(text):
        raise ValueError(f"not a month: {text!r}")
    return _MONTHS[text[:3].lower()]


def make_date(year: str | None, month: str | None = None, day: str | None = None) -> PartialDate:
    """A PartialDate from separate year, month and day texts; raises ValueError on any impossible part."""
    if year is None or not year.strip().isdigit():
        raise ValueError(f"not a year: {year!r}")
    day_number = int(day) if day and day.strip() else None
    if day and day.strip() and not day.strip().isdigit():
        raise ValueError(f"not a day: {day!r}")
    return PartialDate(int(year), month_number(month), day_number)


def parse_date_text(text: str) -> PartialDate:
    """A publication date written as text (MEDLINE DP, PubMed XML MedlineDate, a page's citation line).

    "2018 Jun 5" is a plain date. Anything else ("1998 Dec-1999 Jan", "2021 3rd Quarter", "Winter 1977") keeps
    ``raw`` with the first year, and the month only when the text starts with year and month, since the first
    month of a range is the only one a reader can rely on.
    """
    text = squash(text)
    plain = _PLAIN_DATE.fullmatch(text)
    if plain and (plain["month"] is None or plain["month"].isdigit() or _is_month_name(plain["month"])):
        return make_date(plain["year"], plain["month"], plain["day"])
    season = _SEASON_DATE.fullmatch(text)
    if season and season["season"].lower() in _SEASONS:
        return PartialDate(int(season["year"]), season=season["season"], raw=text)
    return parse_date_range(text)


def parse_date_range(text: str) -> PartialDate:
    """The first year (and month, if it directly follows) of a free-form date; ``raw`` keeps the whole text."""
    text = squash(text)
    first = _FIRST_YEAR_MONTH.search(text)
    if first is None:
        raise ValueError(f"no year in date {text!r}")
    word = first["month"]
    month = _MONTHS[word[:3].lower()] if word and _is_month_name(word) else None
    season = word if word and word.lower() in _SEASONS else None
    return PartialDate(int(first["year"]), month, season=season, raw=text)


def _is_month_name(word: str) -> bool:
    """"Sep" and "September" are months; "Market" (which starts "Mar") is not."""
    word = word.lower().rstrip(".")
    if word[:3] not in _MONTHS:
        return False
    return len(word) == 3 or word == _MONTH_NAMES[_MONTHS[word[:3]] - 1] or word == "sept"


def compact_date(text: str) -> PartialDate:
    """MEDLINE's dates "20180724" and "2018/07/25 06:00" (a time PubMed adds to history dates is dropped)."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text) or re.fullmatch(
        r"(\d{4})/(\d{1,2})/(\d{1,2})(?:\s+\d{1,2}:\d{2})?", text
    )
    if match is None:
        raise ValueError(f"not a date: {text!r}")
    return make_date(*match.groups())


def first_id(ids: tuple[ArticleId, ...], scheme: str) -> str | None:
    """The first identifier of a scheme: sources list their preferred id (ArticleIdList, AID) before fallbacks."""
    return next((i.value for i in ids if i.scheme == scheme), None)


class FieldError(Exception):
    """A record-level problem: the record is skipped and reported, the stream goes on."""

    def __init__(self, field: str, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.line = line


@contextmanager
def reading(field: str, detail: str = "", line: int | None = None) -> Iterator[None]:
    """Name the field whose value was impossible (a 13th month, a year 0) in the error that reports it."""
    try:
        yield
    except ValueError as error:
        raise FieldError(field, f"{error}{detail}", line) from error


def report(error: SourceError, on_error: Callable[[SourceError], None] | None) -> None:
    """Hand a record's error to ``on_error`` so the stream goes on; without one, raise it."""
    if on_error is None:
        raise error
    on_error(error)
