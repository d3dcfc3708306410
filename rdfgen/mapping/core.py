"""What the parts of the mapping share: the context of the record being mapped (``RecordContext``), the literal
helpers, ``defined_term`` (a MeSH term, for every part that names one), and the protocols of what the mapping is given:
a MeSH vocabulary and a keyword linker. Imports no part."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from rdfgen import iris as iri
from rdfgen.iris import Iris
from rdfgen.mapping.terms import RDF, SDO, SKOS, XSD, lit, uri
from rdfgen.model import PartialDate, Record

Triple = tuple[str, str, str]
"""Subject, predicate, object: each an N-Triples term string (rdfgen.mapping.terms)."""

_DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}


class KeywordLink(Protocol):
    """A machine mapping of an author keyword onto a MeSH descriptor (never NLM's indexing)."""

    ui: str
    label: str
    method: str
    score: float

    @property
    def relation(self) -> str:
        """"exact", "close" or "broad": the SKOS mapping property the link is published with."""
        ...


class MeshTerms(Protocol):
    """What the mapping needs of a MeSH vocabulary to publish a descriptor with its place in the tree."""

    def descriptor(self, ui: str) -> MeshDescriptor | None: ...

    def broader(self, ui: str) -> tuple[str, ...]: ...


class MeshDescriptor(Protocol):
    ui: str
    label: str
    tree_numbers: tuple[str, ...]


KeywordLinker = Callable[[str, tuple[str, ...]], KeywordLink | None]
"""An author keyword and the UIs of its record's own MeSH headings (evidence for an ambiguous keyword) -> a link."""


_lit = lit


def _date_literal(date: PartialDate) -> str:
    """Typed at the date's own precision: xsd:gYear, xsd:gYearMonth or xsd:date. ISO text is digits and hyphens,
    never escaped, and the precision is which parts are given (a day needs a month): ``typed(iso,
    _DATE_TYPES[date.precision.value])`` says the same at three times the cost, and a record has a dozen dates."""
    return f'"{date.iso()}{_DATE_ENDS[(date.month is not None) + (date.day is not None)]}'


_DATE_ENDS = tuple(f'"^^{_DATE_TYPES[p]}' for p in ("year", "month", "day"))


_bool = lit


class RecordContext:
    """One record being mapped, as every part sees it: the record, the IRIs (``own``: its own nodes' IRIs as
    strings), the keyword linker (or None), the article's IRI, and the MeSH descriptors named so far (for the
    dataset's MeSH graph)."""

    def __init__(self, record: Record, iris: Iris, linker: KeywordLinker | None = None) -> None:
        self.r = record
        self.iris = iris
        self.own = iris.record(record.pmid)
        self.linker = linker
        self.article_iri = self.own.article
        self.article = uri(self.article_iri)
        self.descriptors: set[str] = set()


def defined_term(m: RecordContext, term: str, name: str, code: str) -> tuple[Triple, ...]:
    """A MeSH term as schema:DefinedTerm + skos:Concept: schema:name, skos:prefLabel, schema:termCode,
    schema:inDefinedTermSet MeSH."""
    if code.startswith("D"):
        m.descriptors.add(code)
    return term_triples(term, name, code)


_MESH_SET = uri(iri.MESH_IRI)


def iri_prefix(probe: str, tail: str) -> str | None:
    """``<probe`` without its last ``tail``: how every IRI minted like ``probe`` starts in N-Triples, for the C parts
    of the mapping (rdfgen.mapping._native), which append the part that varies and ">". None when ``probe`` needs
    escaping (an odd --base): only ``uri`` escapes, so the Python twins then make those statements."""
    if not probe.endswith(tail) or uri(probe) != f"<{probe}>":
        return None
    return f"<{probe[: len(probe) - len(tail)]}"


_OWN_PREFIXES: dict[tuple[object, ...], tuple[tuple[bool, str], ...] | None] = {}


def own_prefixes(m: RecordContext, make: Callable[..., tuple[str, ...] | None], *args: str) -> tuple[str, ...] | None:
    """``make(m, *args)``, the prefixes a C part of the mapping is handed, worked out once per base, ``make`` and
    ``args``.

    Why: ``make`` mints probe IRIs and checks that none needs escaping (``iri_prefix``), a regular expression a
    prefix and 1% of a record; yet the answer is the same for every record of a base. A record's own IRIs differ
    only by the PMID after ``{base}pubmed/`` (digits: never escaped), so the prefixes under the first record's own
    IRI become any record's by swapping that head; the others are the same for all."""
    key = (m.iris.base, make, *args)
    cached = _OWN_PREFIXES.get(key, False)
    head = f"<{m.own.article}/"
    if cached is False:
        found = make(m, *args)
        cached = None if found is None else tuple(
            (True, p[len(head):]) if p.startswith(head) else (False, p) for p in found)
        _OWN_PREFIXES[key] = cached
    if cached is None:
        return None
    return tuple(head + p if own else p for own, p in cached)


def said_in(node: str, predicates: tuple[str, ...], value: str) -> tuple[Triple, ...]:
    """One literal under each of several predicates (schema.org beside BIBO or FOAF), rendered once."""
    term = lit(value)
    return tuple((node, predicate, term) for predicate in predicates)


def given(node: str, *pairs: tuple[str, str | None]) -> Iterator[Triple]:
    """``node predicate "value"`` for each (predicate, value) the record gives: a field it lacks says nothing. One
    line a field, so adding a literal field is adding a pair."""
    for predicate, value in pairs:
        if value:
            yield node, predicate, lit(value)


def term_triples(term: str, name: str, code: str) -> tuple[Triple, ...]:
    """What a reader needs of a MeSH term wherever it is named: types, name, label, code, the MeSH term set.
    A tuple, not a generator: every record names dozens of terms."""
    label = _lit(name)
    return ((term, RDF.type, SDO.DefinedTerm), (term, RDF.type, SKOS.Concept), (term, SDO.name, label),
            (term, SKOS.prefLabel, label), (term, SDO.termCode, _lit(code)), (term, SDO.inDefinedTermSet, _MESH_SET))
