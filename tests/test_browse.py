"""The index page from the catalog (rdfgen.server.browse): paging, sorting, facets and search, each a GET URL that
reads back as the same state; text from records is escaped."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rdfgen.model import Journal, Keyword, PartialDate, Record
from rdfgen.publish.build import publish_items
from rdfgen.server.browse import PAGE_SIZE, BrowseError, BrowseQuery, browse_page
from rdfgen.sparql.catalog import Catalog
from rdfgen.sparql.store import load_shards

RECORDS = 120


def _records() -> list[Record]:
    journals = [Journal(title="Journal of Tests"), Journal(title="Annals of <Markup> & Co")]
    return [Record(pmid=str(4000001 + i), title=f"Article {i:03d} on {'imaging' if i % 3 == 0 else 'surgery'}",
                   journal=journals[i % 2], pub_date=PartialDate(2000 + i % 5, 1 + i % 12),
                   keywords=(Keyword("PET"),) if i % 4 == 0 else ())
            for i in range(RECORDS)] + [Record(pmid="4999999", title="<script>alert(1)</script> & more")]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    out = tmp_path_factory.mktemp("browse-out")
    assert publish_items(_records(), out, documents=False).ok
    store = tmp_path_factory.mktemp("browse-store") / "store"
    load_shards([out], store)
    found = Catalog.of_store(store, read_only=True)
    assert found is not None
    return found


def _listed(page: str) -> list[str]:
    return re.findall(r'<li><a href="/pubmed/(\d+)">', page)


def _query(url: str) -> BrowseQuery:
    return BrowseQuery.from_params(parse_qs(urlsplit(url).query))


def test_pages_of_fifty_with_links_between_them(catalog: Catalog) -> None:
    first = browse_page(catalog, BrowseQuery(sort="pmid"))
    assert f"{RECORDS + 1:,} records." in first
    assert _listed(first) == [str(p) for p in [4999999, *range(4000000 + RECORDS, 4000000 + RECORDS - 49, -1)]]
    assert 'rel="next"' in first and 'rel="prev"' not in first and "page 1 of 3" in first
    following = re.search(r'<a href="([^"]+)" rel="next"', first)
    assert following is not None
    second = browse_page(catalog, _query(following.group(1).replace("&amp;", "&")))
    assert len(_listed(second)) == PAGE_SIZE and not set(_listed(second)) & set(_listed(first))
    assert '<ol start="51">' in second and 'rel="prev"' in second
    last = browse_page(catalog, BrowseQuery(sort="pmid", page=3))
    assert len(_listed(last)) == RECORDS + 1 - 2 * PAGE_SIZE and 'rel="next"' not in last


def test_facets_narrow_and_count(catalog: Catalog) -> None:
    page = browse_page(catalog, BrowseQuery())
    assert re.search(r'>PET</a> \(30\)</li>', page)
    link = re.search(r'<a href="([^"]+)">PET</a>', page)
    assert link is not None
    narrowed = _query(link.group(1).replace("&amp;", "&"))
    assert narrowed.facets == (("keyword", "PET"),)
    shown = browse_page(catalog, narrowed)
    assert "30 of 121 records" in shown and len(_listed(shown)) == 30
    both = BrowseQuery(text="imaging", facets=(("keyword", "PET"), ("year", "2000")))
    pmids = _listed(browse_page(catalog, both))
    assert pmids == [str(4000001 + i) for i in range(RECORDS) if i % 3 == 0 and i % 4 == 0 and i % 5 == 0][::-1]
    assert "(remove)" in browse_page(catalog, both)


def test_sorting_by_title(catalog: Catalog) -> None:
    pmids = _listed(browse_page(catalog, BrowseQuery(sort="title")))
    assert pmids[:3] == ["4999999", "4000001", "4000002"]  # "<script>..." sorts before "Article 000"


def test_record_text_is_escaped(catalog: Catalog) -> None:
    page = browse_page(catalog, BrowseQuery(text="alert"))
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "Annals of &lt;Markup&gt; &amp; Co" in browse_page(catalog, BrowseQuery())


def test_bad_requests_are_errors_not_crashes() -> None:
    for params in ({"page": ["0"]}, {"page": ["x"]}, {"page": ["999999"]}, {"q": ["w " * 600]}):
        with pytest.raises(BrowseError):
            BrowseQuery.from_params(params)
    assert BrowseQuery.from_params({"sort": ["popularity"]}).sort == "date"
    assert BrowseQuery.from_params({"colour": ["red"], "year": ["", "2001"]}).facets == (("year", "2001"),)


@given(text=st.text(max_size=30), facets=st.lists(st.tuples(st.sampled_from(["year", "journal", "type", "mesh",
                                                                                 "keyword"]),
                                                             st.text(min_size=1, max_size=20)), max_size=3),
       sort=st.sampled_from(["date", "title", "pmid"]), page=st.integers(1, 2000))
def test_every_state_reads_back_from_its_url(text: str, facets: list[tuple[str, str]], sort: str, page: int) -> None:
    state = BrowseQuery(" ".join(text.split()), tuple(dict.fromkeys(facets)), sort, page)
    back = _query(state.url())
    assert (back.text, back.sort, back.page) == (state.text, state.sort, state.page)
    assert sorted(back.facets) == sorted(state.facets)


def test_a_store_without_a_catalog_has_none(tmp_path: Path) -> None:
    assert Catalog.of_store(tmp_path, read_only=True) is None
