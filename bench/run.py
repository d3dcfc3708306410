"""The fast-path benchmark: one command, generated files, every figure the issue's goals are judged by.

    python bench/run.py          # 5,000 articles, subset 200, RSS at 5,000 and 20,000; scale: 4 x 2,500,
                                 # 10 x 1,000 + update 1,000, and the update measured on 10 x 10,000 (10+ minutes)
    python bench/run.py --quick  # 1,000 articles, subset 100, RSS at 1,000 and 4,000; scale: 4 x 500,
                                 # 10 x 100 + update 200, no 10 x 10,000 (about 2 minutes)
    python bench/run.py --articles 2000 --subset 100 --sizes 2000 8000 --json figures.json --keep /tmp/bench
    python bench/run.py --parallel 4 1000 --dataset 10 500 --update 500 --big-dataset 0 0

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

Then, one command at a time and in wall time (bench/scale.py says why, and how the pool workers' CPU is counted):

  g. ``rdfgen build --jobs 1`` against ``--jobs N`` (N: the cores) on the same --parallel files, --no-documents;
  h. a --dataset of FILES x ARTICLES built from scratch, then ``rdfgen load`` of it into a fresh store;
  i. the same build command plus one update file of --update records (half revise records spread over the
     dataset, half are new, and it deletes a few), into the same folder: the dataset's files are skipped as up to
     date, so this is what adding an update costs;
  j. (h) and (i) again on the --big-dataset, without the load, so the goal "an update of 1,000 records into a
     100,000-article dataset" is measured rather than extrapolated (--big-dataset 0 0 skips it; --quick does).

The full-baseline line multiplies row b's per-core rate by 16 cores and by the parallel efficiency of (g).
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
    from scale import Scale, ScalePlan, Step, Update

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
GOAL_JOBS_RATIO = 1.7
GOAL_UPDATE_S = 10.0
GOAL_UPDATE_RECORDS = 1_000
GOAL_UPDATE_DATASET = 100_000
GOAL_LOAD_QUADS_S = 200_000.0
GOAL_LOAD_RSS_MB = 1024.0
GOAL_BASELINE_H = 1.5
BASELINE_FILES, BASELINE_FILE_ARTICLES, BASELINE_CORES = 1_300, 30_000, 16
"""The full PubMed baseline the extrapolation is about: about 1,300 files of 30,000 articles, on 16 cores."""


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
    """One child process: its CPU seconds (user + sys, and sys alone), peak RSS, exit code and what it printed."""

    cpu_s: float
    peak_rss_mb: float
    exit_code: int
    stdout: str
    stderr: str
    sys_s: float = 0.0


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
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), usage.ru_stime)


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
    sys_s: float = 0.0
    """The kernel's part of cpu_s: with per-record documents, mostly creating files (eight a record)."""


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
                   ok=run.exit_code == 0 and skipped == 0, note=note, sys_s=run.sys_s)


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
    sys_s: float = 0.0


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
                        per_triple / per_article if per_triple is not None and per_article else None,
                        sys_s=m.sys_s))
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


def scale_goals(scale: Scale, rows: list[Row]) -> list[Goal]:
    """The scale goals: the --jobs speed-up, an update's cost, the store load, and the full-baseline line."""
    out: list[Goal] = []
    par, case = scale.parallel, scale.dataset
    if par and par.ratio is not None:
        wide = max(par.steps)
        out.append(_goal(f"build --jobs {wide} throughput >= {GOAL_JOBS_RATIO}x --jobs 1 ({par.files} x "
                         f"{par.articles:,} articles, wall)", par.ratio, GOAL_JOBS_RATIO, True,
                         f"{par.ratio:.2f}x", *par.steps.values()))
    measured = scale.big if scale.big and scale.big.update else case
    dumps = next((r for r in rows if r.key == "b"), None)
    if measured and measured.update:
        out.append(update_goal(measured, dumps.fixed_cpu_s if dumps else None))
    if case and case.load:
        load = case.load
        out.append(_goal(f"store load >= {GOAL_LOAD_QUADS_S:,.0f} quads/s (wall, {case.files} x {case.articles:,})",
                         load.rate, GOAL_LOAD_QUADS_S, True, f"{load.rate:,.0f} quads/s ({load.items:,} quads in "
                         f"{load.wall_s:,.1f} s{'; ' + load.note if load.note else ''})" + engine_ceiling(case),
                         load))
        out.append(_goal(f"store load peak RSS < {GOAL_LOAD_RSS_MB:,.0f} MB", load.peak_rss_mb, GOAL_LOAD_RSS_MB,
                         False, f"{load.peak_rss_mb:,.0f} MB", load))
    if dumps and par and par.ratio is not None:
        out.append(baseline_goal(dumps, par.ratio, max(par.steps)))
    return out


