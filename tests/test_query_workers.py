"""Query worker processes under a tight address-space cap: each opens the store and answers, however many start at
once (glibc would give each RocksDB thread a 64 MB malloc arena of address space; the workers keep to one)."""

from __future__ import annotations

import concurrent.futures
import time
from pathlib import Path

import pyoxigraph as ox

from rdfgen.server.workers import QueryJob, WorkerPool

CAP_MB = 400
"""Below what a worker reserved with glibc's arenas (460 to 860 MB, measured), above what it needs with one."""


def test_workers_started_together_open_the_store_and_answer_within_a_tight_cap(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "store"))
    graph = ox.NamedNode("https://example.org/graph")
    store.extend([ox.Quad(ox.NamedNode(f"https://example.org/s{i}"), ox.NamedNode("https://example.org/p"),
                          ox.Literal(str(i)), graph) for i in range(50)])
    store.flush()
    del store
    pool = WorkerPool(tmp_path / "store", max_workers=8, spare=0, memory_mb=CAP_MB)
    try:
        job = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        with concurrent.futures.ThreadPoolExecutor(8) as threads:
            answers = list(threads.map(lambda _: pool.run(job, time.monotonic() + 60), range(8)))
    finally:
        pool.close()
    assert [int(a.items[0][0].value) for a in answers] == [50] * 8
