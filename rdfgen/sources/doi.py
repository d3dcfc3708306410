r"""DOIs as records and references print them, brought to one form, or recognised as no DOI at all.

A DOI enters from PubMed XML (ArticleIdList, ELocationID, a reference's ArticleId or its text), MEDLINE (AID, LID)
and the PubMed page. Written as ``doi:10.1/x``, ``https://doi.org/10.1/x``, ``10.1/x.`` or ``10.1%2Fx`` it is the
same DOI, and every source must give the same string for it, or one work gets several nodes; what is not a DOI
must never become a ``https://doi.org/`` link to nowhere. So every source reads DOIs through this module.

What is accepted (:data:`DOI_SYNTAX`): ``10.`` + a registrant code of 4 to 9 digits + ``/`` + a suffix of ASCII
letters, digits and ``-._;()/:``, which is Crossref's recommended pattern (A. Gilmartin, "DOIs and matching
regular expressions", Crossref blog, 2015: it matches 74.4M of the 74.9M DOIs Crossref had seen), plus three
characters of the older DOIs that pattern misses, which PubMed's reference lists of 1990s literature cite often:
``<`` and ``>`` of the SICI-based DOIs (Wiley's ``10.1002/(SICI)…<…::AID-…>3.0.CO;2-…`` and Crossref's third
pattern), ``#``, a SICI check character (the mod-37 check of ANSI/NISO Z39.56 writes 36 as ``#``), and ``&``, of
Crossref's ``10.1207/…&…`` pattern. The DOI standard allows any Unicode graphic character in a suffix, but in a
reference list a non-ASCII character in a DOI is a transcription error (``2515690×19829380`` for
``2515690X19829380``, an en dash or U+2010 for a hyphen): guessing the intended character could link a work that
does not exist, so such a DOI is refused and the caller keeps the text and says why. White space, quotes, ``%``
and ``,`` are never part of an accepted DOI (``<``, ``>``, ``#`` and ``&`` are percent-encoded in a ``doi.org``
link by ``rdfgen.iris.doi_url_iri``), and every accepted DOI passes the shapes' ``^10\.[0-9]{4,9}/\S+$``.

Case: DOIs are case-insensitive (ISO 26324; the DOI Handbook). The form returned keeps the case the source printed,
which is the form registrants display and readers copy; :func:`doi_key` (lower case, as Crossref's and DataCite's
APIs return DOIs) is what IRIs are minted from and what two DOIs are compared by, so one DOI gives one IRI whatever
its spelling.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import unquote

from rdfgen.model import ArticleId

_SUFFIX_CHARS = r"-._;()/:A-Za-z0-9<>#&"
DOI_SYNTAX = re.compile(rf"10\.\d{{4,9}}/[{_SUFFIX_CHARS}]+")
"""A whole DOI (use ``fullmatch``); see the module's docstring for why these characters."""
# The common case, already in the accepted form: no prefix, no escape, nothing to strip at the end, and no ";" (which
# may separate two DOIs).
_CLEAN = re.compile(r"10\.\d{4,9}/[-._()/:A-Za-z0-9<>#]*[A-Za-z0-9_\-#]")
# What a DOI is written after: resolver URLs, URI schemes, the "doi:" / "DOI " label.
_PREFIX = re.compile(
    r"(?:(?:https?:)?//)?(?:(?:dx|www)\.)?doi\.org/|(?:https?:)?//hdl\.handle\.net/|info:doi/|urn:doi:|doi\s*[:=]?\s*",
    re.IGNORECASE,
)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))  # soft hyphen, zero-width characters
_OPENERS = "\"'([{<\u201c\u2018"
_TRAILING = ".,;:\"'\u201d\u2019"
_CLOSERS = {")": "(", "]": "[", ">": "<", "}": "{"}
_WHITESPACE = re.compile(r"\s+")
# A DOI starts here: a label or resolver, or "10.NNNN/" itself.
_STARTS_DOI = re.compile(r"[\"'(\[{<\u201c\u2018]*(?:doi\b|https?:|//|info:doi|urn:doi|(?:dx\.|www\.)?doi\.org|10\.\d)",
                         re.IGNORECASE)