def engine_ceiling(case: Update) -> str:
    """What pyoxigraph's own bulk loader did with the same quads in the same run: in the calls of ``GROUP_QUADS``
    lines the load's memory bound needs (the ceiling: a load goal above it cannot be met by rdfgen's loader on this
    machine whatever rdfgen does around the engine), and in one call (its best case: memory unbounded, compaction
    left for after the process)."""
    if case.load is None:
        return ""
    said = []
    for engine, what in ((case.grouped, "in the same groups (the ceiling)"), (case.engine, "in one call")):
        if engine is None:
            continue
        if not engine.ok:
            said.append(f"the engine alone {what} failed: {engine.note}")
            continue
        said.append(f"pyoxigraph's own bulk_load of the same quads {what}, nothing else: {engine.rate:,.0f} quads/s "
                    f"({engine.wall_s:,.1f} s, {engine.cpu_s:,.1f} CPU s, {engine.busy:.2f} cores busy, peak "
                    f"{engine.peak_rss_mb:,.0f} MB; {engine.note}); rdfgen load is "
                    f"{engine.wall_s / case.load.wall_s:.0%} of its speed")
    return "".join(f"; {s}" for s in said)


def _goal(text: str, value: float | None, target: float, higher_is_better: bool, shown: str,
          *sources: Step | Row | None) -> Goal:
    """A Goal, with the failed rows it rests on named (a failed row's figure means nothing)."""
    met = value is not None and (value >= target if higher_is_better else value <= target)
    failed = [s.key for s in sources if s is not None and not s.ok]
    if failed:
        shown += f" (row {', '.join(failed)} failed: see the table)"
    return Goal(text, value, target, met, shown)


def update_goal(case: Update, fixed_s: float | None) -> Goal:
    """Measured when ``case`` (the largest dataset run) has the goal's sizes; else extrapolated from it, and said
    so: judged on all of the update's time taken as proportional to its records (an upper bound), with the figure
    that keeps a build's fixed start-up (``fixed_s``, row b's warm-up) out of the scaling next to it."""
    text = (f"an update of {GOAL_UPDATE_RECORDS:,} records into a {GOAL_UPDATE_DATASET:,}-article dataset "
            f"< {GOAL_UPDATE_S:.0f} s (wall)")
    if case.update is None:
        return _goal(text, None, GOAL_UPDATE_S, False, "not measured")
    size = f"{case.records:,} records into {case.files} x {case.articles:,}"
    if case.records == GOAL_UPDATE_RECORDS and case.files * case.articles >= GOAL_UPDATE_DATASET:
        return _goal(text, case.update.wall_s, GOAL_UPDATE_S, False,
                     f"measured: {case.update.wall_s:,.1f} s for {size}", case.full, case.update)
    factor = GOAL_UPDATE_RECORDS / case.records
    value = case.update.wall_s * factor
    shown = (f"EXTRAPOLATED, not measured: {case.update.wall_s:,.1f} s measured for {size} x "
             f"{GOAL_UPDATE_RECORDS:,}/{case.records:,} = {value:,.1f} s (assumes the time proportional to the update, "
             "start-up included, and independent of the dataset's size")
    if fixed_s is not None and factor != 1 and case.update.wall_s > fixed_s:
        shown += (f"; with the {fixed_s:.1f} s start-up of row b's warm-up not scaled: {fixed_s:.1f} + "
                  f"({case.update.wall_s:,.1f} - {fixed_s:.1f}) x {factor:g} = "
                  f"{fixed_s + (case.update.wall_s - fixed_s) * factor:,.1f} s")
    return _goal(text, value, GOAL_UPDATE_S, False, shown + ")", case.full, case.update)


