"""Pages from a large store, asserted on small data: what a page reads is bounded by the record, not by the dataset
or by the popularity of a shared node (a journal, an ORCID person), and the index reads records a page at a time."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, URIRef

from rdfgen.iris import Iris
from rdfgen.server.app import create_app
from rdfgen.server.pages import resource_page
from rdfgen.server.site import Listing, Site
from rdfgen.sparql.store import load
from rdfgen.vocab import SDO
from tests.test_server import Client

pytest_plugins = ["tests.sparql_fixtures"]

IRIS = Iris()
JOURNAL = f"{IRIS.base}journal/1234-5678"
ALICE = "https://orcid.org/0000-0002-1825-0097"


@pytest.fixture(scope="module")
def site(multi_build: Path) -> Site:
    return Site(load([multi_build])[0], None, IRIS.base, 1000, time.time())


def test_inverse_links_stop_at_the_limit_and_count_the_rest(site: Site) -> None:
    triples, links = site.describe(JOURNAL, links=2)
    pointing = [t for t in triples if str(t[2]) == JOURNAL]
    assert len(pointing) == 2
    assert links == site.count_links(JOURNAL) > 2  # every volume of the four articles points at the journal
    all_triples, all_links = site.describe(JOURNAL, links=1000)
    assert all_links == links == len([t for t in all_triples if str(t[2]) == JOURNAL])


def test_a_popular_nodes_page_lists_the_first_links_and_a_query_for_all(site: Site, multi_build: Path) -> None:
    triples, links = site.describe(JOURNAL, links=1)
    graph = Graph()
    for t in triples:
        graph.add(t)
    html = resource_page(graph, URIRef(JOURNAL), site.local, links)
    assert f"The first 1 of {links:,} statements" in html and 'href="/sparql?query=SELECT' in html
    page = Client(create_app(multi_build)).get("/journal/1234-5678.html").text
    assert "Journal of Tests" in page and "The first" not in page  # a few links: all listed, no note


def test_a_record_does_not_carry_an_orcid_persons_other_affiliations(site: Site) -> None:
    """Alice is affiliated in 1000001 and 1000002; each record's document has only its own affiliation of hers."""
    for pmid in ("1000001", "1000002"):
        affiliations = {str(o) for s, p, o in site.record_triples(pmid) if str(s) == ALICE and p == SDO.affiliation}
        assert affiliations == {f"{IRIS.base}pubmed/{pmid}/author/1/affiliation/1"}


def test_index_reads_pages_of_records_in_order(site: Site) -> None:
    entries = site.entries
    assert isinstance(entries, Listing) and len(entries) == 4
    assert [e.pmid for e in entries[:4]] == ["1000004", "1000002", "1000003", "1000001"]  # newest first
    assert entries[1].title == "Second test article, retracted"
    assert entries[:1][0].authors == ("Alice Smith", "Carol Brown")
    found = site.search("SMITH imaging")  # a word in an author's name and one in a keyword, any case
    assert [e.pmid for e in found[:10]] == ["1000002", "1000001"] and len(found) == 2
    assert len(site.search("no such word")) == 0


def test_is_record_is_a_lookup_of_the_records_graph(site: Site) -> None:
    assert site.is_record("1000001") and not site.is_record("1000099") and not site.is_record("x")
    assert site.store.contains_named_graph(ox.NamedNode(str(IRIS.graph("1000001"))))


@pytest.mark.parametrize("pmid", ["1000001", "1000002", "1000003", "1000004"])
def test_a_records_triples_from_the_store_hold_its_published_document(site: Site, multi_build: Path,
                                                                     pmid: str) -> None:
    """Read from the store by point lookups (ORCID persons predicate by predicate), a record has every statement of
    its published .nt, and of its ORCID persons exactly those (the shared graph may know more of a cited work: what
    other records say of it)."""
    published = {t for t in Graph().parse(multi_build / "pubmed" / f"{pmid}.nt", format="nt")
                 if not any(isinstance(x, BNode) for x in t)}
    served = set(site.record_triples(pmid))
    assert published <= served, sorted(published - served)
    persons = {t for t in served if str(t[0]).startswith("https://orcid.org/")}
    assert persons and persons == {t for t in published if str(t[0]).startswith("https://orcid.org/")}
