"""The fast-path benchmark: one command, one generated file, every figure the issue's goals are judged by.

    python bench/run.py                      # 5,000 articles, subset 200, peak RSS at 5,000 and 20,000
    python bench/run.py --quick              # 1,000 articles, subset 100, peak RSS at 1,000 and 4,000
    python bench/run.py --articles 2000 --subset 100 --sizes 2000 8000 --json figures.json --keep /tmp/bench

For the same generated PubMed XML (bench/generate.py, seeded) it measures, each in a fresh child process:

  a. the lxml parse floor: iterparse of the gzip file by PubmedArticle, clear and drop siblings, nothing else
     (a2: the same plus every element into dicts, what merely reading every field costs);
  b. ``rdfgen build --no-documents`` (or ``--dumps-only`` on older checkouts) with validation;
  c. the same with ``--no-validate``, to show what validation costs;
  d. ``rdfgen build`` with per-record documents and validation, on the subset (the file's first articles);
  e. the naive rdflib path on the subset: rdfgen's reader, every triple of every record into one rdflib Graph;
  f. peak RSS of (b) at two sizes, to check that memory does not grow with the file.

Why CPU seconds and not wall time: the machine is shared, so wall time measures the neighbours. Each child's user+sys
time and peak RSS come from ``os.wait4``. Why "net": every child pays a fixed cost (interpreter, imports, the MeSH
table, the SHACL shapes) that a per-core throughput goal is not about, so each mode is also run on the file's first
few articles and the rate is the marginal one, (N - k) / (CPU(N) - CPU(k)). The raw rate is printed next to it.
The benchmark reports; it asserts nothing (exit status 0 unless a measurement itself failed).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.etree import _Element

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
STARTED = time.monotonic()

GOAL_DUMPS_RATE = 500.0
GOAL_DUMPS_FLOOR_RATIO = 8.0
GOAL_DOCUMENTS_RATE = 150.0
GOAL_RSS_RATIO = 1.2
GOAL_RSS_MB = 200.0
FLOOR_ARTICLES = {"floor": 10_000, "floor-dicts": 2_000}
"""The floor rows parse at least this many articles (the file, several times if small): a few CPU seconds, well
above timer noise."""
WARMUP_ARTICLES = 5
"""Size of the file whose run gives each mode's fixed cost (start-up and first-use loading)."""


# Children: what runs inside the measured processes -------------------------------------------------------------------


def child_floor(path: str, dicts: bool, passes: int) -> dict[str, int]:
    """The parse floor: what any streaming PubMed reader pays (gunzip, lxml iterparse with rdfgen's safe options,
    freeing each record), optionally plus turning every element into dicts (reading every field, keeping nothing).
    The file is read ``passes`` times: one pass over a small file is too short to measure against start-up."""
    from lxml import etree

    articles = fields = 0
    for _pass in range(passes):
        with gzip.open(path, "rb") as stream:
            events = etree.iterparse(stream, events=("end",), tag="PubmedArticle", resolve_entities=False,
                                     no_network=True, load_dtd=False, remove_comments=True, remove_pis=True)
            for _event, element in events:
                if dicts:
                    fields += len(_as_dicts(element, []))
                articles += 1
                element.clear(keep_tail=True)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    return {"articles": articles, "fields": fields}


def _as_dicts(element: _Element, out: list[dict[str, object]]) -> list[dict[str, object]]:
    """Every element as a plain dict (tag, attributes, text with markup flattened, children): reading each field
    once into Python objects, the least a mapper must do."""
    node: dict[str, object] = {"tag": element.tag, "attrib": dict(element.attrib),
                               "text": "".join(element.itertext()).strip() if len(element) else element.text,
                               "children": [_as_dicts(child, out)[-1] for child in element
                                            if isinstance(child.tag, str)]}
    out.append(node)
    return out


def child_graph(path: str) -> dict[str, int]:
    """The naive path the dumps replace: rdfgen's reader and mapping (MeSH on, validation off), every triple of every
    record added to one rdflib Graph that grows with the file."""
    from rdflib import Graph

    import rdfgen
    from rdfgen.model import Record

    graph = Graph()
    articles = 0
    for item in rdfgen.read(path):
        if isinstance(item, Record):
            articles += 1
            for triple in rdfgen.triples(item, validate=False):
                graph.add(triple)
    return {"articles": articles, "triples": len(graph)}


