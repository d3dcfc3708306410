"""The statistics graph (rdfgen.sparql.statistics): every fast form of a library query (queries/statistics/*.rq)
returns the rows of its plain form on the fixtures, and the graph is made by a load and dropped when a record
changes, so a store never answers from stale counts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from rdfgen.iris import Iris
from rdfgen.sparql.library import ParamValues, QueryInfo, fast_form, list_queries, load_query
from rdfgen.sparql.results import Result
from rdfgen.sparql.run import run
from rdfgen.sparql.statistics import STAT, has_statistics, statistics_graph
from rdfgen.sparql.store import delete_record, load, replace_record

pytest_plugins = ["tests.sparql_fixtures"]

FAST = [info for info in list_queries() if fast_form(info) is not None]
# Parameter sets per query: the defaults (the dataset-wide form the statistics serve) and given values (the live
# branch of the fast form).
PARAMS: dict[str, list[ParamValues]] = {
    "journals-most-cited": [{}, {"pmid": "1000001"}, {"pmid": ["1000002", "1000004"]}, {"pmid": "33783695"}],
    "references-by-year": [{}, {"pmid": "1000001"}, {"pmid": ["1000002", "1000004"]}, {"pmid": "33783695"}],
    "co-authors": [{"min_articles": m, "limit": limit}
                   for m in ("1", "2", "3") for limit in ("0", "1", "2", "100", "*")],
    "related-articles": [{"pmid": pmid, "limit": limit} for pmid in ("1000001", "1000002", "1000004", "33783695")
                         for limit in ("0", "1", "2", "3", "100", "*")],
    **{name: [{"doi": doi, "limit": limit}
              for doi in ("10.1000/shared-a", "10.1000/SHARED-A", "10.1000/Shared-B", "10.1000/a1", "10.9999/none",
                          "10.1530/erc-12-0340", "*")
              for limit in ("0", "1", "2", "100", "*")] for name in ("citing-articles", "co-cited-works")},
    "authors-by-orcid": [{"limit": limit} for limit in ("0", "1", "2", "5", "8", "100", "*")]
    + [{"orcid": "0000-0002-1825-0097", "limit": limit} for limit in ("1", "2", "100")],
}


@pytest.fixture(scope="module")
def stores(seed_build: tuple[Path, object], multi_build: Path) -> list[ox.Store]:
    return [load([multi_build])[0], load([seed_build[0]])[0], load([seed_build[0], multi_build])[0]]


def plain_and_fast(info: QueryInfo, params: ParamValues, store: ox.Store) -> tuple[Result, Result]:
    """Both forms, each run as it is: a query that is not a library file (no path) is never swapped for its fast
    form, and a fast form has none of its own."""
    fast = fast_form(info)
    assert fast is not None and fast_form(fast) is None
    return run(replace(info, path=None), params, data=store), run(fast, params, data=store)


def test_the_slow_aggregates_have_fast_forms() -> None:
    assert {q.name for q in FAST} == {"journals-most-cited", "references-by-year", "mesh-frequency",
                                      "mesh-subtree-counts", "keyword-frequency", "publication-types", "co-authors",
                                      "data-quality", "citation-distribution", "authors-by-orcid", "related-articles",
                                      "citing-articles", "co-cited-works"}


@pytest.mark.parametrize("info", FAST, ids=lambda q: q.name)
def test_fast_form_returns_the_rows_of_the_plain_form(info: QueryInfo, stores: list[ox.Store]) -> None:
    found = 0
    for store in stores:
        assert has_statistics(store)
        for params in PARAMS.get(info.name, [{}]):
            plain, fast = plain_and_fast(info, params, store)
            assert plain.columns == fast.columns == list(info.columns)
            assert fast.rows == plain.rows, (info.name, params, fast.format(), plain.format())
            found += len(plain.rows)
    assert found, f"{info.name}: the fixtures give the comparison something to compare"


def test_run_reads_the_statistics_graph(multi_build: Path) -> None:
    """run() takes the fast form on a store with statistics: emptied of its rows, the counts disappear."""
    store = load([multi_build])[0]
    before = run("publication-types", data=store).values()
    assert before == [("Journal Article", "4"), ("Retracted Publication", "1"), ("Review", "1")]
    graph = statistics_graph(Iris().base)
    for quad in list(store.quads_for_pattern(None, ox.NamedNode(STAT + "publicationType"), None, graph)):
        store.remove(quad)
    assert run("publication-types", data=store).rows == []


def test_a_changed_record_drops_the_statistics_and_queries_fall_back(multi_build: Path) -> None:
    store = load([multi_build])[0]
    iris = Iris()
    assert has_statistics(store)
    own = list(store.quads_for_pattern(None, None, None, ox.NamedNode(str(iris.graph("1000004")))))
    replace_record(store, iris.graph("1000004"), own)
    assert not has_statistics(store)
    load([], store)  # a load, even of nothing, recomputes them
    assert has_statistics(store)
    delete_record(store, iris.graph("1000004"))
    assert not has_statistics(store)
    # 1000004 (Alice, Carol) is gone: the pair is left with 1000001 alone, below the default threshold of 2.
    pairs = {(r[0], r[2]) for r in run(load_query("co-authors"), data=store).values()}
    assert ("https://orcid.org/0000-0002-1694-233X", "https://orcid.org/0000-0002-1825-0097") not in pairs
    assert pairs == {("https://orcid.org/0000-0001-5109-3700", "https://orcid.org/0000-0002-1825-0097")}


def test_statistics_are_not_in_the_record_graphs(multi_build: Path) -> None:
    store = load([multi_build])[0]
    graph = statistics_graph(Iris().base)
    rows = {q.subject for q in store.quads_for_pattern(None, None, None, graph)}
    assert len(rows) > 10
    assert all(q.graph_name == graph for row in rows for q in store.quads_for_pattern(row, None, None, None))
    # Every statement in the statistics' namespace is in their graph: a record's graph (its document) has none.
    assert all(q.graph_name == graph for q in store if q.predicate.value.startswith(STAT))
    # A DoiKey row for each node with a DOI, folded.
    keys = {(s["work"], s["key"].value) for s in store.query(
        f"SELECT ?work ?key {{ ?row a <{STAT}DoiKey> ; <{STAT}key> ?key ; <{STAT}work> ?work }}",
        use_default_graph_as_union=True)}
    dois = {(q.subject, q.object.value.lower())
            for q in store.quads_for_pattern(None, ox.NamedNode("http://purl.org/ontology/bibo/doi"), None, None)}
    assert keys == dois and ("10.1000/shared-a" in {k for _, k in keys})


def test_statistics_of_another_format_are_not_read(multi_build: Path) -> None:
    """A store whose statistics an older rdfgen made (another format, maybe lacking a row class a fast form reads)
    answers from the plain forms, with the same rows."""
    from rdfgen.sparql.statistics import STATISTICS_FORMAT

    store = load([multi_build])[0]
    expected = run("citation-distribution", data=store).rows
    assert has_statistics(store) and expected
    graph = next(g for g in store.named_graphs() if g.value.endswith("statistics#graph"))
    store.update(f'DELETE WHERE {{ GRAPH {graph} {{ ?row a <{STAT}CitationCount> ; ?p ?o }} }} ; '
                 f'DELETE DATA {{ GRAPH {graph} {{ {graph} <{STAT}format> "{STATISTICS_FORMAT}" }} }} ; '
                 f'INSERT DATA {{ GRAPH {graph} {{ {graph} <{STAT}format> "1" }} }}')
    assert not has_statistics(store)
    assert run("citation-distribution", data=store).rows == expected


KEPT = {"co-cited-works": ("CoCitedList", "CoCited", "coCitations", "1000"),
        "citing-articles": ("CitingList", "Citing", "title", '"tampered"')}


@pytest.mark.parametrize("kept", [1, 2, 100])
@pytest.mark.parametrize("name", list(KEPT))
def test_listings_of_much_cited_dois_come_from_kept_rows(name: str, kept: int, seed_build: tuple[Path, object],
                                                         multi_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every DOI counts as much cited (threshold 1), and `kept` rows are kept per DOI: the fast form answers from
    them when they answer the limit asked (all rows when they are complete), else runs live, and both give the
    plain form's rows. Changing a kept row changes the answer: the rows are what the fast form reads."""
    from rdfgen.sparql import statistics

    monkeypatch.setattr(statistics, "CO_CITED_MIN_ARTICLES", 1)
    monkeypatch.setattr(statistics, "_kept", lambda name: kept)
    info = load_query(name)
    list_class, row_class, prop, tampered = KEPT[name]
    for store in (load([multi_build])[0], load([seed_build[0], multi_build])[0]):
        lists = {s["key"].value: (int(s["kept"].value), s["complete"].value == "true") for s in store.query(
            f"SELECT ?key ?kept ?complete {{ ?l a <{STAT}{list_class}> ; <{STAT}key> ?key ; <{STAT}kept> ?kept ; "
            f"<{STAT}complete> ?complete }}", use_default_graph_as_union=True)}
        for doi in ("10.1000/shared-a", "10.1000/shared-b"):
            total = len(run(replace(info, path=None), {"doi": doi, "limit": "*"}, data=store).rows)
            assert total >= 2 and lists[doi] == (min(kept, total), total <= kept)
        for params in PARAMS[name]:
            plain, fast = plain_and_fast(info, params, store)
            assert fast.rows == plain.rows, (params, kept, fast.format(), plain.format())
        # The kept first row of shared-b, tampered with: the fast form reads it when the rows answer.
        store.update(f"""DELETE {{ GRAPH ?g {{ ?row <{STAT}{prop}> ?v }} }}
                         INSERT {{ GRAPH ?g {{ ?row <{STAT}{prop}> {tampered} }} }}
                         WHERE {{ GRAPH ?g {{ ?row a <{STAT}{row_class}> ; <{STAT}key> "10.1000/shared-b" ;
                                              <{STAT}rank> 1 ; <{STAT}{prop}> ?v }} }}""")
        column = info.columns.index("co_citations" if name == "co-cited-works" else "title")
        first = run(fast_form(info), {"doi": "10.1000/SHARED-B", "limit": "1"}, data=store).values()[0]
        assert first[column] == tampered.strip('"')
        if not lists["10.1000/shared-b"][1]:  # incomplete rows cannot answer every row: counted live
            rows = run(fast_form(info), {"doi": "10.1000/SHARED-B", "limit": "*"}, data=store).values()
            assert tampered.strip('"') not in [row[column] for row in rows]


def test_co_author_pairs_are_ranked_as_the_listing_orders_them() -> None:
    """pairRank follows co-authors' ORDER BY: most shared articles first, then author1's IRI, then author2's."""
    from rdfgen.sparql.statistics import _ranked_pairs

    def pair(a1: str, a2: str, n: int) -> list[tuple[str, object]]:
        integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
        return [("author1", ox.NamedNode(f"https://orcid.org/{a1}")), ("author2", ox.NamedNode(f"https://orcid.org/{a2}")),
                ("articles", ox.Literal(str(n), datatype=integer))]

    rows = [pair("b", "c", 2), pair("a", "d", 2), pair("c", "d", 10), pair("a", "c", 2), pair("z", "y", 3)]
    ranked = _ranked_pairs(rows)
    found = [(dict(r)["author1"].value[-1], dict(r)["author2"].value[-1], dict(r)["pairRank"].value) for r in ranked]
    assert found == [("c", "d", "1"), ("z", "y", "2"), ("a", "c", "3"), ("a", "d", "4"), ("b", "c", "5")]
