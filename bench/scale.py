"""Scale figures for bench/run.py: what ``rdfgen build --jobs`` gains, what adding an update file costs, how fast
``rdfgen load`` fills a store (and how fast pyoxigraph's own bulk loader fills one with the same quads: the
engine's ceiling here). Measured in wall time, because waiting is what parallelism and incremental builds
are about; CPU seconds are reported next to it.

Why wall time can be read at all on a shared machine: every step also records the 1-minute load average when it
started and "busy", its CPU seconds over its wall seconds (the cores it kept busy). A build --jobs 2 that is busy 1.2
was sharing the cores with a neighbour; one busy 1.9 was not. Repeats (``repeats``) keep the fastest run.

Why this process becomes a child subreaper: ``rdfgen build --jobs N`` starts its workers from multiprocessing's fork
server, a child of the build that the build never waits for. When the build exits the fork server is orphaned, and
its CPU, with that of the workers it reaped, goes to whoever adopts it: init by default. ``os.wait4`` on the build
then counted 0.4 CPU s for a build whose workers used 11 (RUSAGE_CHILDREN likewise). With PR_SET_CHILD_SUBREAPER
this process adopts those orphans instead, and reaping them adds their rusage exactly, with no sampling.

Why the inputs are not plain ``generate.py`` files: files of different seeds share one PMID range, so ten files of
1,000 hold about 3,000 distinct PMIDs and every file supersedes most of the one before. A baseline's files have
disjoint PMIDs, and an update file revises records spread over many of them, adds new ones and deletes a few. So the
records are generate.py's (``article_xml``), but each file gets chosen PMIDs: base files disjoint ranges; the update
file revises :data:`REVISED_SHARE` of its records from across the whole base (every shard gets blanks: the spread
case, not the easy one), adds the rest as new PMIDs, and deletes :data:`DELETED_SHARE` of its size from the base.

    python bench/scale.py --generate SPEC.json OUT.xml.gz    # what the generating children run
    python bench/scale.py --engine-load DUMP.nq STORE [GROUP]  # the engine's own bulk load, in a child
"""

from __future__ import annotations

import ctypes
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

PR_SET_CHILD_SUBREAPER = 36
"""linux/prctl.h: orphaned descendants are re-parented to this process instead of init."""
ADOPTED_WAIT_S = 15.0
"""How long to wait for orphans (the fork server, the resource tracker) to exit after the build has."""
PMID_SPAN = 5
"""generate.pmids() steps 1-5 between PMIDs, so n records fit in 5n PMIDs: the stride between base files."""
REVISED_SHARE = 0.5
"""Share of the update file's records that are new versions of base records; the rest are new PMIDs."""
DELETED_SHARE = 0.02
"""Base records the update file deletes (DeleteCitation), as a share of its record count."""

Log = Callable[[str], None]


# Measuring a command in wall time, with its orphans ------------------------------------------------------------------


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux only), so the pool workers' CPU can be counted; False where impossible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


@dataclass
class WallRun:
    """One command: wall seconds until it exited, CPU of it and every descendant, the largest peak RSS among them."""

    wall_s: float
    cpu_s: float
    adopted_cpu_s: float
    """Of cpu_s, what orphans adopted and reaped here used (the fork server with its workers, the resource tracker)."""
    adopted: int
    peak_rss_mb: float
    load_avg: float
    exit_code: int
    stdout: str
    stderr: str
    lingering: bool = False
    """True when some orphan was still running after ADOPTED_WAIT_S: its CPU is missing from cpu_s."""