def child_main(argv: list[str]) -> None:
    """``run.py --child MODE FILE PASSES``: one measured mode, its counts printed as JSON on the last line."""
    mode, path, passes = argv[0], argv[1], int(argv[2])
    result = {"floor": lambda: child_floor(path, dicts=False, passes=passes),
              "floor-dicts": lambda: child_floor(path, dicts=True, passes=passes),
              "graph": lambda: child_graph(path)}[mode]()
    print(json.dumps(result))


# Measuring a child ---------------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One child process: its CPU seconds (user + sys), peak RSS, exit code and what it printed."""

    cpu_s: float
    peak_rss_mb: float
    exit_code: int
    stdout: str
    stderr: str


def run_child(cmd: list[str]) -> Run:
    """Run a command and read its own rusage with wait4, so children running side by side do not mix their figures
    (RUSAGE_CHILDREN would sum them and keep one maximum RSS for all)."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def documents_off_flag() -> str:
    """``--no-documents`` when this checkout's CLI has it (the issue renames the flag), else ``--dumps-only``."""
    proc = subprocess.run([sys.executable, "-m", "rdfgen", "build", "--help"], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    return "--no-documents" if "--no-documents" in proc.stdout else "--dumps-only"


def count_lines(path: Path) -> int:
    """Triples in an N-Triples dump: its lines (comments or blank lines would not be triples; rdfgen writes none)."""
    lines = 0
    with gzip.open(path, "rb") as stream:
        while chunk := stream.read(1 << 22):
            lines += chunk.count(b"\n")
    return lines


_SUMMARY = re.compile(r"records read: (\d+), published: (\d+), skipped: (\d+)")


@dataclass
class Measure:
    """A measured mode on one file."""

    key: str
    label: str
    articles: int
    cpu_s: float
    peak_rss_mb: float
    triples: int | None = None
    ok: bool = True
    note: str = ""


def measure_rdfgen(key: str, label: str, path: Path, articles: int, out: Path, flags: list[str],
                   keep: bool) -> Measure:
    """``python -m rdfgen build FILE --out DIR -q FLAGS``; triples are the lines of the dataset.nt.gz it wrote.
    DIR starts empty: a build with documents assembles its dumps from every record file it finds there."""
    shutil.rmtree(out, ignore_errors=True)
    run = run_child([sys.executable, "-m", "rdfgen", "build", str(path), "--out", str(out), "-q", *flags])
    summary = _SUMMARY.search(run.stdout)
    skipped = int(summary[3]) if summary else -1
    published = int(summary[2]) if summary else 0
    dump = out / "dataset.nt.gz"
    triples = count_lines(dump) if dump.exists() else None
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    note = "" if skipped == 0 else f"exit {run.exit_code}, {summary[0] if summary else run.stderr.strip()[-300:]}"
    return Measure(key, label, published if summary else articles, run.cpu_s, run.peak_rss_mb, triples,
                   ok=run.exit_code == 0 and skipped == 0, note=note)


def measure_python(key: str, label: str, mode: str, path: Path, articles: int, passes: int = 1) -> Measure:
    """A Python child of this script (``--child MODE FILE PASSES``)."""
    run = run_child([sys.executable, str(Path(__file__).resolve()), "--child", mode, str(path), str(passes)])
    try:
        counts = json.loads(run.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return Measure(key, label, articles, run.cpu_s, run.peak_rss_mb, ok=False,
                       note=f"exit {run.exit_code}: {run.stderr.strip()[-300:]}")
    return Measure(key, label, counts["articles"], run.cpu_s, run.peak_rss_mb, counts.get("triples"),
                   ok=run.exit_code == 0)


# Planning the run ----------------------------------------------------------------------------------------------------


@dataclass
class Job:
    """A measurement to make: a mode on a file, with its fixed-cost twin on the warm-up file."""

    key: str
    label: str
    mode: str
    size: int
    weight: float
    """Rough relative cost, so the longest jobs start first when two run side by side."""
    passes: int = 1
    """Floor rows read the file this many times (at least FLOOR_ARTICLES articles in all)."""


@dataclass
class Plan:
    """Sizes and seed of a run, and the jobs (rows) it measures."""

    articles: int
    subset: int
    sizes: tuple[int, int]
    seed: int
    jobs: list[Job] = field(default_factory=list)


def make_plan(articles: int, subset: int, sizes: tuple[int, int], seed: int) -> Plan:
    """Rows a-f; the RSS rows reuse row b when a size equals --articles (same file, same mode)."""
    plan = Plan(articles, subset, sizes, seed)
    passes = {mode: max(1, math.ceil(least / articles)) for mode, least in FLOOR_ARTICLES.items()}
    times = {mode: f" x{n}" if n > 1 else "" for mode, n in passes.items()}
    plan.jobs = [
        Job("a", f"lxml parse floor (iterparse, clear){times['floor']}", "floor", articles, 0.01, passes["floor"]),
        Job("a2", f"floor + every field into dicts{times['floor-dicts']}", "floor-dicts", articles, 0.03,
            passes["floor-dicts"]),
        Job("b", "rdfgen dumps, validation", "dumps", articles, 1.0),
        Job("c", "rdfgen dumps, --no-validate", "dumps-novalidate", articles, 0.25),
        Job("d", "rdfgen documents + validation [subset]", "documents", subset, 2.2),
        Job("e", "rdflib Graph, no validation [subset]", "graph", subset, 0.6),
    ]
    for size in sizes:
        if size != articles:
            plan.jobs.append(Job(f"f{size}", f"rdfgen dumps, validation [RSS {size:,}]", "dumps", size, 1.0))
    return plan


def generate_files(plan: Plan, work: Path, workers: int) -> dict[int, Path]:
    """Every size the plan needs, generated in child processes (side by side); the warm-up and subset files are
    the first articles of the main one (same seed), so all rows measure the same records."""
    sizes = sorted({WARMUP_ARTICLES, plan.subset, plan.articles, *plan.sizes}, reverse=True)
    version = hashlib.sha1((BENCH / "generate.py").read_bytes()).hexdigest()[:8]  # a changed generator, new files
    paths = {n: work / f"pubmed-{n}-seed{plan.seed}-{version}.xml.gz" for n in sizes}

    def make(n: int) -> None:
        if paths[n].exists():
            progress(f"reusing {paths[n].name}")
            return
        progress(f"generating {n:,} articles -> {paths[n].name}")
        subprocess.run([sys.executable, str(BENCH / "generate.py"), str(n), str(paths[n]), "--seed", str(plan.seed)],
                       check=True, cwd=ROOT)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(make, sizes))
    return paths


def execute(job: Job, path: Path, out: Path, flag: str, keep: bool) -> Measure:
    """Run one job's mode on one file."""
    modes: dict[str, Callable[[], Measure]] = {
        "floor": lambda: measure_python(job.key, job.label, "floor", path, job.size, job.passes),
        "floor-dicts": lambda: measure_python(job.key, job.label, "floor-dicts", path, job.size, job.passes),
        "graph": lambda: measure_python(job.key, job.label, "graph", path, job.size),
        "dumps": lambda: measure_rdfgen(job.key, job.label, path, job.size, out, [flag], keep),
        "dumps-novalidate": lambda: measure_rdfgen(job.key, job.label, path, job.size, out, [flag, "--no-validate"],
                                                   keep),
        "documents": lambda: measure_rdfgen(job.key, job.label, path, job.size, out, [], keep),
    }
    return modes[job.mode]()


def run_plan(plan: Plan, paths: dict[int, Path], work: Path, workers: int, flag: str,
             keep: bool) -> dict[str, tuple[str, Measure]]:
    """Every job and its warm-up twin, longest first, ``workers`` children at a time."""
    warmups = [Job(f"warm-{mode}", f"{mode} (fixed cost)", mode, WARMUP_ARTICLES, 0.0)
               for mode in sorted({job.mode for job in plan.jobs})]
    tasks = sorted([*plan.jobs, *warmups], key=lambda job: -job.weight * job.size)
    results: dict[str, tuple[str, Measure]] = {}

    def one(job: Job) -> None:
        progress(f"start {job.key}: {job.label} on {job.size:,} articles")
        measure = execute(job, paths[job.size], work / f"out-{job.key}", flag, keep)
        results[job.key] = (job.mode, measure)
        progress(f"done  {job.key}: {measure.cpu_s:,.1f} CPU s, peak {measure.peak_rss_mb:,.0f} MB"
                 f"{'' if measure.ok else '  [' + (measure.note or 'failed') + ']'}")

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, tasks))
    return results


