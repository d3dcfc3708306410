"""The catalog beside a store (rdfgen.sparql.catalog): built and kept in step by ``rdfgen load``, it pages, sorts,
counts facets and searches words exactly as the records say, and no search text is an error."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rdfgen.model import Deletion, Keyword, Record
from rdfgen.publish.build import publish_items
from rdfgen.sparql.catalog import CATALOG_NAME, Catalog, CatalogError, fts_query
from rdfgen.sparql.store import load_shards

from .sparql_fixtures import multi_records

PMIDS = ["1000001", "1000002", "1000003", "1000004"]


def _load(out: Path, store: Path) -> Catalog:
    st_, _report = load_shards([out], store)
    del st_
    catalog = Catalog.of_store(store, read_only=True)
    assert catalog is not None
    return catalog


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("catalog-out")
    assert publish_items(multi_records(), out, documents=False).ok
    store = tmp_path_factory.mktemp("catalog-store") / "store"
    load_shards([out], store)
    return out, store


@pytest.fixture
def catalog(loaded: tuple[Path, Path]) -> Catalog:
    found = Catalog.of_store(loaded[1], read_only=True)
    assert found is not None
    return found


def _pmids(catalog: Catalog, **kwargs: object) -> list[str]:
    return [r.pmid for r in catalog.page(limit=100, **kwargs).records]  # type: ignore[arg-type]


def test_every_record_is_listed_with_what_it_says(catalog: Catalog) -> None:
    records = {r.pmid: r for r in multi_records()}
    page = catalog.page(limit=10)
    assert page.total == len(catalog) == 4
    for listed in page.records:
        source = records[listed.pmid]
        assert listed.title == source.title
        assert listed.authors == tuple(a.display_name for a in source.authors)
        assert listed.journal == "Journal of Tests"
        assert listed.date[:4] == str(source.pub_date.year)  # type: ignore[union-attr]


def test_sort_orders_and_paging(catalog: Catalog) -> None:
    assert _pmids(catalog, sort="date") == ["1000004", "1000002", "1000003", "1000001"]
    assert _pmids(catalog, sort="title") == ["1000001", "1000004", "1000002", "1000003"]
    assert _pmids(catalog, sort="pmid") == ["1000004", "1000003", "1000002", "1000001"]
    first, second = catalog.page(sort="pmid", limit=3), catalog.page(sort="pmid", offset=3, limit=3)
    assert first.total == second.total == 4
    assert [r.pmid for r in first.records + second.records] == _pmids(catalog, sort="pmid")
    with pytest.raises(CatalogError):
        catalog.page(sort="popularity")


def test_words_from_titles_abstracts_authors_keywords_and_mesh(catalog: Catalog) -> None:
    assert _pmids(catalog, text="retracted", sort="pmid") == ["1000002"]  # title and abstract
    assert _pmids(catalog, text="review", sort="pmid") == ["1000004"]  # abstract
    assert _pmids(catalog, text="Dan Green", sort="pmid") == ["1000003"]  # an author
    assert _pmids(catalog, text="smith", sort="pmid") == ["1000004", "1000002", "1000001"]  # ORCID person
    assert _pmids(catalog, text="MRI", sort="pmid") == ["1000002"]  # keyword
    assert _pmids(catalog, text="neoplasms", sort="pmid") == ["1000004", "1000002", "1000001"]  # MeSH
    assert _pmids(catalog, text="artic", sort="pmid") == PMIDS[::-1]  # a prefix
    assert _pmids(catalog, text="test article fourth") == ["1000004"]  # every word, any order
    assert _pmids(catalog, text="nothing-like-this") == []


def test_facets_count_the_records(catalog: Catalog) -> None:
    assert catalog.facet_counts("year") == [("2021", 1), ("2020", 3)]
    assert catalog.facet_counts("journal") == [("Journal of Tests", 4)]
    assert catalog.facet_counts("type") == [("Journal Article", 4), ("Retracted Publication", 1), ("Review", 1)]
    # major topics only: a heading is one when its descriptor or one of its qualifiers is (PubMed's asterisk)
    assert catalog.facet_counts("mesh") == [("Neoplasms", 2), ("Diagnostic Imaging", 1)]
    assert catalog.facet_counts("keyword") == [("PET", 2), ("Imaging", 1), ("MRI", 1), ("imaging", 1)]
    assert catalog.facet_counts("year", text="neoplasms") == [("2021", 1), ("2020", 2)]
    narrowed = [("year", "2020"), ("keyword", "PET")]
    assert catalog.facet_counts("type", facets=narrowed) == [("Journal Article", 1)]
    assert _pmids(catalog, facets=narrowed) == ["1000001"]
    with pytest.raises(CatalogError):
        catalog.facet_counts("colour")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_no_search_text_is_an_error(text: str) -> None:
    """Whatever a user types (quotes, AND, NEAR(, column filters, stars), the catalog answers."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE words USING fts5(title, tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO words(rowid, title) VALUES (1, 'Neuroendocrine tumours: imaging')")
    query = fts_query(text)
    if query:
        db.execute("SELECT rowid FROM words WHERE words MATCH ?", (query,)).fetchall()


