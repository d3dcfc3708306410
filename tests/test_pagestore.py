"""Article pages rendered ahead of time (rdfgen pages): the server answers from them byte for byte what it would
render, only while they belong to the store as it is, and a rerun renders only what is missing or stale."""

from __future__ import annotations

import gzip
import json
import shutil
from array import array
from pathlib import Path

import pytest
from click.testing import CliRunner

import rdfgen.server.app as app_module
from rdfgen.cli import main
from rdfgen.server.app import create_app
from rdfgen.server.pagestore import PAGES_NAME, PageStore, render_pages, store_stamp
from rdfgen.sparql.store import load_shards

from .test_server import Client

DATA = Path(__file__).parent / "data" / "xml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pages-out")
    files = sorted(str(p) for p in DATA.glob("*.xml*") if not p.name.startswith(("broken", "hostile")))
    result = CliRunner().invoke(main, ["build", "-q", "--no-documents", "--out", str(out), *files])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture()
def store_dir(built: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    load_shards([built], folder)[0].flush()
    return folder


def _two(built: Path) -> list[str]:
    """Two records of the build: the first of its first shard and the last of its last."""
    manifest = json.loads((built / "manifest.json").read_text())
    first, last = manifest["inputs"][0]["name"], manifest["inputs"][-1]["name"]
    pmids = [array("I", (built / "shards" / f"{n}.pmids").read_bytes()) for n in (first, last)]
    return [str(pmids[0][0]), str(pmids[1][-1])]


def _pmids(store_dir: Path) -> list[str]:
    pages = PageStore(store_dir / PAGES_NAME)
    try:
        return [str(r[0]) for r in pages.db.execute("SELECT pmid FROM pages ORDER BY pmid")]
    finally:
        pages.close()


def _fetch(store_dir: Path, pmids: list[str], encoding: str = "identity") -> dict[str, tuple[bytes, str, str]]:
    client = Client(create_app(store=store_dir, workers=1))
    out = {}
    for pmid in pmids:
        r = client.get(f"/pubmed/{pmid}.html", headers={"Accept-Encoding": encoding})
        assert r.status_code == 200
        out[pmid] = (r.content, r.headers["etag"], r.headers["link"])
    return out


def test_every_record_gets_its_page_and_the_server_answers_the_same_bytes(store_dir: Path, built: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    two = _two(built)
    rendered = _fetch(store_dir, two)  # no pages file: rendered on request
    report = render_pages(store_dir, jobs=2)
    pmids = _pmids(store_dir)
    assert report.records == report.rendered == len(pmids) > 40 and set(two) <= set(pmids)

    def refuse(*_args: object) -> tuple[str, str]:
        raise AssertionError("rendered although the page was made ahead of time")

    monkeypatch.setattr(app_module, "render_article_page", refuse)
    assert _fetch(store_dir, two) == rendered
    zipped = _fetch(store_dir, two[:1], "gzip")[two[0]]
    assert zipped[1] == rendered[two[0]][1][:-1] + '-gzip"'


def test_pages_of_another_store_state_are_not_served(store_dir: Path, built: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    render_pages(store_dir, jobs=1)
    before = store_stamp(store_dir, "http://localhost:8000/")
    load_shards([built], store_dir)[0].flush()  # a load (even one with nothing new) opens the store for writing
    assert store_stamp(store_dir, "http://localhost:8000/") != before
    calls: list[str] = []
    real = app_module.render_article_page

    def counting(site: object, pmid: str) -> tuple[str, str]:
        calls.append(pmid)
        return real(site, pmid)  # type: ignore[arg-type]

    monkeypatch.setattr(app_module, "render_article_page", counting)
    two = _two(built)
    _fetch(store_dir, two[:1])
    assert calls == two[:1]
    report = render_pages(store_dir, jobs=1)
    assert report.dropped == report.rendered == report.records and report.kept == 0


def test_a_rerun_renders_only_what_is_missing(store_dir: Path, built: Path) -> None:
    render_pages(store_dir, jobs=1)
    pages = PageStore(store_dir / PAGES_NAME, read_only=False)
    with pages.db:  # as a killed run leaves them
        pages.db.executemany("DELETE FROM pages WHERE pmid = ?", [(int(p),) for p in _two(built)])
    pages.close()
    report = render_pages(store_dir, jobs=1)
    assert report.rendered == 2 and report.kept == report.records - 2


def test_another_base_is_another_stamp(store_dir: Path, built: Path) -> None:
    assert store_stamp(store_dir, "http://localhost:8000/") != store_stamp(store_dir, "https://example.org/ld/")
    render_pages(store_dir, jobs=1, base="https://example.org/ld/")
    pages = PageStore(store_dir / PAGES_NAME)
    try:
        assert pages.get(_two(built)[0], store_stamp(store_dir, "http://localhost:8000/") or "") is None
    finally:
        pages.close()


def test_the_command_says_what_it_did_and_refuses_a_folder_that_is_no_store(store_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["pages", "--store", str(store_dir), "-q", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "rendered" in result.output and "0 kept" in result.output
    again = CliRunner().invoke(main, ["pages", "--store", str(store_dir), "-q"])
    assert "0 rendered" in again.output
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = CliRunner().invoke(main, ["pages", "--store", str(empty)])
    assert refused.exit_code != 0 and "not a store" in refused.output


def test_a_page_read_back_is_the_page_rendered(store_dir: Path, built: Path) -> None:
    render_pages(store_dir, jobs=1)
    stamp = store_stamp(store_dir, "http://localhost:8000/")
    assert stamp is not None
    pages = PageStore(store_dir / PAGES_NAME)
    try:
        found = pages.get(_two(built)[0], stamp)
        assert found is not None and b"<html" in gzip.decompress(found.gzipped)
        assert 'rel="cite-as"' in found.links
        assert pages.get("not-a-pmid", stamp) is None and pages.get("1", stamp) is None
    finally:
        pages.close()
    shutil.rmtree(store_dir)


def test_a_pages_file_locked_by_a_writer_means_rendering_not_an_error(store_dir: Path, built: Path) -> None:
    render_pages(store_dir, jobs=1)
    writer = PageStore(store_dir / PAGES_NAME, read_only=False)
    writer.db.execute("BEGIN EXCLUSIVE")  # as `rdfgen pages` holds it while committing a batch
    try:
        pages = PageStore(store_dir / PAGES_NAME)  # waits a quarter of a second, then gives up
        assert pages.get(_two(built)[0], store_stamp(store_dir, "http://localhost:8000/") or "") is None
        pages.close()
    finally:
        writer.db.rollback()
        writer.close()
