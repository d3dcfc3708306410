"""The SPARQL endpoint under load and under abuse: the real server on loopback, driven by asyncio clients.

    python bench/bench_endpoint.py [--data DIR | --store STORE] [--clients 16] [--seconds 5] [--bombs 8] [--timeout 10]

Figures, in one run against the same server:
  a. point SPARQL queries (an ASK and a SELECT on one article, a random PMID of the dataset each time) from
     --clients clients: requests/s, p50, p99 (goal: >= 200 req/s);
  b. --bombs cartesian-product aggregates, each from its own loopback address (127.0.0.2, .3, ...: separate clients
     to the per-client limit), and meanwhile point queries from 127.0.0.1 one after another: their p50/p99/max
     latency (goal: < 1 s), and how each bomb ended (goal: 503 or 504 at the timeout, not later), and whether any
     worker process still burns CPU after the bombs' timeout (they must be stopped, not abandoned).
The load generator runs on the same cores as the server, as the issue's goals say.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_server import build_seed, free_port, percentile  # noqa: E402

BOMB = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = {"Accept": "application/sparql-results+json"}


def start(source: list[str], port: int, timeout: float) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "rdfgen.server", *source, "--port", str(port),
                             "--timeout", str(timeout), "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600  # the first start builds the store cached beside a large dump
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def pmids(url: str) -> list[str]:
    r = httpx.get(f"{url}/sparql", headers=JSON, timeout=120, params={
        "query": "SELECT ?p WHERE { ?a a <http://purl.org/ontology/bibo/AcademicArticle> ; "
                 "<http://purl.org/ontology/bibo/pmid> ?p } LIMIT 2000"})
    return [b["p"]["value"] for b in r.json()["results"]["bindings"]]


def point_query(pmid: str, n: int) -> str:
    if n % 2:
        return f'ASK {{ ?a <http://purl.org/ontology/bibo/pmid> "{pmid}" }}'
    return ("PREFIX schema: <https://schema.org/> SELECT ?title ?date WHERE { ?a <http://purl.org/ontology/bibo/pmid> "
            f'"{pmid}" ; schema:headline ?title . OPTIONAL {{ ?a schema:datePublished ?date }} }}')


async def points(url: str, ids: list[str], clients: int, seconds: float) -> tuple[float, list[float]]:
    """Each client from its own loopback address (127.0.1.k), as separate users are to the per-client limit."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def one(k: int) -> None:
        rng = random.Random(k)
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.1.{1 + k}")
        async with httpx.AsyncClient(base_url=url, transport=transport, timeout=60) as client:
            n = 0
            while time.perf_counter() < stop:
                t = time.perf_counter()
                r = await client.get("/sparql", headers=JSON, params={"query": point_query(rng.choice(ids), n)})
                r.raise_for_status()
                latencies.append(time.perf_counter() - t)
                n += 1

    began = time.perf_counter()
    await asyncio.gather(*(one(k) for k in range(clients)))
    return len(latencies) / (time.perf_counter() - began), latencies


async def bombs_and_points(url: str, ids: list[str], bombs: int, timeout: float) -> tuple[list[tuple[int, float]],
                                                                                        list[float]]:
    async def bomb(k: int) -> tuple[int, float]:
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{2 + k}")
        async with httpx.AsyncClient(base_url=url, transport=transport, timeout=timeout * 4) as client:
            t = time.perf_counter()
            r = await client.get("/sparql", params={"query": BOMB})
            return r.status_code, time.perf_counter() - t

    async def watcher(until: float) -> list[float]:
        latencies = []
        rng = random.Random(0)
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            await asyncio.sleep(0.5)  # the bombs are running
            n = 0
            while time.perf_counter() < until:
                t = time.perf_counter()
                r = await client.get("/sparql", headers=JSON, params={"query": point_query(rng.choice(ids), n)})
                r.raise_for_status()
                latencies.append(time.perf_counter() - t)
                n += 1
                await asyncio.sleep(0.05)
        return latencies

    until = time.perf_counter() + timeout - 0.5
    *ended, latencies = await asyncio.gather(*(bomb(k) for k in range(bombs)), watcher(until))
    return ended, latencies  # type: ignore[return-value]


def busy_children(pid: int, seconds: float = 1.0) -> int:
    """Child processes of ``pid`` that used CPU over ``seconds`` (from /proc)."""
    def cpu() -> dict[str, int]:
        found = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(stat[1]) == pid:
                    found[entry] = int(stat[11]) + int(stat[12])
        return found

    before = cpu()
    time.sleep(seconds)
    after = cpu()
    return sum(1 for k, v in after.items() if k in before and v - before[k] > 0.3 * os.sysconf("SC_CLK_TCK"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="build folder (default: the seed, built into a temp folder)")
    parser.add_argument("--store", type=Path, help="a store made by `rdfgen load` (bench_queries.py's 30,000 articles)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--bombs", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's --timeout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = ["--store", str(args.store)] if args.store else \
            ["--data", str(args.data or build_seed(Path(tmp) / "out"))]
        port = free_port()
        proc = start(source, port, args.timeout)
        url = f"http://127.0.0.1:{port}"
        try:
            ids = pmids(url)
            print(f"server pid {proc.pid}, {len(ids)} PMIDs sampled, timeout {args.timeout:g} s")
            asyncio.run(points(url, ids, args.clients, 2.0))  # warm up: workers spawned, caches filled
            rate, lat = asyncio.run(points(url, ids, args.clients, args.seconds))
            print(f"a. point SPARQL, {args.clients} clients: {rate:.0f} req/s (goal >= 200), "
                  f"p50 {percentile(lat, 50) * 1000:.1f} ms, p99 {percentile(lat, 99) * 1000:.1f} ms")
            ended, during = asyncio.run(bombs_and_points(url, ids, args.bombs, args.timeout))
            codes = sorted({code for code, _ in ended})
            print(f"b. {args.bombs} bombs: point queries meanwhile n={len(during)}, "
                  f"p50 {statistics.median(during) * 1000:.0f} ms, p99 {percentile(during, 99) * 1000:.0f} ms, "
                  f"max {max(during) * 1000:.0f} ms (goal < 1000); bombs ended with {codes} after "
                  f"{min(t for _, t in ended):.1f}-{max(t for _, t in ended):.1f} s (timeout {args.timeout:g} s); "
                  f"workers still busy after: {busy_children(proc.pid)}")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(15)


if __name__ == "__main__":
    main()