def test_accents_and_case_do_not_matter(tmp_path: Path) -> None:
    record = Record(pmid="3000001", title="Étude des tumeurs neuroendocrines", keywords=(Keyword("Ångström"),))
    out, store = tmp_path / "out", tmp_path / "store"
    assert publish_items([record], out, documents=False).ok
    catalog = _load(out, store)
    assert _pmids(catalog, text="etude TUMEURS") == ["3000001"]
    assert _pmids(catalog, text="angstrom") == ["3000001"]


def test_updates_and_deletions_reach_the_catalog(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "store"
    records = multi_records()
    assert publish_items(records, out, documents=False).ok
    assert len(_load(out, store)) == 4
    revised = replace(records[0], title="First test article, revised")
    assert publish_items([revised, Deletion(("1000003",))], out, documents=False).ok
    catalog = _load(out, store)
    assert _pmids(catalog, sort="pmid") == ["1000004", "1000002", "1000001"]
    assert _pmids(catalog, text="revised") == ["1000001"]
    assert catalog.facet_counts("year") == [("2021", 1), ("2020", 2)]


def test_a_lost_catalog_is_rebuilt_by_the_next_load(tmp_path: Path) -> None:
    """A load killed between the store's commit and the catalog's, or a store from before catalogs, catches up."""
    out, store = tmp_path / "out", tmp_path / "store"
    assert publish_items(multi_records(), out, documents=False).ok
    assert len(_load(out, store)) == 4
    (store / CATALOG_NAME).unlink()
    assert Catalog.of_store(store, read_only=True) is None
    assert len(_load(out, store)) == 4  # nothing to apply, the catalog is rebuilt
    with Catalog(store / CATALOG_NAME) as catalog:
        catalog.db.execute("DELETE FROM indexed")
        catalog.db.execute("DELETE FROM records WHERE pmid = 1000002")
        catalog.db.commit()
    assert _pmids(_load(out, store), sort="pmid") == PMIDS[::-1]


def test_links_list_a_resources_articles(catalog: Catalog) -> None:
    """What the journal, person and MeSH pages list: by journal IRI (in volume and issue order), by ORCID person
    (one IRI across records), by MeSH heading and by the descriptor a keyword maps to."""
    from rdfgen.iris import Iris

    from .sparql_fixtures import ALICE, JOURNAL

    iris = Iris()
    journal = iris.journal_iri(iris.journal_key(JOURNAL))  # type: ignore[arg-type]
    assert _pmids(catalog, facets=[("journal-iri", journal)], sort="volume") == \
        ["1000002", "1000001", "1000004", "1000003"]
    volumes = [(r.volume, r.issue) for r in catalog.page(facets=[("journal-iri", journal)], sort="volume").records]
    assert volumes[:2] == [("1", "2"), ("1", "1")]
    alice = str(iris.author("1000001", 1, ALICE))
    assert _pmids(catalog, facets=[("author-iri", alice)], sort="pmid") == ["1000004", "1000002", "1000001"]
    assert _pmids(catalog, facets=[("descriptor", "D009369")], sort="pmid") == ["1000004", "1000002", "1000001"]
    assert catalog.facet_counts("descriptor", limit=2) == [("D006801", 3), ("D009369", 3)]
