"""Load test of ``rdfgen serve``: the real server on loopback, driven by concurrent asyncio clients.

    python bench/bench_server.py [--data DIR] [--clients 16] [--seconds 3]
    python bench/bench_server.py --store STORE --clients 50 --seconds 300 [--articles 2000]

Scenarios: the seed article in each format (303 followed, so two requests per fetch), the HTML page, a library
query through /sparql, and a baseline measured in the same run: a static dump (/download/void.ttl) served by the
same server. Prints requests/s, p50 and p99 latency per scenario and the ratio to the baseline.

With ``--store`` (a store made by ``rdfgen load``, e.g. bench_queries.py's 30,000-article one), the pages of
``--articles`` different articles, drawn at random from the store, each fetched once per round (so the server's
page cache helps little), then the index and a search; the server's RSS is printed before and after, for the
issue's goal (>= 150 req/s with 50 clients, p99 < 1 s, RSS growth < 200 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import httpx

from rdfgen.sparql.library import bind, load_query

PMID = "33783695"


@dataclass
class Scenario:
    name: str
    path: str
    headers: dict[str, str]
    params: dict[str, str] | None = None
    paths: list[str] | None = None  # fetched in turn instead of ``path``


def store_scenarios(store: Path, articles: int) -> list[Scenario]:
    """Article pages of ``articles`` PMIDs drawn from the store (fixed seed), the index and a search."""
    from rdfgen.sparql.store import open_store

    st = open_store(store, read_only=True)
    pmids = sorted(g.value.rsplit("/", 1)[1].removesuffix("#graph") for g in st.named_graphs()
                   if g.value.endswith("#graph") and "/pubmed/" in g.value)
    del st
    chosen = random.Random(17).sample(pmids, min(articles, len(pmids)))
    return [
        Scenario(f"article .html, {len(chosen)} articles", "", {}, paths=[f"/pubmed/{p}.html" for p in chosen]),
        Scenario("article .ttl, same articles", "", {}, paths=[f"/pubmed/{p}.ttl" for p in chosen]),
        Scenario("index page", "/", {}),
        Scenario("search (one author)", "/", {}, {"q": "family12345"}),
    ]


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux), for the growth over a run."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def scenarios() -> list[Scenario]:
    card = bind(load_query("article-card"), {"pmid": PMID})
    json_results = {"Accept": "application/sparql-results+json"}
    return [
        Scenario("baseline: static void.ttl", "/download/void.ttl", {}),
        Scenario("article turtle (303 + .ttl)", f"/pubmed/{PMID}", {"Accept": "text/turtle"}),
        Scenario("article n-triples (303 + .nt)", f"/pubmed/{PMID}", {"Accept": "application/n-triples"}),
        Scenario("article json-ld (303 + .jsonld)", f"/pubmed/{PMID}", {"Accept": "application/ld+json"}),
        Scenario("article html (303 + .html)", f"/pubmed/{PMID}", {"Accept": "text/html"}),
        Scenario("article .html direct", f"/pubmed/{PMID}.html", {}),
        Scenario("sparql article-card (json)", "/sparql", json_results, {"query": card}),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(source: list[str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "rdfgen.server", *source, "--port", str(port),
                             "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=1):
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the server did not start")


async def drive(url: str, scenario: Scenario, clients: int, seconds: float) -> tuple[float, list[float]]:
    """``clients`` loops fetching as fast as they can for ``seconds``; requests/s counts HTTP requests."""
    latencies: list[float] = []
    requests = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    paths = itertools.cycle(scenario.paths or [scenario.path])
    async with httpx.AsyncClient(base_url=url, limits=limits, follow_redirects=True, timeout=30) as client:
        for _ in range(3):  # warm up caches
            (await client.get(scenario.path or scenario.paths[0], headers=scenario.headers,  # type: ignore[index]
                              params=scenario.params)).raise_for_status()
        stop = time.perf_counter() + seconds

        async def one() -> None:
            nonlocal requests
            while time.perf_counter() < stop:
                t = time.perf_counter()
                r = await client.get(next(paths), headers=scenario.headers, params=scenario.params)
                r.raise_for_status()
                latencies.append(time.perf_counter() - t)
                requests += 1 + len(r.history)

        began = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    return requests / elapsed, latencies


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


def build_seed(folder: Path) -> Path:
    from rdfgen.mesh.enrich import load_enricher
    from rdfgen.publish.documents import publish
    from rdfgen.resources import seed_path
    from rdfgen.sources import read_inputs

    publish(read_inputs([str(seed_path())]), folder, enricher=load_enricher())
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="build folder (default: the seed, built into a temp folder)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--store", type=Path, help="a store made by `rdfgen load`: page scenarios over its records")
    parser.add_argument("--articles", type=int, default=2000, help="different articles fetched (with --store)")
    parser.add_argument("--only", metavar="TEXT", help="run only the scenarios whose name holds TEXT")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each scenario this many times in a row (steady state: caches filled, RSS)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.store is not None:
            source, todo = ["--store", str(args.store)], store_scenarios(args.store, args.articles)
        else:
            source, todo = ["--data", str(args.data or build_seed(Path(tmp) / "out"))], scenarios()
        todo = [s for s in todo if args.only is None or args.only in s.name for _ in range(args.repeat)]
        port = free_port()
        proc = start(source, port)
        try:
            before = rss_mb(proc.pid)
            print(f"{args.clients} concurrent clients, {args.seconds:g} s per scenario, server pid {proc.pid}, "
                  f"RSS {before:.0f} MB after start")
            print(f"{'scenario':36} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs first':>12} {'RSS MB':>8}")
            baseline = None
            for s in todo:
                rate, lat = asyncio.run(drive(f"http://127.0.0.1:{port}", s, args.clients, args.seconds))
                baseline = baseline or rate
                print(f"{s.name:36} {rate:8.0f} {percentile(lat, 50) * 1000:8.1f} {percentile(lat, 99) * 1000:8.1f}"
                      f" {rate / baseline:11.2f}x {rss_mb(proc.pid):8.0f}", flush=True)
            print(f"server RSS growth over the run: {rss_mb(proc.pid) - before:+.0f} MB")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(10)


if __name__ == "__main__":
    main()