# Figures -------------------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """A table row: the measure of a mode on the full file, with the figures derived from it and its warm-up."""

    key: str
    label: str
    mode: str
    articles: int
    cpu_s: float
    peak_rss_mb: float
    triples: int | None
    ok: bool
    note: str
    fixed_cpu_s: float | None
    net_cpu_per_article: float
    raw_articles_per_s: float
    net_articles_per_s: float
    triples_per_article: float | None
    net_triples_per_s: float | None
    x_floor: float | None = None


def derive(results: dict[str, tuple[str, Measure]]) -> list[Row]:
    """Per row: raw and net (marginal) rates, triples/s and the CPU per article relative to the parse floor."""
    rows = []
    for key, (mode, m) in sorted(results.items(), key=lambda kv: _row_order(kv[0])):
        if key.startswith("warm-"):
            continue
        warm = results.get(f"warm-{mode}", (mode, None))[1]
        if warm and m.articles > warm.articles and m.cpu_s > warm.cpu_s:
            per_article = (m.cpu_s - warm.cpu_s) / (m.articles - warm.articles)
        else:
            per_article = m.cpu_s / max(m.articles, 1)
        per_triple = m.triples / m.articles if m.triples is not None and m.articles else None
        rows.append(Row(key, m.label, mode, m.articles, m.cpu_s, m.peak_rss_mb, m.triples, m.ok, m.note,
                        warm.cpu_s if warm else None, per_article, m.articles / m.cpu_s if m.cpu_s else 0.0,
                        1 / per_article if per_article else 0.0, per_triple,
                        per_triple / per_article if per_triple is not None and per_article else None))
    floor = next((r for r in rows if r.key == "a"), None)
    for row in rows:
        row.x_floor = row.net_cpu_per_article / floor.net_cpu_per_article if floor else None
    return rows


