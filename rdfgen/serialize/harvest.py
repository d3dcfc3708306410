"""What harvesters read in an article's page besides its JSON-LD: Highwire Press ``citation_*`` meta tags (Google
Scholar's inclusion guidelines; Zotero's Embedded Metadata translator), Dublin Core meta tags as the fallback both
name, and FAIR Signposting's typed links (``cite-as``, ``describedby``, ``type``, ``author``, ``license``), which
the page carries as ``<link>`` elements (the template ``article.html`` writes both) and the server sends as an HTTP
``Link`` header too.

All of it is made from a :class:`~rdfgen.serialize.citation.Work`, the one reading of a record's triples that the
citation formats use too, so the page, the BibTeX and the CSL-JSON say the same thing; the static page of a build
and the server's page of the same record carry the same tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdfgen.serialize.citation import Name, Work

SCHOLARLY_ARTICLE = "https://schema.org/ScholarlyArticle"
ABOUT_PAGE = "https://schema.org/AboutPage"
DC_ELEMENTS = "http://purl.org/dc/elements/1.1/"


def _display(n: Name) -> str:
    """"Family, Given" as Scholar asks (a suffix after the given name), an organisation as named."""
    if n.literal is not None:
        return n.literal
    given = " ".join(p for p in (n.given, n.suffix) if p)
    return f"{n.family}, {given}" if given else n.family or ""


def _date(parts: tuple[int, ...]) -> str | None:
    """Scholar's ``2021/09/30`` (``2021/09``, ``2021``): as precise as the data, never padded with invented days."""
    return "/".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]) if parts else None


def citation_meta(w: Work, page: str) -> list[tuple[str, str]]:
    """The Highwire ``citation_*`` tags of a work, in the order Scholar reads them (each author followed by their
    ORCID and institutions), then the Dublin Core ones. ``page`` is the page's own URL (the abstract's page)."""
    tags: list[tuple[str, str | None]] = [("citation_title", w.title)]
    for n in w.authors:
        tags.append(("citation_author", _display(n)))
        tags.append(("citation_author_orcid", n.orcid))
        tags += [("citation_author_institution", a) for a in n.affiliations]
    container = "citation_inbook_title" if w.kind == "chapter" else "citation_journal_title"
    tags += [("citation_publication_date", _date(w.issued)), (container, w.container),
             ("citation_journal_abbrev", w.container_short if w.kind == "article" else None)]
    tags += [("citation_issn", i) for i in w.issns]
    tags += [("citation_isbn", i) for i in w.isbns]
    tags += [("citation_publisher", w.publisher), ("citation_volume", w.volume), ("citation_issue", w.issue),
             ("citation_firstpage", w.page_start or w.pagination), ("citation_lastpage", w.page_end),
             ("citation_doi", w.doi), ("citation_pmid", w.pmid), ("citation_abstract_html_url", page)]
    tags += [("citation_keywords", k) for k in w.keywords]
    tags.append(("citation_language", w.language))
    tags += [("citation_reference", r) for r in w.references]
    tags.append(("DC.title", w.title))
    tags += [("DC.creator", _display(n)) for n in w.authors]
    tags += [("DC.date", "-".join([f"{w.issued[0]:04d}", *(f"{p:02d}" for p in w.issued[1:])]) if w.issued
              else None), ("DC.type", "Text"), ("DC.source", w.container), ("DC.publisher", w.publisher),
             ("DC.language", w.language)]
    tags += [("DC.identifier", i) for i in (f"doi:{w.doi}" if w.doi else None, f"pmid:{w.pmid}" if w.pmid else None,
                                           page) if i]
    tags += [("DC.subject", k) for k in w.keywords]
    return [(name, value) for name, value in tags if value]


@dataclass(frozen=True)
class Signpost:
    """One typed link of FAIR Signposting: ``<href>; rel="rel"; type="type"``."""

    rel: str
    href: str
    type: str | None = None

    def header(self) -> str:
        return f'<{self.href}>; rel="{self.rel}"' + (f'; type="{self.type}"' if self.type else "")


def signposts(w: Work, article: str, described_by: Sequence[tuple[str, str]], license: str) -> list[Signpost]:
    """The landing page's links: ``cite-as`` the DOI (else the article IRI), ``describedby`` each metadata
    document (URL, media type), ``type`` ScholarlyArticle and AboutPage, ``author`` each ORCID, ``license``."""
    posts = [Signpost("cite-as", f"https://doi.org/{w.doi}" if w.doi else article)]
    posts += [Signpost("describedby", url, media_type) for url, media_type in described_by]
    posts += [Signpost("type", SCHOLARLY_ARTICLE), Signpost("type", ABOUT_PAGE)]
    posts += [Signpost("author", orcid) for orcid in dict.fromkeys(n.orcid for n in w.authors if n.orcid)]
    posts.append(Signpost("license", license))
    return posts


def link_header(posts: Iterable[Signpost]) -> str:
    """One ``Link`` header value (RFC 8288), links separated by commas."""
    return ", ".join(p.header() for p in posts)
