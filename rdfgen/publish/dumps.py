"""What the dumps need to know about a record's lines: which belong to the record's own named graph and which are
shared, and how a record's Turtle joins a dataset's.
"""

from __future__ import annotations

from typing import IO

from rdfgen.iris import Iris


def owns(iris: Iris, pmid: str, subject: str) -> bool:
    """Whether an N-Triples subject belongs to the record alone (its article IRI, IRIs under it, list cells);
    everything else (journals, MeSH terms, cited works, ORCID persons) is shared with other records."""
    return Owner(iris, pmid)(subject)


class Owner:
    """``owns`` for one record, its IRIs made once: the dumps ask it of every line. The rule is :func:`is_own`'s
    (the shard writer's C twin, rdfgen/_native.c, applies it to ``article`` and ``under`` too)."""

    __slots__ = ("article", "under", "line_starts")

    def __init__(self, iris: Iris, pmid: str) -> None:
        own = f"<{iris.article(pmid)}"
        self.article, self.under = own + ">", own + "/"
        """The record's article IRI and the start of the IRIs under it, as N-Triples terms."""
        self.line_starts = ("_:", self.under, self.article + " ")
        """What an N-Triples line of the record's own starts with: one ``str.startswith`` decides a line."""

    def __call__(self, subject: str) -> bool:
        return is_own(subject, self.article, self.under)


def is_own(subject: str, article: str, under: str) -> bool:
    """The record's own: its article, an IRI under it, or a blank node (rdf:List cells are the record's)."""
    return subject.startswith(("_:", under)) or subject == article


def append_turtle(stream: IO[str], ttl: str) -> None:
    """A document's Turtle without its prefixes, after the dump's block of every prefix: each record declares only
    the prefixes it uses, so the first record's could not serve the rest (lists are inline, no labels clash). The
    prefix lines are stepped over in place: splitting a record's 50 kB into lines to write them again cost more than
    the write."""
    body = 0
    while ttl.startswith("@prefix", body):
        end = ttl.find("\n", body)
        body = len(ttl) if end < 0 else end + 1
    stream.write(ttl[body:] if body else ttl)
