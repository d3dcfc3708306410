"""Article pages rendered ahead of time (``rdfgen pages --store PATH``) into a SQLite file beside the store.

A cold article page costs about 20 ms of CPU on a 30,000-article store, almost all of it reading the record's 2,000
statements out of pyoxigraph (about 7 us a decoded quad); under the GIL one server process renders fewer than 50 a
second. So, as a wiki keeps its parser cache, the pages are made once, with every core, after a load, and the server
answers a page it has not seen yet from this file (a point lookup) instead of the store.

Each page is kept as the server's page cache keeps it: gzip bytes, the ETag of the uncompressed page and its Link
header. Every row carries the stamp of the store it was rendered from (:func:`store_stamp`: the RocksDB ``CURRENT``
file, which names a new MANIFEST whenever the store is opened for writing, and rdfgen's load state): the server uses
the file only when its stamp is the store's, so a page never outlives the data it shows; a rerun after a load renders
every page again, and a rerun after a kill renders only the pages still missing. Writes are one transaction per
batch of pages.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

PAGES_NAME = "rdfgen-pages.sqlite"
PAGES_FORMAT = "rdfgen-pages/1"
BATCH = 200
"""Pages a worker renders per task (and the parent writes per transaction)."""


def store_stamp(store_dir: Path, base: str) -> str | None:
    """What identifies the store's content and the base its pages are served under: None for a store without
    RocksDB's CURRENT file."""
    from rdfgen.sparql.store import LOAD_STATE

    current = store_dir / "CURRENT"
    if not current.is_file():
        return None
    digest = hashlib.blake2b(current.read_bytes() + b"\0" + base.encode(), digest_size=16)
    state = store_dir / LOAD_STATE
    if state.is_file():
        digest.update(state.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredPage:
    pmid: str
    gzipped: bytes
    etag: str
    links: str


class PageStore:
    """The pages file: ``get`` for the server (read-only, one connection behind a lock), ``put`` for the writer."""

    def __init__(self, path: Path, *, read_only: bool = True) -> None:
        self.path = path
        if read_only:
            # a request waits at most a quarter of a second for a writer's commit, then renders the page itself
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=0.25)
        else:
            self.db = sqlite3.connect(path, check_same_thread=False)
            self.db.executescript("""
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS pages (pmid INTEGER PRIMARY KEY, stamp TEXT NOT NULL, gzipped BLOB NOT NULL,
                                                  etag TEXT NOT NULL, links TEXT NOT NULL);
            """)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (PAGES_FORMAT,))
            self.db.commit()
        self.lock = threading.Lock()

    @classmethod
    def of_store(cls, store_dir: Path | None) -> PageStore | None:
        """The store's pages file, read-only, when there is one of this format."""
        if store_dir is None or not (store_dir / PAGES_NAME).is_file():
            return None
        try:
            pages = cls(store_dir / PAGES_NAME)
            row = pages.db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[0] != PAGES_FORMAT:
            pages.close()
            return None
        return pages

    def get(self, pmid: str, stamp: str) -> StoredPage | None:
        if not pmid.isdigit():
            return None
        try:
            with self.lock:
                row = self.db.execute("SELECT gzipped, etag, links FROM pages WHERE pmid = ? AND stamp = ?",
                                      (int(pmid), stamp)).fetchone()
        except sqlite3.Error:  # locked by a `rdfgen pages` committing, or damaged: the page is rendered instead
            return None
        return StoredPage(pmid, row[0], row[1], row[2]) if row else None

    def put(self, pages: Iterable[StoredPage], stamp: str) -> None:
        with self.lock, self.db:
            self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
                                ((int(p.pmid), stamp, p.gzipped, p.etag, p.links) for p in pages))

    def drop_stale(self, stamp: str, keep: set[int]) -> tuple[set[int], int]:
        """Rows of another stamp, or of records the store no longer has, go (their space reused); returns the PMIDs
        whose page is of this stamp and the number of rows dropped."""
        with self.lock, self.db:
            gone = self.db.execute("DELETE FROM pages WHERE stamp != ?", (stamp,)).rowcount
            have = {r[0] for r in self.db.execute("SELECT pmid FROM pages WHERE stamp = ?", (stamp,))}
            stale = have - keep
            self.db.executemany("DELETE FROM pages WHERE pmid = ?", [(p,) for p in stale])
        return have - stale, gone + len(stale)

    def close(self) -> None:
        self.db.close()


