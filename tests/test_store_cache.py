"""The store cached beside a build folder (rdfgen.sparql.cache): made once per build, shared by `rdfgen query --data`
and `rdfgen serve --data`, replaced when the build changes, never half-made; and the CLI refusing SERVICE."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from rdfgen.cli import main
from rdfgen.sparql.cache import CACHE_DIR, cached_store
from rdfgen.sparql.catalog import Catalog
from rdfgen.sparql.run import run
from tests.conftest import SEED_PMID

CARD = ["query", "article-card", "-p", f"pmid={SEED_PMID}", "--format", "csv"]


def _quads(build: Path) -> int:
    """What the dump holds, loaded afresh in memory."""
    from rdfgen.sparql.store import load

    return len(load([build / "dataset.nq.gz"])[0])


@pytest.fixture()
def build(seed_build: tuple[Path, object], tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(seed_build[0], out, ignore=shutil.ignore_patterns(CACHE_DIR))
    return out


def test_made_once_then_reused(build: Path) -> None:
    first = cached_store(build)
    assert first is not None and first.parent == build / CACHE_DIR
    made = (first / "CURRENT").stat().st_mtime_ns
    assert cached_store(build) == first and (first / "CURRENT").stat().st_mtime_ns == made
    store = ox.Store.read_only(str(first))
    assert len(store) == _quads(build) > 0
    rows = run("article-card", {"pmid": [SEED_PMID]}, data=build).rows
    assert rows and str(rows[0][1]) == SEED_PMID
    with Catalog.of_store(first, read_only=True) as catalog:  # type: ignore[union-attr]
        assert [r.pmid for r in catalog.page(text="neuroendocrine imaging").records] == [SEED_PMID]


def test_a_changed_build_gets_a_new_store_and_old_ones_go(build: Path) -> None:
    stores = []
    for n in range(3):
        manifest = build / "manifest.json"
        manifest.write_text(manifest.read_text().replace("}", "}" + " " * (n + 1), 1))
        path = cached_store(build)
        assert path is not None
        stores.append(path)
    assert len(set(stores)) == 3
    left = sorted(p.name for p in (build / CACHE_DIR).iterdir())
    assert stores[2].name in left and stores[1].name in left and stores[0].name not in left


def test_two_processes_building_at_once_share_one_complete_store(build: Path) -> None:
    code = "import sys; from pathlib import Path; from rdfgen.sparql.cache import cached_store; " \
           "print(cached_store(Path(sys.argv[1])))"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(build)], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    paths = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert len(paths) == 1
    (path,) = paths
    assert Path(path).is_dir() and len(ox.Store.read_only(path)) == _quads(build)
    assert not [p for p in (build / CACHE_DIR).iterdir() if p.name.endswith(".tmp")]


def test_query_data_uses_the_cache(build: Path) -> None:
    result = CliRunner().invoke(main, [*CARD, "--data", str(build)])
    assert result.exit_code == 0 and SEED_PMID in result.output
    assert [p for p in (build / CACHE_DIR).iterdir() if not p.name.startswith(".")]


def test_a_read_only_folder_falls_back_to_memory(build: Path) -> None:
    (build / CACHE_DIR).mkdir()
    (build / CACHE_DIR).chmod(0o500)
    try:
        if cached_store(build) is not None:
            pytest.skip("running as a user who can write anywhere (root)")
        rows = run("article-card", {"pmid": [SEED_PMID]}, data=build).rows
        assert str(rows[0][1]) == SEED_PMID
    finally:
        (build / CACHE_DIR).chmod(0o700)


def test_the_cli_refuses_service_on_local_data(build: Path) -> None:
    query = build / "federated.rq"
    query.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    result = CliRunner().invoke(main, ["query", str(query), "--data", str(build)])
    assert result.exit_code != 0
    assert "SERVICE" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, AssertionError | TypeError | AttributeError)