def baseline_goal(dumps: Row, ratio: float, jobs: int) -> Goal:
    """Hours for the full baseline: row b's per-core rate x 16 cores x the parallel efficiency measured at
    ``jobs`` (capped at 1), which assumes that efficiency holds at 16 cores."""
    articles = BASELINE_FILES * BASELINE_FILE_ARTICLES
    efficiency = min(ratio / jobs, 1.0)
    rate = dumps.net_articles_per_s * BASELINE_CORES * efficiency
    seconds = articles / rate if rate else math.inf
    text = (f"full baseline (about {BASELINE_FILES:,} files x {BASELINE_FILE_ARTICLES:,} = {articles / 1e6:.0f} M "
            f"articles) on {BASELINE_CORES} cores < {GOAL_BASELINE_H} h")
    shown = (f"{seconds / 3600:,.2f} hours = {articles:,} / ({dumps.net_articles_per_s:,.1f} art/s per core (row b) "
             f"x {BASELINE_CORES} cores x {efficiency:.2f} efficiency (jobs {jobs}/1 ratio {ratio:.2f} / {jobs})) = "
             f"{articles:,} / {rate:,.0f} art/s = {seconds:,.0f} s")
    return _goal(text, seconds / 3600, GOAL_BASELINE_H, False, shown, dumps)


def scale_notes(scale: Scale) -> list[str]:
    """What the scale table shows besides the goals: whether the wall figures can be trusted, whether the workers'
    CPU is counted, and update / full build."""
    from scale import steps

    notes = []
    timed = steps(scale)
    cores = os.cpu_count() or 1
    if timed and max(s.load_avg for s in timed) >= cores + 1:  # about 1 of it is this benchmark's previous command
        loads = [s.load_avg for s in timed]
        notes.append(f"CAUTION: load averages {min(loads):.1f}-{max(loads):.1f} on {cores} cores during these rows: "
                     "neighbours held cores, so the wall figures (and the --jobs ratio most) understate rdfgen; "
                     "see busy, and rerun on a quiet machine")
    par = scale.parallel
    if par and par.cpu_ratio is not None:
        wide = par.steps[max(par.steps)]
        counted = (f"{wide.adopted_cpu_s:,.1f} of its {wide.cpu_s:,.1f} CPU s came from the adopted fork server and "
                   "its workers" if scale.adopting else "this process could not adopt orphans: the pool workers' "
                   "CPU is NOT counted")
        check = "" if par.cpu_ratio >= 0.8 else "; below 0.8: some workers' CPU is missing"
        notes.append(f"CPU check: --jobs {max(par.steps)} used {par.cpu_ratio:.2f}x the CPU of --jobs 1 on the same "
                     f"files ({counted}{check})")
    for case in (scale.dataset, scale.big):
        if case and case.full and case.update and case.ratio is not None:
            cpu = case.update.cpu_s / case.full.cpu_s if case.full.cpu_s else 0.0
            notes.append(f"update of {case.records:,} records ({case.revised:,} revised, {case.new:,} new, "
                         f"{case.deleted} deleted) into {case.files} x {case.articles:,}: {case.update.wall_s:,.1f} s "
                         f"wall, {case.update.cpu_s:,.1f} CPU s; building those {case.files} files: "
                         f"{case.full.wall_s:,.1f} s wall, {case.full.cpu_s:,.1f} CPU s; ratio {case.ratio:.3f} wall, "
                         f"{cpu:.3f} CPU")
    return notes


def table(rows: list[Row]) -> str:
    """One fixed-width table: raw figures, then the net (marginal) ones the goals use."""
    head = (f"{'row':<7}{'what':<41}{'articles':>9}{'CPU s':>9}{'sys s':>7}{'fixed s':>8}{'art/s':>8}{'net art/s':>10}"
            f"{'triples/art':>12}{'net tr/s':>10}{'peak MB':>8}{'x floor':>9}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r.key:<7}{r.label[:40]:<41}{r.articles:>9,}{r.cpu_s:>9,.1f}{r.sys_s:>7,.1f}{_fmt(r.fixed_cpu_s, 8, 1)}"
            f"{_fmt(r.raw_articles_per_s, 8, 1)}{_fmt(r.net_articles_per_s, 10, 1)}"
            f"{_fmt(r.triples_per_article, 12, 0)}{_fmt(r.net_triples_per_s, 10, 0)}{r.peak_rss_mb:>8,.0f}"
            f"{_fmt(r.x_floor, 9, 1)}" + ("" if r.ok else f"  FAILED: {r.note}"))
    return "\n".join(lines)


def _fmt(value: float | None, width: int, digits: int) -> str:
    if value is None:
        return f"{'-':>{width}}"
    return f"{value:>{width},.{digits}f}"


