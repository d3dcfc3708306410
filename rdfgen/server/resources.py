"""Lists of articles for resource pages, from the catalog (rdfgen.sparql.catalog), a page at a time: a journal's
articles by volume and issue in numeric order, a person's articles (an ORCID person across records), and the local
pages of a MeSH descriptor (the articles indexed with it, those whose keywords map to it, its broader and narrower
terms and a link to NLM) and of an author keyword.

Nothing here grows with a node's popularity: a journal with 5,000 articles is listed 50 at a time, and narrower
terms are read to a fixed bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from markupsafe import Markup

from rdfgen.serialize.html import Link, render
from rdfgen.server.browse import record_entry
from rdfgen.sparql.catalog import Catalog, CatalogRecord

PAGE_SIZE = 50
MAX_PAGE = 2_000
NARROWER = 100
"""Narrower terms listed on a descriptor page (the first ones by label); a top-level term has hundreds."""

MESH = "http://id.nlm.nih.gov/mesh/"
DESCRIPTOR = re.compile(r"D\d{6,9}")
_SDO = "https://schema.org/"
_NAME, _CODE = ox.NamedNode(_SDO + "name"), ox.NamedNode(_SDO + "termCode")
_BROADER = ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader")
_TREE = ox.NamedNode("https://w3id.org/rdfgen/vocab#treeNumber")


@dataclass(frozen=True)
class Listing:
    """The articles a resource page lists, and the link of each page of them."""

    title: str
    facet: str
    value: str
    path: str
    sort: str = "date"
    page: int = 1

    def url(self, page: int) -> str:
        params = [("page", str(page))] if page > 1 else []
        return self.path + ("?" + urlencode(params) if params else "")


def articles_section(catalog: Catalog, listing: Listing) -> Markup:
    """A ``<section>`` with a page of the articles linked to ``listing.value``, their count and paging links; empty
    when there are none."""
    found = catalog.page(facets=[(listing.facet, listing.value)], sort=listing.sort,
                         offset=(listing.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    if not found.total:
        return Markup("")
    pages = -(-found.total // PAGE_SIZE)
    items = [record_entry(r, _volume(r) if listing.sort == "volume" else "", journal=False) for r in found.records]
    return Markup(render("_articles.html", title=listing.title, total=found.total, items=items,
                         start=(listing.page - 1) * PAGE_SIZE + 1,
                         previous=listing.url(listing.page - 1) if listing.page > 1 else "",
                         label=f"page {listing.page:,} of {pages:,}" if pages > 1 else "",
                         next=listing.url(listing.page + 1) if listing.page < min(pages, MAX_PAGE) else ""))


def _volume(r: CatalogRecord) -> str:
    """"vol. 22(3)": where a journal's article is, for its list by volume and issue."""
    return (f"vol. {r.volume}" if r.volume else "") + (f"({r.issue})" if r.issue else "")


def page_number(raw: str | None) -> int:
    """The ``page`` parameter; ValueError (a 400) when it is not a number from 1 to MAX_PAGE."""
    if raw is None or raw == "":
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise ValueError(f"page must be a number from 1 to {MAX_PAGE}")
    return int(raw)


def descriptor_page(store: ox.Store, catalog: Catalog | None, ui: str, page: int = 1) -> str | None:
    """The local page of a MeSH descriptor the dataset names; None when the store knows no such descriptor."""
    term = ox.NamedNode(MESH + ui)
    name = _first(store, term, _NAME)
    if name is None:
        return None
    broader = sorted((_first(store, b, _NAME) or b.value, b.value)
                     for b in _objects(store, term, _BROADER) if isinstance(b, ox.NamedNode))
    narrower = sorted((_first(store, n, _NAME) or n.value, n.value)
                      for n in _subjects(store, _BROADER, term, NARROWER))
    trees = sorted({q.object.value for q in store.quads_for_pattern(term, _TREE, None, None)})

    sections = Markup("")
    if catalog is not None:
        path = f"/mesh/{ui}"
        sections = (articles_section(catalog, Listing("Articles indexed with it", "descriptor", ui, path, page=page))
                    + articles_section(catalog, Listing("Articles whose keywords map to it", "mapped", ui, path,
                                                        page=page)))
    return render("mesh.html", title=f"{name} (MeSH)", name=name, ui=ui, iri=term.value, trees=trees,
                  broader=_links(broader), narrower=_links(narrower), narrower_cut=len(narrower) >= NARROWER,
                  first=NARROWER, sections=sections)


def _links(terms: list[tuple[str, str]]) -> list[Link]:
    """(label, IRI) of MeSH terms as links to their local pages."""
    return [Link(_local(iri), label) for label, iri in terms]


def keyword_page(catalog: Catalog, keyword: str, page: int = 1) -> str | None:
    """The local page of an author keyword: the articles that give it (its exact text); None when none does."""
    listing = Listing("Articles with this keyword", "keyword", keyword, "/keyword/" + quote(keyword, safe=""),
                      page=page)
    section = articles_section(catalog, listing)
    if not section:
        return None
    return render("keyword.html", title=f"{keyword} (keyword)", keyword=keyword, section=section)


def _local(iri: str) -> str:
    """A MeSH term's local page, or the IRI itself for anything else."""
    return "/mesh/" + iri[len(MESH):] if iri.startswith(MESH) and DESCRIPTOR.fullmatch(iri[len(MESH):]) else iri


def _first(store: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> str | None:
    for quad in store.quads_for_pattern(subject, predicate, None, None):
        return str(quad.object.value)
    return None


def _objects(store: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> list[ox.NamedNode]:
    return list(dict.fromkeys(q.object for q in store.quads_for_pattern(subject, predicate, None, None)))


def _subjects(store: ox.Store, predicate: ox.NamedNode, obj: ox.NamedNode, limit: int) -> list[ox.NamedNode]:
    found: dict[ox.NamedNode, None] = {}
    for quad in store.quads_for_pattern(None, predicate, obj, None):
        if isinstance(quad.subject, ox.NamedNode):
            found.setdefault(quad.subject, None)
            if len(found) >= limit:
                break
    return list(found)