def _row_order(key: str) -> tuple[int, str]:
    order = {"a": 0, "a2": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    return (order.get(key, 6), key.rjust(12))


@dataclass
class Goal:
    """One of the issue's goals with the figure measured for it."""

    goal: str
    value: float | None
    target: float
    met: bool
    shown: str


def goals(rows: list[Row], plan: Plan) -> list[Goal]:
    """The issue's goals, each with the measured figure and met / NOT MET."""
    by_key = {r.key: r for r in rows}
    out: list[Goal] = []

    def add(text: str, value: float | None, target: float, higher_is_better: bool, unit: str,
            *sources: Row | None) -> None:
        met = value is not None and (value >= target if higher_is_better else value <= target)
        shown = "n/a" if value is None else f"{value:,.1f}{unit}" if value >= 10 else f"{value:,.3f}{unit}"
        failed = [r.key for r in sources if r is not None and not r.ok]
        if failed:
            shown += f" (row {', '.join(failed)} failed: see the table)"
        out.append(Goal(text, value, target, met, shown))

    floor, dumps, documents = by_key.get("a"), by_key.get("b"), by_key.get("d")
    add(f"dumps with validation >= {GOAL_DUMPS_RATE:.0f} articles/s per core",
        dumps.net_articles_per_s if dumps else None, GOAL_DUMPS_RATE, True, "/s", dumps)
    add(f"dumps with validation <= {GOAL_DUMPS_FLOOR_RATIO:.0f}x the CPU of the lxml parse floor",
        dumps.x_floor if dumps else None, GOAL_DUMPS_FLOOR_RATIO, False, "x", dumps, floor)
    add(f"per-record documents >= {GOAL_DOCUMENTS_RATE:.0f} articles/s per core",
        documents.net_articles_per_s if documents else None, GOAL_DOCUMENTS_RATE, True, "/s", documents)
    small, large = (by_key.get("b" if size == plan.articles else f"f{size}") for size in plan.sizes)
    ratio = large.peak_rss_mb / small.peak_rss_mb if small and large else None
    add(f"peak RSS flat: {plan.sizes[1]:,} articles within {GOAL_RSS_RATIO}x of {plan.sizes[0]:,}", ratio,
        GOAL_RSS_RATIO, False, "x", small, large)
    add(f"peak RSS under {GOAL_RSS_MB:.0f} MB ({plan.sizes[1]:,} articles, dumps with validation)",
        large.peak_rss_mb if large else None, GOAL_RSS_MB, False, " MB", large)
    return out


def table(rows: list[Row]) -> str:
    """One fixed-width table: raw figures, then the net (marginal) ones the goals use."""
    head = (f"{'row':<7}{'what':<41}{'articles':>9}{'CPU s':>9}{'fixed s':>8}{'art/s':>8}{'net art/s':>10}"
            f"{'triples/art':>12}{'net tr/s':>10}{'peak MB':>8}{'x floor':>9}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r.key:<7}{r.label[:40]:<41}{r.articles:>9,}{r.cpu_s:>9,.1f}{_fmt(r.fixed_cpu_s, 8, 1)}"
            f"{_fmt(r.raw_articles_per_s, 8, 1)}{_fmt(r.net_articles_per_s, 10, 1)}"
            f"{_fmt(r.triples_per_article, 12, 0)}{_fmt(r.net_triples_per_s, 10, 0)}{r.peak_rss_mb:>8,.0f}"
            f"{_fmt(r.x_floor, 9, 1)}" + ("" if r.ok else f"  FAILED: {r.note}"))
    return "\n".join(lines)


def _fmt(value: float | None, width: int, digits: int) -> str:
    if value is None:
        return f"{'-':>{width}}"
    return f"{value:>{width},.{digits}f}"


def git_commit() -> str | None:
    """The checkout's HEAD, to say which rdfgen the figures are for (read-only: no index refresh)."""
    proc = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False)
    return proc.stdout.strip() or None