@dataclass
class PagesReport:
    """What ``rdfgen pages`` did: the store's records, pages rendered now, kept (already of this state), and stale
    rows dropped (of another state, or of records the store no longer has)."""

    records: int = 0
    rendered: int = 0
    kept: int = 0
    dropped: int = 0


def render_pages(store_dir: Path, *, jobs: int | None = None, base: str | None = None,
                 progress: Callable[[int, int], None] = lambda _done, _total: None) -> PagesReport:
    """Render the article page of every record of the store at ``store_dir`` into its pages file, ``jobs``
    processes at a time (each opens the store read-only); pages already there for this store are kept."""
    from rdfgen.sparql.catalog import record_pmids
    from rdfgen.sparql.store import open_store

    base = base or _base_of(store_dir)
    stamp = store_stamp(store_dir, base)
    if stamp is None:
        raise FileNotFoundError(f"{store_dir}: not a store made by rdfgen load (no CURRENT file)")
    store = open_store(store_dir, read_only=True)
    pmids = sorted(record_pmids(store, base), key=int)
    del store
    pages = PageStore(store_dir / PAGES_NAME, read_only=False)
    try:
        report = PagesReport(records=len(pmids))
        have, report.dropped = pages.drop_stale(stamp, {int(p) for p in pmids})
        todo = [p for p in pmids if int(p) not in have]
        report.kept = len(pmids) - len(todo)
        batches = [todo[i:i + BATCH] for i in range(0, len(todo), BATCH)]
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(batches) or 1))
        for done in _render_all(store_dir, base, batches, jobs):
            pages.put(done, stamp)
            report.rendered += len(done)
            progress(report.kept + report.rendered, report.records)
        if store_stamp(store_dir, base) != stamp:
            raise RuntimeError(f"{store_dir} changed while its pages were rendered: run rdfgen pages again")
        return report
    finally:
        pages.close()


def _render_all(store_dir: Path, base: str, batches: list[list[str]], jobs: int) -> Iterator[list[StoredPage]]:
    if jobs == 1:
        renderer = _Renderer(store_dir, base)
        yield from (renderer.render(b) for b in batches)
        return
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=_start_worker,
                             initargs=(str(store_dir), base)) as pool:
        yield from pool.map(_render_batch, batches)


class _Renderer:
    """What a worker keeps: the store opened read-only and the server's own page maker over it."""

    def __init__(self, store_dir: Path, base: str) -> None:
        from rdfgen.server.app import CachedPage, render_article_page
        from rdfgen.server.site import Site, modified_time
        from rdfgen.sparql.store import open_store

        self.site = Site(open_store(store_dir, read_only=True), None, base, 0, modified_time(None, store_dir))
        self.make, self.cached = render_article_page, CachedPage

    def render(self, pmids: list[str]) -> list[StoredPage]:
        out = []
        for pmid in pmids:
            page = self.cached.of(*self.make(self.site, pmid))
            out.append(StoredPage(pmid, page.gzipped, page.etag, page.links))
        return out


_worker: _Renderer | None = None


def _start_worker(store_dir: str, base: str) -> None:
    global _worker
    _worker = _Renderer(Path(store_dir), base)


def _render_batch(pmids: list[str]) -> list[StoredPage]:
    assert _worker is not None
    return _worker.render(pmids)


def _base_of(store_dir: Path) -> str:
    from rdfgen.iris import DEFAULT_BASE
    from rdfgen.sparql.catalog import Catalog

    catalog = Catalog.of_store(store_dir, read_only=True)
    if catalog is None:
        return DEFAULT_BASE
    try:
        return catalog.base or DEFAULT_BASE
    finally:
        catalog.close()