def run_wall(cmd: list[str]) -> WallRun:
    """Run a command alone and time it. Must not overlap any other child of this process: reaping the adopted
    orphans waits for any child."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    load_avg = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        adopted_cpu, adopted_rss, adopted, lingering = reap_adopted()
        out.seek(0)
        err.seek(0)
        return WallRun(wall, usage.ru_utime + usage.ru_stime + adopted_cpu, adopted_cpu, adopted,
                       max(usage.ru_maxrss, adopted_rss) / 1024, load_avg, proc.returncode,
                       out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), lingering)


def reap_adopted(timeout: float = ADOPTED_WAIT_S) -> tuple[float, int, int, bool]:
    """Wait for every adopted orphan: (their CPU s, largest ru_maxrss in kB, how many, whether one outlived us)."""
    cpu, rss, count = 0.0, 0, 0
    deadline = time.monotonic() + timeout
    while True:
        try:
            pid, _status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return cpu, rss, count, False
        if pid == 0:
            if time.monotonic() > deadline:
                return cpu, rss, count, True
            time.sleep(0.02)
            continue
        cpu += usage.ru_utime + usage.ru_stime
        rss = max(rss, usage.ru_maxrss)
        count += 1


# Inputs ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputSpec:
    """One generated input file: generate.py's records for ``seed`` (record i is ``article_xml(ctx, i, pmids[i])``),
    with these PMIDs, and a DeleteCitation of ``deletions``."""

    name: str
    seed: int
    pmids: tuple[int, ...]
    deletions: tuple[int, ...] = ()

    def path(self, work: Path) -> Path:
        """Named by content, so --keep reuses a file only if the spec and generate.py are unchanged."""
        key = json.dumps([self.seed, self.pmids, self.deletions, _generator_version()]).encode()
        return work / f"{self.name}-{hashlib.sha1(key).hexdigest()[:10]}.xml.gz"


@cache
def _generator_version() -> str:
    """A changed generate.py (or this file's writer) makes new files."""
    return hashlib.sha1((BENCH / "generate.py").read_bytes() + Path(__file__).read_bytes()).hexdigest()


def _generate_module() -> ModuleType:
    """bench/generate.py, imported from its folder (bench/ is not a package)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import generate

    return generate


def base_specs(prefix: str, files: int, articles: int, seed: int) -> list[InputSpec]:
    """``files`` files of ``articles`` records with disjoint PMID ranges, in increasing order, as a baseline's."""
    gen = _generate_module()
    stride = PMID_SPAN * articles
    return [InputSpec(f"{prefix}{i + 1:02d}", seed + i, tuple(p + i * stride for p in gen.pmids(articles, seed + i)))
            for i in range(files)]


def update_spec(name: str, base: Sequence[InputSpec], records: int, seed: int) -> InputSpec:
    """An update file of ``records`` records: REVISED_SHARE of them new versions of base records spread evenly over
    the whole base, the rest new PMIDs past its end; it deletes DELETED_SHARE x records other base records."""
    gen = _generate_module()
    existing = sorted(p for spec in base for p in spec.pmids)
    revised = _spread(existing, min(round(records * REVISED_SHARE), len(existing)))
    taken = set(revised)
    deleted = _spread([p for p in existing if p not in taken], max(1, round(records * DELETED_SHARE)))
    fresh = [existing[-1] + p - gen.FIRST_PMID for p in gen.pmids(records - len(revised), seed)]
    return InputSpec(name, seed, tuple(revised + fresh), tuple(deleted))


def _spread(values: Sequence[int], k: int) -> list[int]:
    """k values evenly spaced through ``values`` (the middle of each of k equal slices)."""
    return [values[(2 * i + 1) * len(values) // (2 * k)] for i in range(k)] if k > 0 else []


def write_input(spec: InputSpec, path: Path) -> None:
    """The file, gzipped like generate.py's (mtime 0, no name): same spec, same bytes."""
    gen = _generate_module()
    ctx = gen.make_context(spec.seed)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz, \
            io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as out:
        out.write(gen.HEAD)
        for index, pmid in enumerate(spec.pmids):
            out.write(gen.article_xml(ctx, index, pmid))
        if spec.deletions:
            out.write("  <DeleteCitation>\n")
            out.writelines(f'    <PMID Version="1">{p}</PMID>\n' for p in spec.deletions)
            out.write("  </DeleteCitation>\n")
        out.write("</PubmedArticleSet>\n")
    tmp.replace(path)


def generate_inputs(specs: Sequence[InputSpec], work: Path, workers: int, log: Log) -> None:
    """Every spec's file not already in ``work``, in child processes side by side (one record stream each)."""
    todo = [spec for spec in specs if not spec.path(work).exists()]
    if len(todo) < len(specs):
        log(f"reusing {len(specs) - len(todo)} generated scale input(s)")

    def make(spec: InputSpec) -> None:
        path = spec.path(work)
        spec_file = path.with_suffix(".spec.json")
        spec_file.write_text(json.dumps({"name": spec.name, "seed": spec.seed, "pmids": spec.pmids,
                                         "deletions": spec.deletions}))
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--generate", str(spec_file), str(path)],
                       check=True, cwd=ROOT)
        spec_file.unlink()

    if todo:
        log(f"generating {len(todo)} scale input(s), {sum(len(s.pmids) for s in todo):,} articles")
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(make, sorted(todo, key=lambda s: -len(s.pmids))))


# Steps ----------------------------------------------------------------------------------------------------------------


@dataclass
class Step:
    """A row of the scale table: one command, timed."""

    key: str
    label: str
    items: int
    """Articles for a build, quads for a load."""
    unit: str
    wall_s: float
    cpu_s: float
    adopted_cpu_s: float
    peak_rss_mb: float
    load_avg: float
    ok: bool = True
    note: str = ""
    walls: list[float] = field(default_factory=list)
    """Wall seconds of every repeat (the step keeps the fastest)."""

    @property
    def rate(self) -> float:
        return self.items / self.wall_s if self.wall_s else 0.0

    @property
    def busy(self) -> float:
        return self.cpu_s / self.wall_s if self.wall_s else 0.0


_SUMMARY = re.compile(r"records read: (\d+), published: (\d+), skipped: (\d+)(?:, deleted: (\d+))?")
_QUADS = re.compile(r"([\d,]+) quads")
_PHASES = re.compile(r"records [\d.]+ s \([\d,]+ quads/s\), statistics [\d.]+ s, catalog [\d.]+ s")


def _step(key: str, label: str, items: int, unit: str, run: WallRun, problem: str) -> Step:
    note = problem or ("" if run.exit_code == 0 else f"exit {run.exit_code}: {run.stderr.strip()[-300:]}")
    if run.lingering:
        note = (note + "; " if note else "") + "an orphan outlived the wait: its CPU is not counted"
    return Step(key, label, items, unit, run.wall_s, run.cpu_s, run.adopted_cpu_s, run.peak_rss_mb, run.load_avg,
                ok=run.exit_code == 0 and not problem, note=note, walls=[run.wall_s])


def build_cmd(paths: Sequence[Path], out: Path, flag: str, jobs: int) -> list[str]:
    return [sys.executable, "-m", "rdfgen", "build", *map(str, paths), "--out", str(out), "-q", flag,
            "--jobs", str(jobs)]


def measure_build(key: str, label: str, paths: Sequence[Path], out: Path, flag: str, jobs: int, *, read: int,
                  deleted: int = 0, fresh: bool = True) -> Step:
    """``rdfgen build`` into ``out`` (emptied first when ``fresh``); a problem when the summary does not show
    exactly ``read`` records read (for an update: the update alone, so the other files really were skipped)."""
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    run = run_wall(build_cmd(paths, out, flag, jobs))
    summary = _SUMMARY.search(run.stdout)
    problem = ""
    if summary is None:
        problem = f"no summary: {(run.stderr or run.stdout).strip()[-300:]}"
    elif int(summary[1]) != read or int(summary[3]) or (summary[4] is not None and int(summary[4]) != deleted):
        problem = f"expected {read:,} read, 0 skipped, {deleted} deleted; got: {summary[0]}"
    return _step(key, label, int(summary[2]) if summary else read, "art", run, problem)


def measure_load(key: str, label: str, out: Path, store: Path) -> Step:
    """``rdfgen load OUT --store STORE`` into a fresh store; quads from its output, else counted in the store."""
    shutil.rmtree(store, ignore_errors=True)
    run = run_wall([sys.executable, "-m", "rdfgen", "load", str(out), "--store", str(store)])
    found = _QUADS.search(run.stdout)
    quads = int(found[1].replace(",", "")) if found else count_quads(store)
    problem = "" if quads else f"no quads: {(run.stderr or run.stdout).strip()[-300:]}"
    step = _step(key, label, quads, "quads", run, problem)
    phases = _PHASES.search(run.stdout)
    if step.ok and phases:  # what of the wall went to the records, and what to the statistics and the catalog after
        step.note = phases[0]
    return step


def measure_engine(key: str, label: str, out: Path, store: Path, work: Path, group: int = 0) -> Step:
    """pyoxigraph's ``bulk_load`` of ``out``'s ``dataset.nq.gz``, uncompressed to a file first (untimed), in a
    child that does nothing else: the engine's own speed on the quads ``rdfgen load`` applies, without rdfgen's
    record-by-record replacement, checkpoints, statistics or catalog. Items are the dump's lines, the unit
    ``rdfgen load`` counts in (shared statements are repeated in each record's member); the note gives the distinct
    quads the store ends with. With ``group``, the file goes in ``bulk_load`` calls of that many lines, as
    ``rdfgen load`` commits them (see :func:`engine_load`)."""
    shutil.rmtree(store, ignore_errors=True)
    nq = work / f"{key}.nq"
    lines = 0
    with gzip.open(out / "dataset.nq.gz", "rb") as src, nq.open("wb") as dst:
        for block in iter(lambda: src.read(1 << 22), b""):
            lines += block.count(b"\n")
            dst.write(block)
    try:
        run = run_wall([sys.executable, str(BENCH / "scale.py"), "--engine-load", str(nq), str(store),
                        *([str(group)] if group else [])])
    finally:
        nq.unlink(missing_ok=True)
    found = re.search(r"(\d+) distinct quads", run.stdout)
    step = _step(key, label, lines, "quads", run, "" if found else f"no count: {run.stderr.strip()[-300:]}")
    if step.ok and found:
        step.note = f"{int(found[1]):,} distinct quads"
    return step


def engine_load(nq: Path, store: Path, group: int = 0) -> int:
    """The child of :func:`measure_engine`, lenient as ``rdfgen load`` is, then a flush; prints the store's quads.

    Without ``group``: one ``bulk_load`` from the file's path (read in Rust, not through Python). It is the engine's
    best case and not one a load can take: its batches of a million quads peak at some 2 GB (the goal's bound is
    1 GB), and its SST files are ingested once at the end, so the compaction they need comes after the process
    has exited (some 24 CPU s for 10 x 1,000 articles, measured by keeping the process until RocksDB was quiet).

    With ``group``: ``bulk_load`` calls of ``group`` lines each, as ``rdfgen load`` commits (``GROUP_QUADS``, which
    bounds its memory): each call ingests its files, and RocksDB compacts them while the next ones are loaded, as it
    does under ``rdfgen load``. This is the ceiling the load is judged against."""
    import itertools

    import pyoxigraph

    st = pyoxigraph.Store(str(store))
    if group:
        with nq.open("rb") as f:
            while chunk := list(itertools.islice(f, group)):
                st.bulk_load(b"".join(chunk), pyoxigraph.RdfFormat.N_QUADS, lenient=True)
    else:
        st.bulk_load(path=str(nq), format=pyoxigraph.RdfFormat.N_QUADS, lenient=True)
    st.flush()
    print(f"{len(st)} distinct quads")
    return 0


def count_quads(store: Path) -> int:
    """Quads in a persistent store, read-only (0 if there is none or pyoxigraph is missing)."""
    try:
        import pyoxigraph
    except ImportError:
        return 0
    try:
        return len(pyoxigraph.Store.read_only(str(store)))
    except OSError:
        return 0


def best(steps: Sequence[Step]) -> Step:
    """The fastest of repeated runs, remembering every run's wall time; a failed run wins, so it is seen."""
    failed = [s for s in steps if not s.ok]
    chosen = failed[0] if failed else min(steps, key=lambda s: s.wall_s)
    chosen.walls = [s.wall_s for s in steps]
    return chosen


# Sections -------------------------------------------------------------------------------------------------------------


@dataclass
class Parallel:
    """--jobs 1 against --jobs N on the same files, --no-documents."""

    files: int
    articles: int
    """Per file."""
    steps: dict[int, Step] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Throughput of the widest run over --jobs 1 (same articles, so the inverse ratio of wall times)."""
        one, wide = self.steps.get(1), self.steps.get(max(self.steps, default=1))
        return one.wall_s / wide.wall_s if one and wide and wide is not one and wide.wall_s else None

    @property
    def cpu_ratio(self) -> float | None:
        """CPU of the widest run over --jobs 1's: about 1 (a little more for the pool) when workers are counted."""
        one, wide = self.steps.get(1), self.steps.get(max(self.steps, default=1))
        return wide.cpu_s / one.cpu_s if one and wide and wide is not one and one.cpu_s else None


@dataclass
class Update:
    """A dataset of ``files`` x ``articles`` built from scratch, (optionally) loaded, then one update file added."""

    files: int
    articles: int
    records: int
    revised: int
    new: int
    deleted: int
    full: Step | None = None
    load: Step | None = None
    engine: Step | None = None
    """pyoxigraph's own ``bulk_load`` of the same quads (the dataset's N-Quads dump) into a fresh store in one call:
    the engine's best case (memory unbounded, compaction after the process)."""
    grouped: Step | None = None
    """The same in calls of ``GROUP_QUADS`` lines, as ``rdfgen load`` commits: the ceiling the store engine sets on
    this machine under the load's memory bound, for ``load`` to be judged against."""
    update: Step | None = None

    @property
    def ratio(self) -> float | None:
        """Wall time of adding the update over that of building the dataset."""
        if self.full and self.update and self.full.wall_s:
            return self.update.wall_s / self.full.wall_s
        return None


@dataclass
class Scale:
    """Every scale figure of a run."""

    adopting: bool
    """Whether this process could adopt orphans (else pool workers' CPU is missing from the CPU column)."""
    parallel: Parallel | None = None
    dataset: Update | None = None
    big: Update | None = None


@dataclass
class ScalePlan:
    """Sizes of the scale sections; a section with 0 files is skipped."""

    parallel: tuple[int, int]
    dataset: tuple[int, int]
    update: int
    big: tuple[int, int]
    jobs: int
    repeats: int
    seed: int

    def inputs(self) -> dict[str, list[InputSpec]]:
        """The files of each section: parallel, dataset (+ its update last), big (+ its update last)."""
        out: dict[str, list[InputSpec]] = {}
        if self.parallel[0]:
            out["parallel"] = base_specs("par", *self.parallel, seed=self.seed + 100)
        for key, (files, articles), seed in (("dataset", self.dataset, 200), ("big", self.big, 400)):
            if files:
                base = base_specs(f"{key}-", files, articles, seed=self.seed + seed)
                out[key] = [*base, update_spec(f"{key}-update", base, self.update, seed=self.seed + seed + 99)]
        return out


def measure_parallel(plan: ScalePlan, paths: list[Path], work: Path, flag: str, keep: bool, log: Log) -> Parallel:
    """--jobs 1 and --jobs N alternately, ``repeats`` times each, keeping the fastest of each."""
    files, articles = plan.parallel
    result = Parallel(files, articles)
    runs: dict[int, list[Step]] = {1: [], plan.jobs: []}
    for repeat in range(plan.repeats):
        for jobs in runs:
            out = work / f"scale-par-j{jobs}"
            log(f"scale: build --jobs {jobs}, {files} x {articles:,} articles (run {repeat + 1}/{plan.repeats})")
            step = measure_build(f"jobs{jobs}", f"build --jobs {jobs}, {files} x {articles:,} articles", paths, out,
                                 flag, jobs, read=files * articles)
            log(f"scale: {step.wall_s:,.1f} s wall, {step.cpu_s:,.1f} CPU s, load {step.load_avg:.1f}"
                f"{'' if step.ok else '  [' + step.note + ']'}")
            runs[jobs].append(step)
            if not keep:
                shutil.rmtree(out, ignore_errors=True)
    result.steps = {jobs: best(steps) for jobs, steps in runs.items()}
    return result


def measure_update(key: str, specs: list[InputSpec], plan: ScalePlan, work: Path, flag: str, keep: bool,
                   log: Log, *, load: bool) -> Update:
    """Build the base files from scratch, load them into a fresh store (if ``load``), then build base + update into
    the same folder: the base files are skipped as up to date, so the second build is the update's cost."""
    *base, update = specs
    files, articles = len(base), len(base[0].pmids)
    existing = {p for spec in base for p in spec.pmids}
    revised = sum(p in existing for p in update.pmids)
    result = Update(files, articles, len(update.pmids), revised, len(update.pmids) - revised, len(update.deletions))
    out, store = work / f"scale-{key}-out", work / f"scale-{key}-store"
    size = f"{files} x {articles:,}"
    base_paths = [spec.path(work) for spec in base]
    log(f"scale: build the {size} dataset (--jobs {plan.jobs})")
    result.full = measure_build(f"{key}-full", f"build {size} articles, --jobs {plan.jobs}", base_paths, out,
                                flag, plan.jobs, read=files * articles)
    log(f"scale: {result.full.wall_s:,.1f} s wall, {result.full.cpu_s:,.1f} CPU s")
    if result.full.ok and load:
        log(f"scale: rdfgen load the {size} dataset into a fresh store")
        result.load = measure_load(f"{key}-load", f"load {size} into a fresh store", out, store)
        log(f"scale: {result.load.items:,} quads in {result.load.wall_s:,.1f} s, "
            f"peak {result.load.peak_rss_mb:,.0f} MB")
        log("scale: the engine alone: pyoxigraph's bulk_load of the same quads into a fresh store")
        result.engine = measure_engine(f"{key}-eng", "pyoxigraph bulk_load of the same quads", out, store, work)
        log(f"scale: {result.engine.items:,} quads in {result.engine.wall_s:,.1f} s, "
            f"peak {result.engine.peak_rss_mb:,.0f} MB{'' if result.engine.ok else '  [' + result.engine.note + ']'}")
        from rdfgen.sparql.store import GROUP_QUADS

        log(f"scale: the engine alone in bulk_load calls of {GROUP_QUADS:,} lines, as rdfgen load commits")
        result.grouped = measure_engine(f"{key}-egr", f"the same, in calls of {GROUP_QUADS:,} lines", out, store,
                                        work, GROUP_QUADS)
        log(f"scale: {result.grouped.items:,} quads in {result.grouped.wall_s:,.1f} s, "
            f"peak {result.grouped.peak_rss_mb:,.0f} MB"
            f"{'' if result.grouped.ok else '  [' + result.grouped.note + ']'}")
        if not keep:
            shutil.rmtree(store, ignore_errors=True)
    if result.full.ok:
        log(f"scale: add an update of {result.records:,} records ({revised:,} revised, {result.new:,} new, "
            f"{result.deleted} deleted)")
        result.update = measure_build(f"{key}-upd", f"+ update {result.records:,} rec ({files} skipped)",
                                      [*base_paths, update.path(work)], out, flag, plan.jobs, read=result.records,
                                      deleted=result.deleted, fresh=False)
        log(f"scale: {result.update.wall_s:,.1f} s wall, {result.update.cpu_s:,.1f} CPU s")
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return result


def run_scale(plan: ScalePlan, inputs: dict[str, list[InputSpec]], work: Path, flag: str, keep: bool,
              log: Log) -> Scale:
    """Every section, one command at a time; ``inputs`` is ``plan.inputs()``, already generated into ``work``."""
    scale = Scale(adopting=become_subreaper())
    if not scale.adopting:
        log("scale: cannot adopt orphans here: pool workers' CPU will be missing from the CPU column")
    if "parallel" in inputs:
        scale.parallel = measure_parallel(plan, [s.path(work) for s in inputs["parallel"]], work, flag, keep, log)
    if "dataset" in inputs:
        scale.dataset = measure_update("set", inputs["dataset"], plan, work, flag, keep, log, load=True)
    if "big" in inputs:
        scale.big = measure_update("big", inputs["big"], plan, work, flag, keep, log, load=False)
    return scale


# The table ------------------------------------------------------------------------------------------------------------


def steps(scale: Scale) -> list[Step]:
    """The table's rows in order."""
    rows: list[Step] = list(scale.parallel.steps.values()) if scale.parallel else []
    for case in (scale.dataset, scale.big):
        if case:
            rows += [s for s in (case.full, case.load, case.engine, case.grouped, case.update) if s is not None]
    return rows


def table(scale: Scale) -> str:
    """Fixed-width, like bench/run.py's: wall figures first, then CPU (the command and its adopted descendants)."""
    head = (f"{'row':<9}{'what':<41}{'items':>16}{'wall s':>9}{'per wall s':>12}{'CPU s':>9}{'busy':>6}"
            f"{'peak MB':>9}{'load':>6}")
    lines = [head, "-" * len(head)]
    for s in steps(scale):
        runs = "" if len(s.walls) < 2 else "  runs: " + ", ".join(f"{w:.1f}" for w in s.walls)
        lines.append(f"{s.key:<9}{s.label[:40]:<41}{s.items:>10,} {s.unit:<5}{s.wall_s:>9,.1f}{s.rate:>12,.1f}"
                     f"{s.cpu_s:>9,.1f}{s.busy:>6.2f}{s.peak_rss_mb:>9,.0f}{s.load_avg:>6.1f}" + runs
                     + ("" if s.ok else f"  FAILED: {s.note}") + (f"  ({s.note})" if s.ok and s.note else ""))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """``--generate SPEC OUT``: write one input file (run by generate_inputs in a child process);
    ``--engine-load NQ STORE [GROUP]``: the child of :func:`measure_engine`."""
    if len(argv) in (3, 4) and argv[0] == "--engine-load":
        return engine_load(Path(argv[1]), Path(argv[2]), int(argv[3]) if len(argv) == 4 else 0)
    if len(argv) != 3 or argv[0] != "--generate":
        print(__doc__, file=sys.stderr)
        return 2
    doc = json.loads(Path(argv[1]).read_text())
    write_input(InputSpec(doc["name"], doc["seed"], tuple(doc["pmids"]), tuple(doc["deletions"])), Path(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