_BARE_DOI = re.compile(r"[\"'(\[{<\u201c\u2018]*10\.\d")
_HAS_BODY = re.compile(r"10\.\d+/.")
# A DOI broken across a line or by a space ends with, or goes on with, one of these. Not "." before the break: that
# is how a sentence ends ("doi: 10.1/x. Epub 2019"), and joining would make "10.1/x.Epub" a DOI.
_BROKEN_AFTER = "/-_"
_BROKEN_BEFORE = "/-_."
_SEPARATED = re.compile(r"[,;]+(?=\s*(?:doi\b|https?:|10\.\d))", re.IGNORECASE)


def normalise_doi(text: str | None) -> str | None:
    """The DOI in ``text`` written the one accepted way, or None when there is none.

    Strips labels and resolvers (``doi:``, ``https://doi.org/``, ``http://dx.doi.org/``, ``info:doi/``), percent
    and HTML escapes, white space inside (a DOI broken across lines), invisible characters, and the punctuation a
    sentence or bracket leaves at either end (a closing bracket only when it closes nothing inside the DOI). When the
    text holds several DOIs, the first valid one. Idempotent: a returned DOI normalises to itself."""
    if not text:
        return None
    return next((tidy for _raw, tidy in _pieces(text) if DOI_SYNTAX.fullmatch(tidy)), None)


def doi_key(doi: str) -> str:
    """What a DOI is compared by and IRIs are minted from: DOIs are case-insensitive, so the same DOI printed in
    two cases must give one node."""
    return doi.lower()


def doi_candidates(text: str) -> list[str]:
    """The pieces of ``text`` that each claim to be one DOI, as written: "10.1/a 10.1/b" and "doi: 10.1/a; doi:
    10.1/b" are two, "doi: 10.1/a" is one, and so is "10.1007/ s10554-019-01737-z" (a DOI broken after a slash or
    hyphen, as line breaks leave it). Other words (a citation around the DOI, "Epub 2019" after it) end a piece
    and are no part of one, and a label without a DOI after it ("doi:") is no piece: so a whole printed reference
    gives its DOIs too."""
    pieces: list[str] = []
    current: str | None = None
    for token in _tokens(text):
        if current is None:
            current = token if _STARTS_DOI.match(token) else None
        elif not _HAS_BODY.search(current):
            current = token if _BARE_DOI.match(token) else current + token  # "doi:" then the DOI after a space
        elif _STARTS_DOI.match(token):
            pieces.append(current)
            current = token
        elif current[-1] in _BROKEN_AFTER or token[0] in _BROKEN_BEFORE:
            current += token
        else:
            pieces.append(current)
            current = None
    if current is not None and _HAS_BODY.search(current):
        pieces.append(current)
    return pieces


def _pieces(text: str) -> list[tuple[str, str]]:
    """Each DOI candidate of ``text`` as written and tidied (see ``_tidy``), the common spellings without the
    general path: a reference list has ~30 DOIs a record, nearly all already clean or ending in a full stop."""
    if (simple := _simple(text)) is not None:
        return [(text, simple)]
    return [(raw, _tidy(raw)) for raw in doi_candidates(text)]


def _tokens(text: str) -> list[str]:
    """Words of ``text``, a comma or semicolon before a new DOI counting as a space."""
    return _SEPARATED.sub(" ", _decoded(text.translate(_INVISIBLE))).split()


def _decoded(text: str) -> str:
    """``text`` with percent and HTML escapes undone, repeatedly (``%252F`` was escaped twice)."""
    while "%" in text or "&" in text:
        decoded = unquote(html.unescape(text)) if "&" in text else unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def _tidy(raw: str) -> str:
    """A candidate without escapes, spaces, labels and surrounding punctuation. Each step only removes characters,
    so repeating the steps until nothing changes ends, and what it ends on is unchanged by another pass: this is
    what makes :func:`normalise_doi` idempotent."""
    text = raw
    while True:
        cleaned = _strip_ends(_WHITESPACE.sub("", _decoded(text.translate(_INVISIBLE))))
        if cleaned == text:
            return text
        text = cleaned