def progress(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f}s] {message}", file=sys.stderr, flush=True)


# The command ---------------------------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, help="articles in the main file (default 5000; --quick 1000)")
    parser.add_argument("--subset", type=int, help="articles for the slow rows d and e (default 200; --quick 100)")
    parser.add_argument("--sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"),
                        help="sizes for the peak RSS check (default 5000 20000; --quick 1000 4000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a check in about a minute")
    parser.add_argument("--jobs", type=int, default=2, help="children measured side by side (CPU time is per child)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep generated files and build outputs in DIR "
                        "(and reuse files generated there before)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save every figure as JSON")
    args = parser.parse_args(argv)
    defaults = (1000, 100, [1000, 4000]) if args.quick else (5000, 200, [5000, 20000])
    args.articles = args.articles or defaults[0]
    args.subset = min(args.subset or defaults[1], args.articles)
    args.sizes = tuple(args.sizes or defaults[2])
    if args.subset <= WARMUP_ARTICLES or min(args.sizes) <= WARMUP_ARTICLES:
        parser.error(f"--subset and --sizes must exceed the {WARMUP_ARTICLES}-article warm-up file")
    return args


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child_main(argv[1:])
        return 0
    args = parse_args(argv)
    plan = make_plan(args.articles, args.subset, args.sizes, args.seed)
    work = args.keep or Path(tempfile.mkdtemp(prefix="rdfgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        paths = generate_files(plan, work, args.jobs)
        sys.path.insert(0, str(BENCH))
        from generate import describe

        profile = describe([paths[plan.articles]])
        profile["gzip_mb"] = paths[plan.articles].stat().st_size / 1e6
        flag = documents_off_flag()
        progress(f"rdfgen build without documents: {flag}")
        results = run_plan(plan, paths, work, args.jobs, flag, keep=args.keep is not None)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    rows = derive(results)
    checks = goals(rows, plan)
    commit = git_commit()
    report(plan, profile, rows, checks, flag, commit)
    if args.json:
        args.json.write_text(json.dumps({
            "plan": {"articles": plan.articles, "subset": plan.subset, "sizes": plan.sizes, "seed": plan.seed,
                     "warmup_articles": WARMUP_ARTICLES},
            "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
            "rdfgen_commit": commit, "documents_off_flag": flag,
            "profile": profile, "rows": [asdict(r) for r in rows],
            "warmups": {k: asdict(m) for k, (_mode, m) in results.items() if k.startswith("warm-")},
            "goals": [asdict(g) for g in checks]}, indent=2) + "\n")
        progress(f"figures saved to {args.json}")
    return 0 if all(r.ok for r in rows) else 1


def report(plan: Plan, profile: dict[str, float], rows: list[Row], checks: list[Goal], flag: str,
           commit: str | None) -> None:
    """What a reader needs: the file, the table, how to read it, and the goals."""
    print(f"file: {plan.articles:,} generated articles, seed {plan.seed}, {profile['gzip_mb']:,.1f} MB gzip; per "
          f"article {profile['authors_mean']:.1f} authors, {profile['mesh_headings_mean']:.1f} MeSH headings, "
          f"{profile['references_mean']:.1f} references, {profile['keywords_mean']:.1f} keywords; rows marked "
          f"[subset]: its first {plan.subset:,}")
    print(f"rdfgen: the working tree at {commit[:10] if commit else '?'}; dumps rows run build {flag}; python "
          f"{platform.python_version()}, {os.cpu_count()} CPUs.")
    print(f"CPU s: user+sys of the child process. fixed s: the same mode on the first {WARMUP_ARTICLES} articles "
          "(start-up, imports, first-use loading).")
    print(f"net art/s = (N - {WARMUP_ARTICLES}) / (CPU s - fixed s), the per-core rate the goals use; "
          "art/s = N / CPU s. x floor: net CPU per article / row a's.")
    print("triples: lines of the build's dataset.nt.gz (the MeSH tree once per dataset; --no-documents dumps may "
          "repeat shared statements), distinct triples of the Graph for row e.")
    print()
    print(table(rows))
    print()
    for check in checks:
        print(f"{check.goal}: {check.shown} {'met' if check.met else 'NOT MET'}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
