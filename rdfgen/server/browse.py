"""The index page from the store's catalog (rdfgen.sparql.catalog): records a page at a time, in date, title or PMID
order, narrowed by a word search and by facets with counts (year, journal, publication type, MeSH major topic,
keyword). Every state is a plain GET URL, so it can be bookmarked, shared and crawled, and works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from rdfgen.server.pages import escape, layout
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

_CSS = """.browse{display:flex;gap:2rem;align-items:flex-start}.browse aside{flex:0 0 14rem;font-size:.9rem}
.browse aside h2{font-size:1rem;margin:.8rem 0 .2rem}.browse aside ul{list-style:none;padding:0;margin:0}
.browse .records{flex:1;min-width:0}.chosen{font-weight:600}.pages a,.pages span{margin-right:1em}
@media (max-width:40rem){.browse{flex-direction:column}.browse aside{flex:none}}"""


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


def browse_page(catalog: Catalog, query: BrowseQuery, head: str = "") -> str:
    """The index page for ``query``: search box, facets with counts, a page of records, links to other pages."""
    found = catalog.page(text=query.text, facets=query.facets, sort=query.sort,
                         offset=(query.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    total = len(catalog)
    pages = max(1, -(-found.total // PAGE_SIZE))
    body = f"""<h1>PubMed records as linked data</h1>
{_search_form(query)}
<p class="meta">{_summary(query, found.total, total)} Sort by {_sorts(query)}.
Query them all at <a href="/sparql">/sparql</a>; download them at <a href="/download/">/download/</a>.</p>
<div class="browse">
<aside aria-label="facets">{_facets(catalog, query)}</aside>
<div class="records">
<ol start="{(query.page - 1) * PAGE_SIZE + 1}">{"".join(_entry(r) for r in found.records)}</ol>
{_pager(query, pages)}
</div>
</div>"""
    return layout("rdfgen dataset", body, head + f"<style>{_CSS}</style>\n")


def _search_form(query: BrowseQuery) -> str:
    kept = "".join(f'<input type="hidden" name="{escape(f, quote=True)}" value="{escape(v, quote=True)}">'
                   for f, v in query.facets)
    sort = f'<input type="hidden" name="sort" value="{escape(query.sort, quote=True)}">' if query.sort != "date" \
        else ""
    return (f'<form role="search" action="/" method="get"><input type="search" name="q" '
            f'value="{escape(query.text, quote=True)}" size="50" placeholder="words of a title, abstract, author, '
            f'keyword or MeSH term" aria-label="search words"> {kept}{sort}<button>Search</button></form>')


def _summary(query: BrowseQuery, matching: int, total: int) -> str:
    if not query.text and not query.facets:
        return f"{total:,} records."
    parts = [f"{matching:,} of {total:,} records"]
    if query.text:
        parts.append(f"match &ldquo;{escape(query.text)}&rdquo;")
    chosen = ", ".join(
        f'{escape(FACET_TITLES[f].lower())} {escape(v)} '
        f'<a href="{escape(query.url(facets=tuple(x for x in query.facets if x != (f, v)), page=1), quote=True)}" '
        f'aria-label="remove {escape(FACET_TITLES[f].lower(), quote=True)} {escape(v, quote=True)}">(remove)</a>'
        for f, v in query.facets)
    if chosen:
        parts.append(f"with {chosen}")
    everything = '<a href="/">all records</a>'
    return " ".join(parts) + f". Back to {everything}."


def _sorts(query: BrowseQuery) -> str:
    return ", ".join(f'<span class="chosen">{SORT_TITLES[s]}</span>' if s == query.sort
                     else f'<a href="{escape(query.url(sort=s, page=1), quote=True)}">{SORT_TITLES[s]}</a>'
                     for s in SORTS)


def _facets(catalog: Catalog, query: BrowseQuery) -> str:
    out = []
    for facet in FACETS:
        counts = catalog.facet_counts(facet, text=query.text, facets=query.facets, limit=FACET_VALUES)
        if not counts:
            continue
        items = []
        for value, count in counts:
            if (facet, value) in query.facets:
                items.append(f'<li class="chosen">{escape(value)} ({count:,})</li>')
            else:
                href = query.url(facets=(*query.facets, (facet, value)), page=1)
                items.append(f'<li><a href="{escape(href, quote=True)}">{escape(value)}</a> ({count:,})</li>')
        out.append(f"<h2>{FACET_TITLES[facet]}</h2><ul>{''.join(items)}</ul>")
    return "".join(out)


def _entry(r: CatalogRecord) -> str:
    authors = ", ".join(r.authors[:3]) + (" et al." if len(r.authors) > 3 else "")
    details = " · ".join(x for x in (authors, r.journal, r.date, f"PMID {r.pmid}") if x)
    return (f'<li><a href="/pubmed/{escape(r.pmid, quote=True)}">{escape(r.title)}</a> '
            f'<span class="meta">{escape(details)}</span></li>')


def _pager(query: BrowseQuery, pages: int) -> str:
    if pages <= 1:
        return ""
    last = min(pages, MAX_PAGE)
    parts = []
    if query.page > 1:
        parts.append(f'<a href="{escape(query.url(page=query.page - 1), quote=True)}" rel="prev">previous</a>')
    parts.append(f"<span>page {query.page:,} of {pages:,}</span>")
    if query.page < last:
        parts.append(f'<a href="{escape(query.url(page=query.page + 1), quote=True)}" rel="next">next</a>')
    return f'<nav class="pages" aria-label="pages">{"".join(parts)}</nav>'