def _strip_ends(text: str) -> str:
    """Drop what surrounds a DOI: opening quotes and brackets and labels before it, sentence punctuation and
    brackets that close nothing after it."""
    while True:
        before = text
        text = text.lstrip(_OPENERS)
        if prefix := _PREFIX.match(text):
            text = text[prefix.end():]
        text = text.rstrip(_TRAILING)
        if text and text[-1] in _CLOSERS and text.count(text[-1]) > text.count(_CLOSERS[text[-1]]):
            text = text[:-1]
        if text == before:
            return text


def choose_doi(given: Iterable[str | None]) -> tuple[str | None, tuple[str, ...]]:
    """The DOI of a work some texts give, in order of preference, and notes on every other DOI they give.

    The first valid DOI wins. A text that holds no valid DOI is quoted whole in a note ("not a valid DOI"), so the
    raw text stays on the entry; a malformed piece beside a valid one is quoted too; another valid DOI (a different
    one, whatever its case) is named as given but not used. A DOI given twice (an ArticleId and the printed text)
    is named once."""
    texts = [text for text in given if text]
    if not texts:
        return None, ()
    if (first := _simple(texts[0])) is not None and all(_same(first, text) for text in texts[1:]):
        return first, ()  # nearly every reference: one DOI, given as an id and printed in the text
    chosen: str | None = None
    notes: list[str] = []
    seen: set[str] = set()
    for text in texts:
        pieces = _pieces(text)
        if not any(_valid(tidy) for _raw, tidy in pieces):
            if not seen.intersection(tidy for _raw, tidy in pieces):
                notes.append(f"DOI {text!r} is not a valid DOI; no link made from it")
            seen.update(tidy for _raw, tidy in pieces)
            continue
        for raw, tidy in pieces:
            if not _valid(tidy):
                if tidy not in seen:
                    notes.append(f"DOI {raw!r} is not a valid DOI; no link made from it")
            elif chosen is None:
                chosen = tidy
            elif doi_key(tidy) != doi_key(chosen) and doi_key(tidy) not in seen:
                notes.append(f"another DOI, {tidy}, also given; not used")
            seen.add(doi_key(tidy) if _valid(tidy) else tidy)
    return chosen, tuple(notes)


def _valid(tidy: str) -> bool:
    return DOI_SYNTAX.fullmatch(tidy) is not None


def _simple(text: str) -> str | None:
    """The DOI of a text that is one DOI, clean or with a full stop after it (the fast path of ``_pieces``)."""
    if _CLEAN.fullmatch(text):
        return text
    trimmed = text.rstrip(".,;")
    return trimmed if _CLEAN.fullmatch(trimmed) else None


def _same(doi: str, text: str) -> bool:
    """Whether ``text`` is simply ``doi`` again, in any case."""
    other = _simple(text)
    return other is not None and other.lower() == doi.lower()


def checked_ids(ids: tuple[ArticleId, ...], notes: list[str]) -> tuple[ArticleId, ...]:
    """A record's own identifiers with each DOI in the accepted form, once (ArticleIdList and ELocationID often
    give the same DOI, spelled or cased apart); a malformed DOI is dropped and named in ``notes``, since publishing
    it would link the record to a DOI that resolves to nothing."""
    if not any(i.scheme == "doi" for i in ids):
        return ids
    checked: list[ArticleId] = []
    dois: set[str] = set()
    for article_id in ids:
        if article_id.scheme != "doi":
            checked.append(article_id)
        elif (doi := normalise_doi(article_id.value)) is None:
            notes.append(f"malformed DOI {article_id.value!r} of the article dropped")
        elif doi_key(doi) not in dois:
            dois.add(doi_key(doi))
            checked.append(ArticleId("doi", doi))
    return tuple(dict.fromkeys(checked))
