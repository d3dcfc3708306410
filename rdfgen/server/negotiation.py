"""Content negotiation: the one parser of ``Accept`` headers every handler of the server goes through.

RFC 9110, section 12.5.1: each offer gets the quality of the most specific media range that matches it
(``text/turtle`` over ``text/*`` over ``*/*``), ``q=0`` refuses, and among equal qualities the server's own order of
preference decides. Media types then resolve to RDF formats through :mod:`rdfgen.formats`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: ``type/subtype;params;q=0.5``."""

    type: str
    subtype: str
    q: float
    params: int
    parameters: tuple[tuple[str, str], ...] = ()  # (name lower-cased, value unquoted), in the order given

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> tuple[int, int, int]:
        return (self.type != "*", self.subtype != "*", self.params)


def _quality(value: str) -> float | None:
    """A qvalue (0 to 1, at most three decimals); None when malformed, so a broken range is ignored."""
    if not re.fullmatch(r"0(\.\d{0,3})?|1(\.0{0,3})?", value.strip()):
        return None
    return float(value)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header, malformed ones dropped; an absent header accepts anything."""
    if header is None or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        main, slash, sub = fields[0].lower().partition("/")
        if not slash or not _TOKEN.match(main) or not _TOKEN.match(sub) or (main == "*" and sub != "*"):
            continue
        q: float | None = 1.0
        parameters = []
        for field in fields[1:]:
            name, _, value = field.partition("=")
            if name.strip().lower() == "q":
                q = _quality(value)
                break  # what follows q is accept-ext, not media type parameters
            if name.strip():
                parameters.append((name.strip().lower(), value.strip().strip('"')))
        if q is not None:
            ranges.append(MediaRange(main, sub, q, len(parameters), tuple(parameters)))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The quality a client gives ``media_type``: that of the most specific range matching it (0 if none)."""
    matching = [r for r in ranges if r.matches(media_type.lower())]
    if not matching:
        return 0.0
    best = max(r.specificity for r in matching)
    return max(r.q for r in matching if r.specificity == best)


def parameters(accept: str | None, media_type: str) -> dict[str, str]:
    """The parameters the client gave the most specific range naming ``media_type`` itself (``text/x-bibliography;
    style=apa; locale=fr-FR`` gives style and locale, as Crossref reads them); a wildcard range gives none."""
    named = [r for r in parse_accept(accept) if f"{r.type}/{r.subtype}" == media_type.lower() and r.q > 0]
    return dict(max(named, key=lambda r: (r.params, r.q)).parameters) if named else {}


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers (ties: the earlier offer), or None when it accepts none of them (406)."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best
