"""The index page from the store's catalog (rdfgen.sparql.catalog): records a page at a time, in date, title or PMID
order, narrowed by a word search and by facets with counts (year, journal, publication type, MeSH major topic,
keyword). Every state is a plain GET URL, so it can be bookmarked, shared and crawled, and works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from rdfgen.serialize.html import Link, render
from rdfgen.server.pages import dataset_script
from rdfgen.sparql.catalog import FACETS, Catalog, CatalogRecord

PAGE_SIZE = 50
MAX_PAGE = 2_000
"""Pages past this are refused (400): deep offsets cost a scan each, and 100,000 records are reached by narrowing."""

FACET_VALUES = 12
"""Values shown per facet, the most frequent first (years: the latest)."""

MAX_TEXT = 500

FACET_TITLES = {"year": "Year", "journal": "Journal", "type": "Publication type", "mesh": "MeSH major topic",
                "keyword": "Keyword"}
SORT_TITLES = {"date": "newest", "title": "title", "pmid": "PMID"}
SORTS = tuple(SORT_TITLES)
"""The index's orders (a journal's page also has volume order, rdfgen.server.resources)."""

class BrowseError(ValueError):
    """A browse request out of bounds (page number, text length): answered 400, never 500."""


@dataclass(frozen=True)
class BrowseQuery:
    """What the index shows: search words, facet values chosen, sort order and page (1-based)."""

    text: str = ""
    facets: tuple[tuple[str, str], ...] = ()
    sort: str = "date"
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> BrowseQuery:
        """From the query string; an unknown sort falls back to date order, a bad page number is an error."""
        text = " ".join((params.get("q") or [""])[0].split())
        if len(text) > MAX_TEXT:
            raise BrowseError(f"search text over {MAX_TEXT} characters")
        sort = (params.get("sort") or ["date"])[0]
        raw_page = (params.get("page") or ["1"])[0]
        if not raw_page.isdigit() or not 1 <= int(raw_page) <= MAX_PAGE:
            raise BrowseError(f"page must be a number from 1 to {MAX_PAGE}")
        facets = tuple(dict.fromkeys((f, v[:MAX_TEXT]) for f in FACETS for v in params.get(f, ()) if v))
        return cls(text, facets, sort if sort in SORTS else "date", int(raw_page))

    def url(self, **changes: object) -> str:
        """This state's URL with some parts changed (``facets``, ``sort``, ``page``, ``text``)."""
        state = {"text": self.text, "facets": self.facets, "sort": self.sort, "page": self.page, **changes}
        params: list[tuple[str, str]] = []
        if state["text"]:
            params.append(("q", str(state["text"])))
        params += list(state["facets"])  # type: ignore[arg-type]
        if state["sort"] != "date":
            params.append(("sort", str(state["sort"])))
        if state["page"] != 1:
            params.append(("page", str(state["page"])))
        return "/?" + urlencode(params) if params else "/"


def browse_page(catalog: Catalog, query: BrowseQuery, dataset: dict[str, Any] | None = None) -> str:
    """The index page for ``query``: search box, facets with counts, a page of records, links to other pages; the
    dataset's schema.org description (``dataset``) in the head."""
    found = catalog.page(text=query.text, facets=query.facets, sort=query.sort,
                         offset=(query.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, -(-found.total // PAGE_SIZE))
    return render("browse.html", title="rdfgen dataset", dataset=dataset_script(dataset), query=query,
                  summary=_summary(query, found.total, len(catalog)), sorts=_sorts(query),
                  facets=_facets(catalog, query), start=(query.page - 1) * PAGE_SIZE + 1,
                  items=[record_entry(r) for r in found.records], pages=_pager(query, pages))


def _summary(query: BrowseQuery, matching: int, total: int) -> dict[str, Any]:
    """How many records the page draws from, the words searched, and each facet value chosen with its removal."""
    chosen = [{"facet": FACET_TITLES[f].lower(), "value": v,
               "remove": query.url(facets=tuple(x for x in query.facets if x != (f, v)), page=1)}
              for f, v in query.facets]
    return {"narrowed": bool(query.text or query.facets), "matching": matching, "total": total,
            "text": query.text, "chosen": chosen}


def _sorts(query: BrowseQuery) -> list[Link]:
    """Each order, linked but for the one shown (an empty href)."""
    return [Link("" if s == query.sort else query.url(sort=s, page=1), SORT_TITLES[s]) for s in SORTS]


def _facets(catalog: Catalog, query: BrowseQuery) -> list[dict[str, Any]]:
    """Each facet with its most frequent values and their counts; a chosen value is not a link."""
    out = []
    for facet in FACETS:
        counts = catalog.facet_counts(facet, text=query.text, facets=query.facets, limit=FACET_VALUES)
        if counts:
            out.append({"title": FACET_TITLES[facet], "counts": [
                {"value": value, "count": count, "chosen": (facet, value) in query.facets,
                 "href": query.url(facets=(*query.facets, (facet, value)), page=1)} for value, count in counts]})
    return out


def record_entry(r: CatalogRecord, where: str = "", journal: bool = True) -> dict[str, str]:
    """A record as a list shows it: PMID and title, then ``where`` (volume and issue, on a journal's page), the
    first three authors ("et al." for more), the journal (unless the list is of one), the date and the PMID."""
    authors = ", ".join(r.authors[:3]) + (" et al." if len(r.authors) > 3 else "")
    details = " · ".join(x for x in (where, authors, r.journal if journal else "", r.date, f"PMID {r.pmid}") if x)
    return {"pmid": r.pmid, "title": r.title, "details": details}


def _pager(query: BrowseQuery, pages: int) -> dict[str, str] | None:
    if pages <= 1:
        return None
    last = min(pages, MAX_PAGE)
    return {"previous": query.url(page=query.page - 1) if query.page > 1 else "",
            "label": f"page {query.page:,} of {pages:,}",
            "next": query.url(page=query.page + 1) if query.page < last else ""}
