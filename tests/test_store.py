"""The embedded store: loading a build (N-Quads or per-record files) into one graph per record, and replacing or
deleting a record as a unit."""

from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from rdfgen.cli import load as load_command
from rdfgen.cli import query as query_command
from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.sparql.run import run
from rdfgen.sparql.statistics import has_statistics
from rdfgen.sparql.store import StoreError, dataset_files, delete_record, load, open_store, record_graph, replace_record

pytest_plugins = ["tests.sparql_fixtures"]

IRIS = Iris()
PMIDS = ["1000001", "1000002", "1000003", "1000004"]


def graphs(store: ox.Store) -> list[str]:
    """The record graphs (the shared graph, stated once for all records, and the statistics graph aside)."""
    return sorted(g.value for g in store.named_graphs() if not g.value.endswith(("/shared#graph", "/statistics#graph")))


def test_nquads_keep_one_graph_per_record(multi_build: Path) -> None:
    store, report = load([multi_build])
    assert dataset_files([multi_build]) == [multi_build / "dataset.nq.gz"]
    assert graphs(store) == [str(IRIS.graph(p)) for p in PMIDS]
    assert store.contains_named_graph(ox.NamedNode(str(IRIS.shared_graph())))
    assert report.graphs == set(graphs(store))
    assert len(store) == report.quads > 0


def test_record_files_go_into_their_records_graphs(multi_build: Path) -> None:
    files = sorted((multi_build / "pubmed").glob("*.nt"))
    store, _ = load(files)
    assert graphs(store) == [str(IRIS.graph(p)) for p in PMIDS]
    whole, _ = load([multi_build])
    for pmid in PMIDS:
        g = record_graph(pmid)
        assert len(list(store.quads_for_pattern(None, None, None, g))) == len(
            list(whole.quads_for_pattern(None, None, None, g)))


def test_turtle_of_a_build_with_another_base_names_its_graph_from_the_data(tmp_path: Path) -> None:
    from rdfgen.publish.documents import publish
    from tests.sparql_fixtures import multi_records

    publish(multi_records()[:1], tmp_path, base="https://example.org/pm/", validate=False)
    store, _ = load([tmp_path / "pubmed" / "1000001.ttl"])
    assert graphs(store) == ["https://example.org/pm/pubmed/1000001#graph"]


def test_a_folder_without_nquads_loads_its_record_files(multi_build: Path, tmp_path: Path) -> None:
    (tmp_path / "pubmed").mkdir()
    for f in (multi_build / "pubmed").glob("100000[12].*"):
        (tmp_path / "pubmed" / f.name).write_bytes(f.read_bytes())
    assert [f.name for f in dataset_files([tmp_path])] == ["1000001.nt", "1000002.nt"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError, match="no dataset.nq.gz"):
        dataset_files([tmp_path / "empty"])


def test_reloading_replaces_records_instead_of_merging(multi_build: Path, tmp_path: Path) -> None:
    path = tmp_path / "db"
    store, first = load([multi_build], path)
    del store
    store, second = load([multi_build], path)
    assert second.quads == first.quads


def test_replace_record_swaps_one_graph_atomically(multi_build: Path) -> None:
    from tests.sparql_fixtures import multi_records

    store, _ = load([multi_build])
    statistics = ox.NamedNode(str(IRIS.base) + "statistics#graph")
    marker = list(store.quads_for_pattern(statistics, None, None, statistics))
    assert has_statistics(store) and len(marker) == 3
    before = len(store)
    a1 = multi_records()[0]
    changed = type(a1)(**{**a1.__dict__, "title": "A corrected title"})
    g = record_graph("1000001")
    old = len(list(store.quads_for_pattern(None, None, None, g)))
    n = replace_record(store, g, record_triples(changed))
    assert n == old
    # The same statements but the statistics' marker: stale now, they are no longer read (their rows go with the
    # next refresh).
    assert len(store) == before - len(marker) and not has_statistics(store)
    card = run("article-card", {"pmid": "1000001"}, data=store)
    assert card.column("title") == ["A corrected title"]


def test_delete_record_leaves_shared_nodes_other_records_state(multi_build: Path) -> None:
    store, _ = load([multi_build])
    assert delete_record(store, IRIS.graph("1000002"))
    assert not delete_record(store, IRIS.graph("1000002"))
    assert graphs(store) == [str(IRIS.graph(p)) for p in ("1000001", "1000003", "1000004")]
    assert run("citing-articles", {"doi": "10.1000/shared-a"}, data=store).column("pmid") == ["1000001", "1000003"]
    assert run("article-card", {"pmid": "1000002"}, data=store).rows == []


def test_cli_load_then_query_the_store(multi_build: Path, tmp_path: Path) -> None:
    group = click.Group("rdfgen")
    group.add_command(load_command)
    group.add_command(query_command)
    db = tmp_path / "db"
    res = CliRunner().invoke(group, ["load", str(multi_build), "--store", str(db)])
    assert res.exit_code == 0, res.output
    assert "4 record graph(s)" in res.output
    res = CliRunner().invoke(group, ["query", "publication-types", "--store", str(db), "-f", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["type,articles", "Journal Article,4", "Retracted Publication,1", "Review,1"]
    res = CliRunner().invoke(group, ["query", "publication-types", "--store", str(tmp_path / "none")])
    assert res.exit_code == 2 and "no store there" in res.output


def test_open_store_in_memory() -> None:
    assert len(open_store()) == 0
