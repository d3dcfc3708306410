"""Resource pages' article lists (rdfgen.server.resources): a journal's articles in volume and issue order, a
person's articles, and the local MeSH descriptor and keyword pages, paged and escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from rdfgen.iris import Iris
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.model import Journal, Keyword, MeshHeading, PartialDate, Record
from rdfgen.publish.build import publish_items
from rdfgen.server.resources import PAGE_SIZE, Listing, articles_section, descriptor_page, keyword_page, page_number
from rdfgen.sparql.catalog import Catalog
from rdfgen.sparql.store import load_shards

JOURNAL = Journal(title="Annals of Tests", issn_linking="1111-2222")
NEOPLASMS = MeshHeading("D009369", "Neoplasms", major=True)


def _records() -> list[Record]:
    return [Record(pmid=str(5000001 + i), title=f"Paper {i} <b>", journal=JOURNAL, volume=str(1 + i % 12),
                   issue=str(1 + i % 3), pub_date=PartialDate(2010 + i % 10), mesh_headings=(NEOPLASMS,),
                   keywords=(Keyword("tumour <growth>"),) if i % 2 else ())
            for i in range(60)]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, enricher: MeshEnricher) -> Iterator[tuple[ox.Store, Catalog]]:
    out = tmp_path_factory.mktemp("lists-out")
    assert publish_items(_records(), out, documents=False, enricher=enricher).ok
    store_dir = tmp_path_factory.mktemp("lists-store") / "store"
    store = load_shards([out], store_dir)[0]
    catalog = Catalog.of_store(store_dir, read_only=True)
    assert catalog is not None
    yield store, catalog
    catalog.close()


def test_a_journal_lists_its_articles_by_volume_and_issue(loaded: tuple[ox.Store, Catalog]) -> None:
    iris = Iris()
    journal = iris.journal_iri(iris.journal_key(JOURNAL))  # type: ignore[arg-type]
    first = articles_section(loaded[1], Listing("Articles", "journal-iri", journal, "/journal/x", sort="volume"))
    shown = re.findall(r'<span class="meta">vol\. (\d+)\((\d+)\)', first)
    assert len(shown) == PAGE_SIZE and "Articles (60)" in first
    numbers = [(int(v), int(i)) for v, i in shown]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] == (12, 3)  # 12 after 9: numeric, not text
    assert 'rel="next"' in first and "Paper 11 &lt;b&gt;" in first
    second = articles_section(loaded[1], Listing("Articles", "journal-iri", journal, "/journal/x", sort="volume",
                                                 page=2))
    assert len(re.findall(r"<li>", second)) == 10 and 'rel="prev"' in second


def test_the_local_mesh_page(loaded: tuple[ox.Store, Catalog]) -> None:
    page = descriptor_page(*loaded, "D009369")
    assert page is not None
    assert "<h1>Neoplasms</h1>" in page and 'href="http://id.nlm.nih.gov/mesh/D009369"' in page
    assert "Articles indexed with it (60)" in page
    assert 'href="/mesh/D' in page  # narrower terms the dataset's MeSH graph names link to local pages
    assert descriptor_page(*loaded, "D000000001") is None


def test_the_keyword_page(loaded: tuple[ox.Store, Catalog]) -> None:
    page = keyword_page(loaded[1], "tumour <growth>")
    assert page is not None and "Articles with this keyword (30)" in page and "tumour &lt;growth&gt;" in page
    assert keyword_page(loaded[1], "nothing like it") is None


def test_page_numbers() -> None:
    assert page_number(None) == page_number("") == 1 and page_number("7") == 7
    for bad in ("0", "-1", "x", "99999"):
        with pytest.raises(ValueError):
            page_number(bad)


def test_an_unknown_value_lists_nothing(loaded: tuple[ox.Store, Catalog]) -> None:
    assert articles_section(loaded[1], Listing("Articles", "author-iri", "http://example.org/nobody", "/x")) == ""