def native_writer() -> str:
    """Which writer of shard members the builds measured here use: the C extension, or its Python twin where the
    extension was not built (no compiler at install), which costs about 14% more CPU a record."""
    proc = subprocess.run([sys.executable, "-c", "import rdfgen.publish.members as m; print(m._native is not None)"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    built = proc.stdout.strip() == "True"
    return "the C extension (rdfgen._native)" if built else "the Python twin (rdfgen._native not built)"


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
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a check in about two minutes")
    parser.add_argument("--jobs", type=int, default=2, help="children measured side by side (CPU time is per child)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep generated files and build outputs in DIR "
                        "(and reuse files generated there before)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save every figure as JSON")
    scale = parser.add_argument_group("scale (wall time, one command at a time; FILES 0 skips a section)")
    scale.add_argument("--parallel", type=int, nargs=2, metavar=("FILES", "ARTICLES"),
                       help="files for --jobs 1 against --jobs N (default 4 2500; --quick 4 500)")
    scale.add_argument("--dataset", type=int, nargs=2, metavar=("FILES", "ARTICLES"),
                       help="dataset that is built, loaded into a store and updated (default 10 1000; --quick 10 100)")
    scale.add_argument("--update", type=int, metavar="RECORDS",
                       help="records in the update file (default 1000; --quick 200)")
    scale.add_argument("--big-dataset", type=int, nargs=2, metavar=("FILES", "ARTICLES"),
                       help="dataset the update is also measured on, to judge the 100,000-article goal without "
                            "extrapolating (default 10 10000; --quick 0 0: skipped)")
    scale.add_argument("--build-jobs", type=int, default=max(2, os.cpu_count() or 1), metavar="N",
                       help="the --jobs compared with --jobs 1, and used for the dataset builds (default: the cores, "
                            "at least 2)")
    scale.add_argument("--repeats", type=int, help="runs of each --jobs, the fastest kept (default 2; --quick 1)")
    args = parser.parse_args(argv)
    defaults = (1000, 100, [1000, 4000]) if args.quick else (5000, 200, [5000, 20000])
    args.articles = args.articles or defaults[0]
    args.subset = min(args.subset or defaults[1], args.articles)
    args.sizes = tuple(args.sizes or defaults[2])
    if args.subset <= WARMUP_ARTICLES or min(args.sizes) <= WARMUP_ARTICLES:
        parser.error(f"--subset and --sizes must exceed the {WARMUP_ARTICLES}-article warm-up file")
    scaled = ((4, 500), (10, 100), 200, (0, 0), 1) if args.quick else ((4, 2500), (10, 1000), 1000, (10, 10000), 2)
    for name, default in zip(("parallel", "dataset", "update", "big_dataset", "repeats"), scaled, strict=True):
        value = getattr(args, name)
        setattr(args, name, default if value is None else tuple(value) if isinstance(value, list) else value)
    for name in ("parallel", "dataset", "big_dataset"):
        files, articles = getattr(args, name)
        if files < 0 or (files and articles < 1):
            parser.error(f"--{name.replace('_', '-')}: FILES >= 0 and ARTICLES >= 1")
    if args.update < 1 or args.repeats < 1 or args.build_jobs < 2:
        parser.error("--update and --repeats must be at least 1, --build-jobs at least 2")
    return args


def make_scale_plan(args: argparse.Namespace) -> ScalePlan:
    """The scale sections' sizes (scale is imported late, as generate is: bench/ is not a package)."""
    from scale import ScalePlan

    return ScalePlan(args.parallel, args.dataset, args.update, args.big_dataset, args.build_jobs, args.repeats,
                     args.seed)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child_main(argv[1:])
        return 0
    args = parse_args(argv)
    plan = make_plan(args.articles, args.subset, args.sizes, args.seed)
    work = args.keep or Path(tempfile.mkdtemp(prefix="rdfgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(BENCH))
    from generate import describe
    from scale import generate_inputs, run_scale, steps

    scale_plan = make_scale_plan(args)
    scale_inputs = scale_plan.inputs()
    try:
        paths = generate_files(plan, work, args.jobs)
        generate_inputs([spec for specs in scale_inputs.values() for spec in specs], work, args.jobs, progress)
        profile = describe([paths[plan.articles]])
        profile["gzip_mb"] = paths[plan.articles].stat().st_size / 1e6
        flag = documents_off_flag()
        progress(f"rdfgen build without documents: {flag}")
        results = run_plan(plan, paths, work, args.jobs, flag, keep=args.keep is not None)
        scale = run_scale(scale_plan, scale_inputs, work, flag, args.keep is not None, progress)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    rows = derive(results)
    checks = goals(rows, plan) + scale_goals(scale, rows)
    commit = git_commit()
    report(plan, profile, rows, checks, flag, commit, scale)
    if args.json:
        args.json.write_text(json.dumps({
            "plan": {"articles": plan.articles, "subset": plan.subset, "sizes": plan.sizes, "seed": plan.seed,
                     "warmup_articles": WARMUP_ARTICLES},
            "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
            "rdfgen_commit": commit, "documents_off_flag": flag,
            "profile": profile, "rows": [asdict(r) for r in rows],
            "warmups": {k: asdict(m) for k, (_mode, m) in results.items() if k.startswith("warm-")},
            "scale": scale_json(scale, scale_plan),
            "goals": [asdict(g) for g in checks]}, indent=2) + "\n")
        progress(f"figures saved to {args.json}")
    return 0 if all(r.ok for r in rows) and all(s.ok for s in steps(scale)) else 1


def scale_json(scale: Scale, plan: ScalePlan) -> dict[str, object]:
    """The scale sections as saved: every step (with its rate and busy), the plan and the derived ratios."""
    from scale import steps

    return {"plan": asdict(plan), "adopting": scale.adopting,
            "steps": [asdict(s) | {"rate": s.rate, "busy": s.busy} for s in steps(scale)],
            "jobs_ratio": scale.parallel.ratio if scale.parallel else None,
            "jobs_cpu_ratio": scale.parallel.cpu_ratio if scale.parallel else None,
            "updates": [{k: v for k, v in asdict(case).items() if k not in ("full", "load", "engine", "update")}
                        | {"ratio": case.ratio} for case in (scale.dataset, scale.big) if case]}


def report(plan: Plan, profile: dict[str, float], rows: list[Row], checks: list[Goal], flag: str,
           commit: str | None, scale: Scale) -> None:
    """What a reader needs: the file, the table, how to read it, the scale table, and the goals."""
    print(f"file: {plan.articles:,} generated articles, seed {plan.seed}, {profile['gzip_mb']:,.1f} MB gzip; per "
          f"article {profile['authors_mean']:.1f} authors, {profile['mesh_headings_mean']:.1f} MeSH headings, "
          f"{profile['references_mean']:.1f} references, {profile['keywords_mean']:.1f} keywords; rows marked "
          f"[subset]: its first {plan.subset:,}")
    print(f"rdfgen: the working tree at {commit[:10] if commit else '?'}; dumps rows run build {flag}; python "
          f"{platform.python_version()}, {os.cpu_count()} CPUs; shard members written by {native_writer()}.")
    print("CPU s: user+sys of the child process; sys s: the kernel's part of it (with documents, mostly creating "
          "eight files a record: it varies with the file system's state). fixed s: the same mode on the first "
          f"{WARMUP_ARTICLES} articles (start-up, imports, first-use loading).")
    print(f"net art/s = (N - {WARMUP_ARTICLES}) / (CPU s - fixed s), the per-core rate the goals use; "
          "art/s = N / CPU s. x floor: net CPU per article / row a's.")
    print("triples: lines of the build's dataset.nt.gz (the MeSH tree once per dataset; --no-documents dumps may "
          "repeat shared statements), distinct triples of the Graph for row e.")
    print()
    print(table(rows))
    print()
    report_scale(scale)
    for check in checks:
        print(f"{check.goal}: {check.shown} {'met' if check.met else 'NOT MET'}")


def report_scale(scale: Scale) -> None:
    """The scale table, how to read it, and what it shows besides the goals."""
    from scale import table as scale_table

    if not (scale.parallel or scale.dataset or scale.big):
        return
    print("scale: one command at a time, builds without documents; wall s: until the command exited; per wall s: "
          "items / wall s.")
    print("CPU s: the command and all its descendants (the pool's fork server and workers adopted and reaped here). "
          "busy: CPU s / wall s,")
    print("the cores kept busy. load: 1-minute load average at the start (the machine is shared: busy well under "
          "--jobs with a high load")
    print("means neighbours took the cores). peak MB: the largest of its processes. Base files have disjoint PMIDs; "
          "the update revises")
    print("records spread over all of them, adds new ones, deletes a few. runs: wall s of every repeat, fastest kept.")
    print()
    print(scale_table(scale))
    print()
    for note in scale_notes(scale):
        print(note)
    print()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
