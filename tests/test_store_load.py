"""`rdfgen load` from a build's shards: manifest order, records replaced atomically, deletions, resuming.

Shards are made the way the brief of the sharded build describes them: each input is built with ``--no-documents``
and its dataset.nq.gz (own quads, then shared ones, per record; the MeSH block at the end) becomes
``shards/NAME.nq.gz``; the manifest is written here. Records come from bench/generate.py, cut down (no references,
abstracts..., one MeSH heading, two authors) and cloned under new PMIDs so that a few thousand of them build and
load in seconds; what is left still has blank nodes (author lists), shared statements and a MeSH block.

Loads relabel blank nodes, so graphs are compared as multisets of N-Triples lines with blank node labels blanked.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from lxml import etree

from rdfgen.cli import main
from rdfgen.iris import Iris
from rdfgen.sparql import store as store_module
from rdfgen.sparql.store import LOAD_STATE, ShardReport, StoreError, load, load_shards, read_manifest

ROOT = Path(__file__).parent.parent
IRIS = Iris()
SHARED = f"<{IRIS.shared_graph()}>"
MESH = f"<{IRIS.mesh_graph()}>"
STATISTICS = f"<{IRIS.base}statistics#graph>"
_BNODE = re.compile(r"_:[A-Za-z0-9_.-]+")
_CUT = ("ReferenceList", "Abstract", "OtherAbstract", "ChemicalList", "KeywordList", "GrantList", "History",
        "CommentsCorrectionsList", "InvestigatorList", "DataBankList", "ELocationID", "AffiliationInfo", "ArticleDate")
_SHORTEN = {"MeshHeadingList": 1, "AuthorList": 2, "PublicationTypeList": 1}

Graphs = dict[str, Counter[str]]


# Inputs: generated records, cut down and cloned ---------------------------------------------------------------------


def _generated(n: int, seed: int) -> list[etree._Element]:
    """n records of bench/generate.py, without what makes them slow to build and load."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import iter_records  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    xml = "<PubmedArticleSet>" + "".join(iter_records(n, seed)) + "</PubmedArticleSet>"
    root = etree.fromstring(xml.encode(), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    for tag in _CUT:
        for el in list(root.iter(tag)):
            el.getparent().remove(el)
    for el in list(root.iter("ArticleId")):
        if el.get("IdType") != "pubmed":
            el.getparent().remove(el)
    for tag, keep in _SHORTEN.items():
        for el in root.iter(tag):
            for child in list(el)[keep:]:
                el.remove(child)
    return list(root.iterfind("PubmedArticle"))


def _pmid(article: etree._Element) -> str:
    return article.findtext("MedlineCitation/PMID") or ""


def _clone(article: etree._Element, offset: int) -> etree._Element:
    """The record under PMID + offset (a distinct record for the store, at no cost to generate)."""
    new = copy.deepcopy(article)
    pmid = str(int(_pmid(article)) + offset)
    for el in new.iter("PMID", "ArticleId"):
        if el.tag == "PMID" or el.get("IdType") == "pubmed":
            el.text = pmid
    return new


def _revised(article: etree._Element, title: str) -> etree._Element:
    """A new version: another title and, if it has two authors, only the first (its author list changes)."""
    new = copy.deepcopy(article)
    el = new.find("MedlineCitation/Article/ArticleTitle")
    assert el is not None
    for child in list(el):
        el.remove(child)
    el.text = title
    authors = new.find("MedlineCitation/Article/AuthorList")
    if authors is not None and len(authors) > 1:
        authors.remove(authors[-1])
    return new


def _write_xml(path: Path, articles: Sequence[etree._Element], deleted: Sequence[str] = ()) -> Path:
    root = etree.Element("PubmedArticleSet")
    for a in articles:
        root.append(copy.deepcopy(a))
    if deleted:
        deletion = etree.SubElement(root, "DeleteCitation")
        for pmid in deleted:
            etree.SubElement(deletion, "PMID", Version="1").text = pmid
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    return path


# Shards and manifests -------------------------------------------------------------------------------------------------


def build_shard(out: Path, name: str, xml: Path, deleted: Sequence[str] = ()) -> dict[str, Any]:
    """``rdfgen build --no-documents`` of one input; its dataset.nq.gz becomes ``out/shards/NAME.nq.gz``. Returns the
    manifest entry."""
    work = out.parent / f"{out.name}.build-{name}"
    shutil.rmtree(work, ignore_errors=True)
    result = CliRunner().invoke(main, ["build", "-q", "--no-documents", "--no-validate", "--out", str(work), str(xml)])
    assert result.exit_code == 0, result.output
    shard = out / "shards" / f"{name}.nq.gz"
    shard.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(work / "dataset.nq.gz", shard)
    shutil.rmtree(work)
    return {"input": xml.name, "shard": f"shards/{name}.nq.gz", "size": xml.stat().st_size,
            "shard_sha256": hashlib.sha256(shard.read_bytes()).hexdigest(), "rdfgen": "0.1.0",
            "deleted": list(deleted)}


def write_manifest(out: Path, entries: Sequence[dict[str, Any]]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    doc = {"format": "rdfgen-manifest/1", "base": IRIS.base, "inputs": list(entries)}
    (out / "manifest.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return out


def sharded(out: Path, entries: Sequence[dict[str, Any]], shards_from: Path) -> Path:
    """A build folder listing ``entries`` whose shard files are copies of those in ``shards_from``."""
    (out / "shards").mkdir(parents=True, exist_ok=True)
    for e in entries:
        shutil.copy(shards_from / e["shard"], out / e["shard"])
    return write_manifest(out, entries)


def apply(outs: Sequence[Path], db: Path, **options: Any) -> ShardReport:
    """load_shards into the persistent store ``db``, closed again (RocksDB admits one writer)."""
    store, report = load_shards(outs, db, **options)
    del store
    return report


# Comparing stores -----------------------------------------------------------------------------------------------------


def graphs_of(store: ox.Store) -> Graphs:
    """Each graph's statements, as N-Triples lines with blank node labels blanked, counted."""
    out: Graphs = defaultdict(Counter)
    for line in store.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines():
        head, _, graph = line[:-2].rpartition(" ")
        out[graph][_BNODE.sub("_:", head)] += 1
    return dict(out)


def graphs_at(path: Path) -> Graphs:
    store = ox.Store.read_only(str(path))
    try:
        return graphs_of(store)
    finally:
        del store


def shard_graphs(shard: Path) -> Graphs:
    store = ox.Store()
    with gzip.open(shard, "rb") as f:
        store.load(f.read(), ox.RdfFormat.N_QUADS)
    return graphs_of(store)


def records(graphs: Graphs) -> Graphs:
    """The record graphs: not the shared, MeSH and statistics graphs, which are the dataset's as a whole."""
    return {g: q for g, q in graphs.items() if g not in (SHARED, MESH, STATISTICS)}


def graph(pmid: str) -> str:
    return f"<{IRIS.graph(pmid)}>"


def titles(graphs: Graphs, pmid: str) -> set[str]:
    """The article's schema:headline values in its record graph."""
    start = f"<{IRIS.article(pmid)}> <https://schema.org/headline> "
    return {q[len(start):].strip('"') for q in graphs.get(graph(pmid), ()) if q.startswith(start)}


# The data: a small set for exact checks, a bigger one to kill loads in ---------------------------------------------


@dataclass
class Corpus:
    folder: Path
    base: dict[str, Any]  # manifest entries, shards in folder/shards
    update: dict[str, Any]
    revised: list[str]  # PMIDs the update re-publishes with a new title
    deleted: list[str]  # PMIDs it deletes
    untouched: list[str]
    final_xml: Path  # the final state as one input
    base_xml: Path

    def out(self, name: str, *entries: dict[str, Any]) -> Path:
        return sharded(self.folder / name, entries, self.folder)


def _corpus(folder: Path, n: int, clones: int, seed: int, revise_every: int, delete: int) -> Corpus:
    generated = _generated(n, seed)
    articles = [_clone(a, k * 10_000_000) if k else a for k in range(clones) for a in generated]
    revised = articles[1::revise_every]
    gone = [a for a in articles if a not in revised][-delete:]
    new = {_pmid(a): _revised(a, f"Revised title of {_pmid(a)}.") for a in revised}
    deleted = [_pmid(a) for a in gone]
    base_xml = _write_xml(folder / "base" / "pubmed.xml", articles)
    update_xml = _write_xml(folder / "update" / "pubmed.xml", list(new.values()), deleted)
    final_xml = _write_xml(folder / "final" / "pubmed.xml", [new.get(_pmid(a), a) for a in articles if a not in gone])
    touched = set(new) | set(deleted)
    return Corpus(folder, build_shard(folder, "base", base_xml), build_shard(folder, "update", update_xml, deleted),
                  list(new), deleted, [_pmid(a) for a in articles if _pmid(a) not in touched], final_xml, base_xml)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """60 records; the update revises 15 and deletes 5."""
    return _corpus(tmp_path_factory.mktemp("small"), 60, 1, seed=21, revise_every=4, delete=5)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """2,000 records (400 generated, 5 clones each); the update revises 200 and deletes 40."""
    return _corpus(tmp_path_factory.mktemp("big"), 400, 5, seed=7, revise_every=10, delete=40)


@pytest.fixture(scope="module")
def small_loaded(small: Corpus, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(build folder with baseline + update, a store loaded from it)."""
    out = small.out("out", small.base, small.update)
    db = tmp_path_factory.mktemp("small-db") / "db"
    report = apply([out], db)
    assert len(report.applied) == 2 and report.deleted == len(small.deleted)
    return out, db


# Tests ----------------------------------------------------------------------------------------------------------------


def test_baseline_and_update_shards_equal_a_fresh_build_of_the_final_state(
        small: Corpus, small_loaded: tuple[Path, Path], tmp_path: Path) -> None:
    _, db = small_loaded
    got = graphs_at(db)
    work = tmp_path / "final"
    result = CliRunner().invoke(main, ["build", "-q", "--no-documents", "--no-validate", "--out", str(work),
                                       str(small.final_xml)])
    assert result.exit_code == 0, result.output
    fresh, _ = load([work / "dataset.nq.gz"])  # the old path: the final dataset bulk loaded as it is
    want = graphs_of(fresh)
    assert records(got) == records(want)
    assert len(records(got)) == 55 and sum(map(len, records(got).values())) > 3_000
    # Shared and MeSH statements accumulate: all of the final state's, maybe more (deleted records' journals...).
    for g in (SHARED, MESH):
        assert want[g] and not want[g] - got[g], g
    for pmid in small.deleted:
        assert graph(pmid) not in got
    update = shard_graphs(small.folder / small.update["shard"])
    base = shard_graphs(small.folder / small.base["shard"])
    for pmid in small.revised:
        assert got[graph(pmid)] == update[graph(pmid)] != base[graph(pmid)]
        assert titles(got, pmid) == {f"Revised title of {pmid}."}
    for pmid in small.untouched:
        assert got[graph(pmid)] == base[graph(pmid)]


def test_author_lists_stay_whole(small_loaded: tuple[Path, Path]) -> None:
    """Blank nodes (rdf:List cells) are relabelled by every load; each list must still run from head to rdf:nil."""
    store = ox.Store.read_only(str(small_loaded[1]))
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    heads = list(store.quads_for_pattern(None, ox.NamedNode("http://purl.org/ontology/bibo/authorList"), None))
    assert len(heads) > 40
    for head in heads:
        cell, length = head.object, 0
        while cell != ox.NamedNode(rdf + "nil"):
            assert isinstance(cell, ox.BlankNode)
            rest = list(store.quads_for_pattern(cell, ox.NamedNode(rdf + "rest"), None, head.graph_name))
            assert len(rest) == 1 and list(store.quads_for_pattern(cell, ox.NamedNode(rdf + "first"), None))
            cell, length = rest[0].object, length + 1
        assert 1 <= length <= 2


def test_rerun_is_a_no_op(small_loaded: tuple[Path, Path]) -> None:
    out, db = small_loaded
    before = (db / LOAD_STATE).read_bytes()
    store = ox.Store.read_only(str(db))
    dump = store.dump(format=ox.RdfFormat.N_QUADS)
    del store
    result = CliRunner().invoke(main, ["load", str(out), "--store", str(db)])
    assert result.exit_code == 0, result.output
    assert "0 shard(s) (2 more already in the store): 0 record graph(s)" in result.output
    assert (db / LOAD_STATE).read_bytes() == before
    store = ox.Store.read_only(str(db))
    assert store.dump(format=ox.RdfFormat.N_QUADS) == dump  # not even a blank node relabelled: nothing was written


def test_no_statistics_skips_the_refresh_and_a_later_load_makes_them(small: Corpus, small_loaded: tuple[Path, Path],
                                                                      tmp_path: Path) -> None:
    """--no-statistics: the update's records and deletions go in, the stale statistics are unmarked (their rows
    stay, unread: queries fall back to their plain forms and give the rows the full load's statistics give), and
    the next load without the flag, though it has nothing to load, computes the same statistics graph a load with
    statistics made (the stale rows gone)."""
    from rdfgen.sparql.run import run
    from rdfgen.sparql.statistics import has_statistics

    baseline, db = small.out("nostat-base", small.base), tmp_path / "db"
    runner = CliRunner()
    for out, flags in ((baseline, []), (small_loaded[0], ["--no-statistics"])):
        result = runner.invoke(main, ["load", "-q", *flags, str(out), "--store", str(db)])
        assert result.exit_code == 0, result.output
    graphs = graphs_at(db)
    assert "statistics not recomputed" in result.output
    assert records(graphs) == records(graphs_at(small_loaded[1]))
    store = ox.Store.read_only(str(db))
    assert not has_statistics(store) and len(graphs[STATISTICS]) > 100  # the baseline's rows, stale and unread
    assert graphs[STATISTICS] != graphs_at(small_loaded[1])[STATISTICS]
    plain = {name: run(name, data=store).rows for name in ("mesh-frequency", "data-quality", "publication-types")}
    del store
    store = ox.Store.read_only(str(small_loaded[1]))
    assert plain == {name: run(name, data=store).rows for name in plain} and all(plain.values())
    del store
    result = runner.invoke(main, ["load", "-q", str(small_loaded[0]), "--store", str(db)])
    assert result.exit_code == 0 and "0 shard(s)" in result.output, result.output
    assert graphs_at(db)[STATISTICS] == graphs_at(small_loaded[1])[STATISTICS]


def test_repeats_skipped_across_shards_and_generations_lose_nothing(small: Corpus, small_loaded: tuple[Path, Path],
                                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    """The shared lines one load remembers (two generations, kept across shards) are only ever repeats: with
    generations of 40 lines, which turn over many times in the two shards, the store holds the very graphs the
    default load made, and repeats were skipped all the same."""
    handed: list[int] = []
    commit = store_module._ShardLoader._commit

    def counting(self: Any, group: Any) -> None:
        handed.append(len(group.bulk) + len(group.repl) + len(group.repl_shared))
        commit(self, group)

    monkeypatch.setattr(store_module, "_SEEN_LINES", 40)
    monkeypatch.setattr(store_module._ShardLoader, "_commit", counting)
    report = apply([small_loaded[0]], tmp_path / "db")
    assert graphs_at(tmp_path / "db") == graphs_at(small_loaded[1])
    lines = [line for f in (small.base["shard"], small.update["shard"]) for line in gzip.open(small.folder / f, "rb")]
    shared = [line for line in lines if line.endswith((b"shared#graph> .\n", b"mesh#graph> .\n"))]
    assert report.quads == len(lines)
    assert len(set(shared)) > 10 * 40  # the generations turned
    assert len(lines) - len(shared) + len(set(shared)) <= sum(handed) < len(lines)


def test_a_changed_shard_is_loaded_again_and_later_shards_after_it(small: Corpus, tmp_path: Path) -> None:
    db = tmp_path / "db"
    first = apply([small.out("v1", small.base, small.update)], db)
    assert [e.input for e in first.applied] == ["pubmed.xml", "pubmed.xml"]
    # The update file is rebuilt with other titles: only it is applied again.
    pmid, kept = small.revised[0], small.untouched[0]
    articles = {_pmid(a): a for a in etree.parse(str(small.base_xml)).getroot().iterfind("PubmedArticle")}
    xml = _write_xml(tmp_path / "update2" / "pubmed.xml", [_revised(articles[p], f"Second revision of {p}.")
                                                          for p in small.revised], small.deleted)
    update2 = build_shard(tmp_path / "shards2", "update", xml, small.deleted)
    second = apply([_with(tmp_path / "v2", small, small.base, update2, tmp_path / "shards2")], db)
    assert len(second.skipped) == 1 and len(second.applied) == 1 and second.replaced == len(small.revised)
    got = graphs_at(db)
    assert titles(got, pmid) == {f"Second revision of {pmid}."}
    # The baseline is rebuilt (one record changed): it and the update after it are applied again, so the update's
    # versions still win over the baseline's.
    base_xml = _write_xml(tmp_path / "base2" / "pubmed.xml", [
        _revised(a, "Changed in the baseline.") if p in (pmid, kept) else a for p, a in articles.items()])
    base2 = build_shard(tmp_path / "shards3", "base", base_xml)
    third = apply([_with(tmp_path / "v3", small, base2, update2, tmp_path / "shards3", tmp_path / "shards2")], db)
    assert len(third.skipped) == 0 and len(third.applied) == 2
    got = graphs_at(db)
    assert titles(got, pmid) == {f"Second revision of {pmid}."}
    assert titles(got, kept) == {"Changed in the baseline."}
    assert not any(graph(p) in got for p in small.deleted)


def _with(out: Path, small: Corpus, base: dict[str, Any], update: dict[str, Any], *folders: Path) -> Path:
    """A build folder of ``base`` then ``update``, each shard copied from the first of ``folders`` (or the corpus)
    that has it."""
    (out / "shards").mkdir(parents=True, exist_ok=True)
    for entry in (base, update):
        source = next(f / entry["shard"] for f in (*folders, small.folder) if (f / entry["shard"]).is_file()
                       and hashlib.sha256((f / entry["shard"]).read_bytes()).hexdigest() == entry["shard_sha256"])
        shutil.copy(source, out / entry["shard"])
    return write_manifest(out, [base, update])


def test_a_shard_that_is_not_the_one_in_the_manifest_is_refused(small: Corpus, tmp_path: Path) -> None:
    out = small.out("bad", small.base)
    shard = out / small.base["shard"]
    shard.write_bytes(shard.read_bytes() + gzip.compress(b""))  # one more (empty) member: same quads, other bytes
    assert read_manifest(out)[0].shard == shard
    with pytest.raises(StoreError, match="sha256 differs"):
        load_shards([out], tmp_path / "db")
    assert len(ox.Store.read_only(str(tmp_path / "db"))) == 0


def test_a_failed_load_resumes_after_its_last_commit(small: Corpus, small_loaded: tuple[Path, Path], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A load that stops after a few commits (here an error; test_kill_9 kills the process) leaves a checkpoint;
    the rerun reads past what was committed and ends where an uninterrupted load does."""
    out = small.out("resume", small.base, small.update)
    db = tmp_path / "db"
    commit = store_module._ShardLoader._commit
    calls = 0

    def failing(self: Any, group: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise StoreError("disk full")
        commit(self, group)

    monkeypatch.setattr(store_module._ShardLoader, "_commit", failing)
    with pytest.raises(StoreError, match="disk full"):
        load_shards([out], db, group_quads=500)
    monkeypatch.undo()
    state = json.loads((db / LOAD_STATE).read_text())
    assert state["loaded"] == [] and state["partial"]["index"] == 0 and state["partial"]["lines"] >= 1_500
    report = apply([out], db, group_quads=500)
    total = sum(1 for e in (small.base, small.update) for _ in gzip.open(out / e["shard"]))
    assert report.quads == total - state["partial"]["lines"]
    assert graphs_at(db) == graphs_at(small_loaded[1])


def test_manifest_folders_and_other_inputs_load_together(small: Corpus, tmp_path: Path) -> None:
    """A folder with only a dataset.nq.gz (the old layout) still loads as before, beside a sharded one."""
    out = small.out("mixed", small.base)
    work, old = tmp_path / "work", tmp_path / "old"
    fixture = ROOT / "tests" / "data" / "xml" / "dreamytang_pubmed_result.xml"
    result = CliRunner().invoke(main, ["build", "-q", "--no-documents", "--out", str(work), str(fixture)])
    assert result.exit_code == 0, result.output
    old.mkdir()
    shutil.copy(work / "dataset.nq.gz", old / "dataset.nq.gz")
    db = tmp_path / "db"
    result = CliRunner().invoke(main, ["load", "-q", str(out), str(old), "--store", str(db)])
    assert result.exit_code == 0, result.output
    assert "60 record graph(s) (60 new, 0 replaced)" in result.output and "7 record graph(s)" in result.output
    assert len(records(graphs_at(db))) == 67


# Killing loads --------------------------------------------------------------------------------------------------------


def _load_process(out: Path, db: Path, group_quads: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "rdfgen", "load", "-q", str(out), "--store", str(db),
                             "--group-quads", str(group_quads)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _timed_load(out: Path, db: Path, group_quads: int) -> float:
    started = time.monotonic()
    proc = _load_process(out, db, group_quads)
    assert proc.wait() == 0, proc.communicate()[0].decode()
    return time.monotonic() - started


def _killed_loads(out: Path, db: Path, delays: Sequence[float], group_quads: int, graphs: Graphs,
                  check: Any) -> tuple[int, Graphs]:
    """Start a load of ``out`` and kill -9 it after each delay in turn (each next load resumes), then let one run to
    the end; ``check(before, after)`` compares the store's graphs around every load. Returns how many loads were
    killed mid-way and the graphs at the end."""
    killed = 0
    for delay in [*delays, None]:
        proc = _load_process(out, db, group_quads)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
        output = proc.communicate()[0].decode()
        if proc.returncode == -signal.SIGKILL:
            killed += 1
        else:
            assert proc.returncode == 0, output
        after = graphs_at(db)
        check(graphs, after)
        graphs = after
    return killed, graphs


def test_kill_9_at_random_points_then_rerun(big: Corpus, tmp_path: Path) -> None:
    """Loads killed at random points and rerun end with the store an uninterrupted load makes; at every kill point
    each record the store had is still there, whole, in its old or its new version (never a mix), and every record
    graph there is whole (a new record is not half added either)."""
    group = 10_000  # the baseline takes some 30 commits, the bulk loader's path; the update 4
    base_out, full_out = big.out("base-out", big.base), big.out("full-out", big.base, big.update)
    reference = tmp_path / "reference"
    base_seconds = _timed_load(base_out, reference, group)
    update_seconds = _timed_load(full_out, reference, group)
    startup = _timed_load(full_out, reference, group)  # a no-op: every shard is in the store
    want = graphs_at(reference)
    old = shard_graphs(big.folder / big.base["shard"])
    new = shard_graphs(big.folder / big.update["shard"])
    deleted = {graph(p) for p in big.deleted}

    def check(before: Graphs, after: Graphs) -> None:
        for g, quads in records(after).items():
            assert quads in (old.get(g), new.get(g)), f"{g} is neither version"
        for g in records(before):
            assert g in after or g in deleted, f"{g} was lost"

    rng = random.Random(20240607)

    def delays(seconds: float) -> list[float]:
        """Kill points spread over the load (each killed load gets a quarter of the work done, or less)."""
        return [startup + rng.uniform(0.05, 0.3) * max(seconds - startup, 0.5) for _ in range(2)]

    db = tmp_path / "db"
    # The baseline alone into an empty store (records added by the bulk loader), then baseline + update over it
    # (records replaced by SPARQL updates, deletions): each killed at two random points, then run to the end.
    killed, graphs = _killed_loads(base_out, db, delays(base_seconds), group, {}, check)
    assert records(graphs) == records(old)
    more, graphs = _killed_loads(full_out, db, delays(update_seconds), group, graphs, check)
    assert killed >= 1 and more >= 1 and killed + more >= 3, "loads ended before they were killed: too little data"
    # The statistics graph too: dropped before a load's first change and remade at its end, with rows named by their
    # counts, so a load killed anywhere and rerun ends with the statistics of a fresh load.
    assert STATISTICS in graphs and graphs == want
    assert not list(db.glob("bulk-*.sst")), "a killed bulk load's files were left behind"
