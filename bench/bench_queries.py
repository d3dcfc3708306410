"""Time the query library on a synthetic corpus: pyoxigraph on all of it, pyoxigraph vs rdflib on a subset.

    python bench/bench_queries.py [--articles 30000] [--rdflib-articles 1000] [--runs 3] [--workdir DIR]
                                  [--reuse-store]

Records are built in Python with PubMed-like shapes (about 6 authors, 10 MeSH headings and 30 references each);
journals, authors, MeSH descriptors, keywords and cited DOIs are drawn from Zipf-like distributions, so some are
shared by many articles, as in real data. The random seed is fixed: the same arguments give the same corpus. Triples
stream through rdfgen.mapping.record_triples into N-Quads files (one graph per record, as ``rdfgen build`` writes
them), which are then bulk-loaded into an on-disk pyoxigraph store. rdflib's engine is orders of magnitude slower,
so the ratio is measured on the first --rdflib-articles articles, loaded into both engines (0: no rdflib columns).

A load ends with the statistics graph (rdfgen.sparql.statistics), so the library's aggregates run their fast forms
(queries/statistics/); the time the statistics took is printed apart. ``--reuse-store`` opens the store a previous
run left in --workdir instead of loading the corpus again (minutes at 30,000 articles) and recomputes only the
statistics.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.model import (
    Abstract,
    AbstractSection,
    Affiliation,
    Author,
    CommentCorrection,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    PartialDate,
    PublicationType,
    Record,
    Reference,
)
from rdfgen.publish.dumps import owns
from rdfgen.serialize.ntriples import nt_line, nt_term
from rdfgen.sparql.library import QueryInfo, list_queries
from rdfgen.sparql.run import run
from rdfgen.sparql.statistics import refresh_all
from rdfgen.sparql.store import load, load_rdflib, open_store

SEED = 20240601
FIRST_PMID = 30_000_001
CHUNK = 1000
POOLS = {"journals": 2_000, "authors": 120_000, "mesh": 3_000, "qualifiers": 80, "keywords": 6_000, "dois": 300_000}


class Zipf:
    """Draws 0..n-1 with probability proportional to 1/(k+1)^s: a few heavy hitters and a long tail."""

    def __init__(self, n: int, s: float = 1.07) -> None:
        self.cum = list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))

    def __call__(self, rng: random.Random) -> int:
        return bisect.bisect(self.cum, rng.random() * self.cum[-1])


DRAW = {name: Zipf(n) for name, n in POOLS.items()}


def orcid(k: int) -> str:
    return f"0000-0001-{k // 1000:04d}-{k % 1000:03d}X"


def doi(k: int) -> str:
    return f"10.{1000 + k % 500}/bench.{k}"


def article(i: int) -> Record:
    """The i-th synthetic article, from its own seeded generator (so chunks can be made in parallel)."""
    rng = random.Random(SEED * 1_000_003 + i)
    pmid = str(FIRST_PMID + i)
    j = DRAW["journals"](rng)
    authors = []
    for _ in range(max(1, int(rng.gauss(6, 3)))):
        k = DRAW["authors"](rng)
        authors.append(Author(f"Family{k}", f"Given{k}", "G", orcid=orcid(k) if k % 5 < 2 else None,
                              affiliations=(Affiliation(f"Institute {k % 997}, City {k % 89}"),)))
    headings, seen = [], set()
    for _ in range(max(1, int(rng.gauss(10, 3)))):
        d = DRAW["mesh"](rng)
        if d in seen:
            continue
        seen.add(d)
        quals = tuple(MeshQualifier(f"Q{q:09d}", f"qualifier {q}", major=rng.random() < 0.15)
                      for q in rng.sample(range(POOLS["qualifiers"]), rng.choice((0, 0, 1, 1, 2))))
        headings.append(MeshHeading(f"D{d:06d}", f"Descriptor {d}", major=rng.random() < 0.25, qualifiers=quals))
    refs = []
    for n in range(1, max(1, int(rng.gauss(30, 10))) + 1):
        k, kind = DRAW["dois"](rng), rng.random()
        year = 1980 + k % 44
        if kind < 0.1 and i > 0:
            refs.append(Reference(n, f"Cited article {n}.", title=f"Earlier article {n}", journal=f"J{k % 300}",
                                  year=year, pmid=str(FIRST_PMID + rng.randrange(i))))
        elif kind < 0.9:
            refs.append(Reference(n, f"Work {k}. J{k % 300}. {year}.", title=f"Work {k}", journal=f"J{k % 300}",
                                  year=year, doi=doi(k)))
        else:
            refs.append(Reference(n, f"Unidentified work {k}, {year}.", year=year))
    types = [PublicationType("Journal Article", "D016428")]
    links = []
    if rng.random() < 0.15:
        types.append(PublicationType("Review", "D016454"))
    if rng.random() < 0.005:
        types.append(PublicationType("Retracted Publication", "D016441"))
        links.append(CommentCorrection("RetractionIn", "Retraction notice", str(FIRST_PMID + 10_000_000 + i)))
    if rng.random() < 0.01:
        links.append(CommentCorrection("ErratumIn", "Erratum", str(FIRST_PMID + 20_000_000 + i)))
    return Record(
        pmid=pmid, title=f"Synthetic article {i} on descriptor {min(seen)}",
        doi=f"10.9999/syn.{i}" if rng.random() > 0.05 else None,
        abstract=Abstract((AbstractSection(f"Abstract of synthetic article {i}. " * 8),))
        if rng.random() > 0.1 else None,
        journal=Journal(title=f"Journal {j}", iso_abbreviation=f"J{j}", issn_linking=f"{1000 + j:04d}-{j % 9000:04d}"),
        volume=str(1 + i % 40), issue=str(1 + i % 12), pub_date=PartialDate(1990 + i % 34, 1 + i % 12),
        authors=tuple(authors), mesh_headings=tuple(headings), references=tuple(refs),
        keywords=tuple(Keyword(f"keyword {DRAW['keywords'](rng)}") for _ in range(rng.randrange(0, 8))),
        publication_types=tuple(types), comments_corrections=tuple(links),
    )


def write_chunk(args: tuple[int, int, str]) -> int:
    """Articles [start, stop) as N-Quads as ``rdfgen build`` writes them: each record's own statements in its
    graph, shared ones (journals, MeSH terms, cited works) in the shared graph; returns the number of quads."""
    start, stop, path = args
    iris, count = Iris(), 0
    shared = iris.shared_graph()
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start, stop):
            record = article(i)
            g = iris.graph(record.pmid)
            lines = {nt_line(t, g if owns(iris, record.pmid, nt_term(t[0])) else shared)
                     for t in record_triples(record, iris)}
            f.writelines(lines)
            count += len(lines)
    return count


def generate(n: int, workdir: Path) -> list[Path]:
    """The corpus as CHUNK-article .nq files, reused when already there (generation is the slow part)."""
    paths = [workdir / f"articles-{start:07d}-{min(start + CHUNK, n):07d}.nq" for start in range(0, n, CHUNK)]
    todo = [(start, min(start + CHUNK, n), str(p)) for start, p in zip(range(0, n, CHUNK), paths, strict=True)
            if not p.exists()]
    if todo:
        t = time.perf_counter()
        with ProcessPoolExecutor() as pool:
            quads = sum(pool.map(write_chunk, todo))
        print(f"generated {n} articles ({quads:,} quads in {len(todo)} files) in {time.perf_counter() - t:.1f} s")
    return paths


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def capped_median_time(fn: Callable[[], object], runs: int, budget: float) -> tuple[float | None, int | None]:
    """Like median_time, but each run happens in a forked child (which inherits the loaded data) that is killed
    after ``budget`` seconds, since rdflib's engine cannot be interrupted. Returns (median, rows) or (None, None)
    when a run went over the budget."""
    ctx = multiprocessing.get_context("fork")
    times, rows = [], None
    for _ in range(runs):
        parent, child = ctx.Pipe(duplex=False)

        def work(conn=child) -> None:  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            result = fn()
            conn.send((time.perf_counter() - t, size(result)))

        proc = ctx.Process(target=work)
        proc.start()
        if not parent.poll(budget):
            proc.kill()
            proc.join()
            return None, None
        elapsed, rows = parent.recv()
        proc.join()
        times.append(elapsed)
    return statistics.median(times), rows


def bench_params(info: QueryInfo) -> dict[str, str]:
    """Parameters that find something in the synthetic corpus: its first article, the most cited DOI, the most
    prolific ORCID; ``*`` defaults stay unconstrained."""
    values = {"pmid": str(FIRST_PMID), "doi": doi(0), "orcid": orcid(0)}
    return {p.name: values[p.name] for p in info.params if p.name in values and p.default != "*"}


def size(result: object) -> int:
    return len(getattr(result, "rows", []) or getattr(result, "triples", []))


def subset(chunk: Path, n: int, path: Path) -> Path:
    """The first ``n`` articles of a chunk file (records are written one after another), for rdflib's engine,
    which is too slow on the whole corpus; shared statements of the next record may come along, harmlessly."""
    seen: set[str] = set()
    with chunk.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for line in src:
            graph = line.rsplit(" ", 2)[-2]
            if graph.endswith("#graph>") and not graph.endswith("/shared#graph>") and graph not in seen:
                if len(seen) == n:
                    break
                seen.add(graph)
            out.write(line)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=30_000)
    parser.add_argument("--rdflib-articles", type=int, default=1_000,
                        help="subset run on both engines for the ratio (rdflib cannot hold the full corpus fast)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per query; the median is printed")
    parser.add_argument("--rdflib-budget", type=float, default=60.0,
                        help="seconds one rdflib run may take before it is killed and reported as over budget")
    parser.add_argument("--workdir", type=Path, help="where the corpus and the store go (default: a temp folder)")
    parser.add_argument("--reuse-store", action="store_true", help="open the store a previous run left in --workdir")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="rdfgen-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    files = generate(args.articles, workdir)

    store_dir = workdir / f"store-{args.articles}"
    t = time.perf_counter()
    if args.reuse_store and store_dir.is_dir():
        full = open_store(store_dir)
        print(f"reusing the store at {store_dir}: {len(full):,} quads")
    else:
        full, report = load(files, store_dir, replace=False)
        print(f"pyoxigraph bulk load: {report.quads:,} quads, {len(report.graphs):,} graphs in "
              f"{time.perf_counter() - t:.1f} s, statistics included ({store_dir})")
    t, cpu = time.perf_counter(), time.process_time()
    refresh_all(full)
    print(f"statistics graph: {time.perf_counter() - t:.1f} s ({time.process_time() - cpu:.1f} CPU s) to recompute")
    if args.rdflib_articles <= 0:
        run_library(full, args.articles, args.runs)
        return

    subset_n = min(args.rdflib_articles, args.articles)
    subset_files = [subset(files[0], subset_n, workdir / f"subset-{subset_n}.nq")]
    small, small_report = load(subset_files)
    t = time.perf_counter()
    graph = load_rdflib(subset_files)
    print(f"subset for the ratio: {subset_n} articles, {small_report.quads:,} quads, in both engines "
          f"(rdflib parse {time.perf_counter() - t:.1f} s)")
    print(f"median of {args.runs} runs; ratio = rdflib / pyoxigraph on the same {subset_n}-article subset\n")
    header = (f"{'query':<26}{'rows':>8}{'oxigraph ' + str(args.articles):>18}{'rows':>7}"
              f"{'oxigraph ' + str(subset_n):>16}{'rdflib ' + str(subset_n):>15}{'ratio':>9}")
    print(header)
    print("-" * len(header))
    for info in list_queries():
        params = bench_params(info)
        t_full, r_full = median_time(lambda i=info, p=params: run(i, p, data=full, timeout=None), args.runs)
        t_small, r_small = median_time(lambda i=info, p=params: run(i, p, data=small, timeout=None), args.runs)
        t_rdflib, rows_rdflib = capped_median_time(lambda i=info, p=params: run(i, p, data=graph, timeout=None),
                                                   args.runs, args.rdflib_budget)
        head = f"{info.name:<26}{size(r_full):>8}{t_full * 1000:>15.1f} ms{size(r_small):>7}{t_small * 1000:>13.1f} ms"
        if t_rdflib is None:
            over, ratio = f"> {args.rdflib_budget:.0f} s", f"> {args.rdflib_budget / max(t_small, 1e-9):.0f}x"
            print(f"{head}{over:>15}{ratio:>9}", flush=True)
            continue
        agree = "" if size(r_small) == rows_rdflib else "  (row counts differ)"
        print(f"{head}{t_rdflib * 1000:>12.1f} ms{t_rdflib / max(t_small, 1e-9):>8.0f}x{agree}", flush=True)


def run_library(store: ox.Store, articles: int, runs: int) -> None:
    """Every library query on the full store only, wall and CPU time (the median of ``runs``): the figures of
    issue 17's goal (median < 1 s each at 30,000 articles; point lookups < 20 ms)."""
    print(f"median of {runs} runs on {articles:,} articles (wall, and CPU of this process)\n")
    print(f"{'query':<26}{'rows':>8}{'wall ms':>12}{'cpu ms':>12}")
    for info in list_queries():
        params = bench_params(info)
        walls, cpus, result = [], [], None
        for _ in range(runs):
            t, cpu = time.perf_counter(), time.process_time()
            result = run(info, params, data=store, timeout=None)
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - cpu)
        print(f"{info.name:<26}{size(result):>8}{statistics.median(walls) * 1000:>12.1f}"
              f"{statistics.median(cpus) * 1000:>12.1f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
