"""Benchmark of ``rdfgen load`` from shards: throughput and peak memory against the issue's goals.

    python bench/bench_load.py                      # 20,000 articles in 4 shards, an update of 2% of them
    python bench/bench_load.py --articles 5000 --shards 2 --keep /tmp/bench-load
    python bench/bench_load.py --keep /tmp/bench-load --reuse   # measure again on the shards made last time

It generates N articles (bench/generate.py, seeded), splits them into --shards input files (distinct PMIDs), builds
each with ``rdfgen build --no-documents --no-validate`` and makes its dataset.nq.gz a shard of one build folder with
a manifest (the layout ``rdfgen build`` is moving to), plus an update input that revises --update of the records and
deletes a few. Then, each in a child process of its own:

  a. ``rdfgen load`` of the baseline shards into a fresh store: records are new, so they take the bulk loader's path;
  b. ``rdfgen load`` of the same folder with the update shard appended: the baseline shards are skipped (the store
     remembers them), the update's records are replaced one SPARQL update a group (the transactional path);
  c. the same command once more: a no-op.

For each: quads read from the shards, wall seconds, CPU seconds (user + system, the child's own, from ``os.wait4``,
bulk loader threads included) and peak RSS. Wall time on a shared machine measures the neighbours too, so the rate
per CPU second is printed beside it (with 2 cores, twice that rate is the wall rate the machine would give if the
load had it to itself). The benchmark reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
GOAL_RATE = 200_000  # quads/s
GOAL_RSS = 1024  # MB
BASE = "http://localhost:8000/"


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    returncode: int
    output: str

    @property
    def quads(self) -> int:
        m = re.search(r"([\d,]+) quads in", self.output)
        return int(m.group(1).replace(",", "")) if m else 0


def run_child(cmd: list[str]) -> Run:
    """Run a command; its own CPU time and peak RSS from wait4 (not mixed with other children's)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        out.seek(0)
        return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
                   out.read().decode("utf-8", "replace"))


# Inputs ---------------------------------------------------------------------------------------------------------------

def _revise(record: str) -> str:
    """Another version of a record: a new title (PubMed revises records in its daily update files)."""
    return re.sub(r"<ArticleTitle>.*?</ArticleTitle>", "<ArticleTitle>A revised title.</ArticleTitle>", record,
                  count=1, flags=re.DOTALL)


def write_inputs(folder: Path, articles: int, shards: int, update: float, seed: int) -> tuple[list[Path], Path,
                                                                                             list[str]]:
    """The baseline split into ``shards`` gzip files (consecutive records, so PMIDs are distinct), and an update
    file revising every 1/update-th record and deleting a few others. Returns (baseline files, update, deleted)."""
    sys.path.insert(0, str(BENCH))
    try:
        from generate import HEAD, iter_records  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    per_file = -(-articles // shards)
    step = max(1, round(1 / update)) if update > 0 else 0
    files, revised, deleted = [], [], []
    out = None
    for index, record in enumerate(iter_records(articles, seed)):
        if index % per_file == 0:
            if out is not None:
                out.write(b"</PubmedArticleSet>\n")
                out.close()
            files.append(folder / f"base{len(files) + 1:03d}.xml.gz")
            out = gzip.open(files[-1], "wb", compresslevel=1)
            out.write(HEAD.encode())
        out.write(record.encode())
        if step and index % step == step // 2:
            revised.append(_revise(record))
        elif step and index % (step * 10) == 1:
            deleted.append(re.search(r"<PMID[^>]*>(\d+)</PMID>", record).group(1))  # type: ignore[union-attr]
    assert out is not None
    out.write(b"</PubmedArticleSet>\n")
    out.close()
    update_file = folder / "update001.xml.gz"
    with gzip.open(update_file, "wb", compresslevel=1) as f:
        f.write(HEAD.encode() + "".join(revised).encode())
        if deleted:
            f.write(b"<DeleteCitation>" + b"".join(f'<PMID Version="1">{p}</PMID>'.encode() for p in deleted)
                    + b"</DeleteCitation>\n")
        f.write(b"</PubmedArticleSet>\n")
    return files, update_file, deleted


def build_shard(work: Path, out: Path, xml: Path, deleted: list[str]) -> dict[str, object]:
    """``rdfgen build --no-documents`` of one input; its dataset.nq.gz becomes ``out/shards/NAME.nq.gz``."""
    name = xml.name.split(".")[0]
    folder = work / f"build-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    run = run_child([sys.executable, "-m", "rdfgen", "build", "-q", "--no-documents", "--no-validate", "--out",
                     str(folder), str(xml)])
    if run.returncode != 0:
        raise SystemExit(f"build of {xml} failed:\n{run.output}")
    shard = out / "shards" / f"{name}.nq.gz"
    shard.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(folder / "dataset.nq.gz", shard)
    shutil.rmtree(folder)
    digest = hashlib.sha256()
    with shard.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return {"input": xml.name, "size": xml.stat().st_size, "shard": f"shards/{name}.nq.gz",
            "shard_sha256": digest.hexdigest(), "rdfgen": "0.1.0", "deleted": deleted}


def write_manifest(out: Path, entries: list[dict[str, object]]) -> None:
    doc = {"format": "rdfgen-manifest/1", "base": BASE, "inputs": entries}
    (out / "manifest.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")


def prepare(work: Path, args: argparse.Namespace) -> tuple[Path, Path]:
    """(a build folder of the baseline shards, one of the baseline then the update)."""
    base_out, full_out = work / "base-out", work / "full-out"
    if args.reuse and (full_out / "manifest.json").is_file():
        return base_out, full_out
    started = time.monotonic()
    inputs = work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    files, update, deleted = write_inputs(inputs, args.articles, args.shards, args.update, args.seed)
    print(f"generated {args.articles:,} articles in {len(files)} file(s) and an update "
          f"({time.monotonic() - started:.0f} s)", flush=True)
    started = time.monotonic()
    with ThreadPoolExecutor(max(1, os.cpu_count() or 1)) as pool:  # one build a core
        entries = list(pool.map(lambda f: build_shard(work, full_out, f, []), files))
        update_entry = build_shard(work, full_out, update, deleted)
    print(f"built {len(entries) + 1} shards ({time.monotonic() - started:.0f} s)", flush=True)
    write_manifest(full_out, [*entries, update_entry])
    (base_out / "shards").mkdir(parents=True, exist_ok=True)
    for e in entries:
        os.link(full_out / str(e["shard"]), base_out / str(e["shard"]))
    write_manifest(base_out, entries)
    return base_out, full_out


# Measuring ------------------------------------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "ok" if ok else "NOT MET"


def report(label: str, run: Run, cores: int) -> None:
    if run.returncode != 0:
        raise SystemExit(f"{label} failed (exit {run.returncode}):\n{run.output}")
    quads = run.quads
    wall_rate = quads / run.wall if run.wall else 0.0
    cpu_rate = quads / run.cpu if run.cpu else 0.0
    print(f"\n{label}\n  {run.output.strip().splitlines()[-1]}")
    print(f"  quads {quads:,}; wall {run.wall:.1f} s; CPU {run.cpu:.1f} s (user+sys, all threads)")
    met = verdict(wall_rate >= GOAL_RATE)
    print(f"  rate, wall:        {wall_rate:>10,.0f} quads/s   goal >= {GOAL_RATE:,}: {met}")
    print(f"  rate, CPU second:  {cpu_rate:>10,.0f} quads/s   (x{cores} cores if the machine were idle: "
          f"{cpu_rate * cores:,.0f})")
    print(f"  peak RSS:          {run.rss_mb:>10,.0f} MB        goal < {GOAL_RSS:,}: {verdict(run.rss_mb < GOAL_RSS)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--shards", type=int, default=4, help="baseline input files (one shard each)")
    parser.add_argument("--update", type=float, default=0.02, help="share of the records the update revises")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--group-quads", type=int, help="rdfgen load --group-quads (default: rdfgen's)")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one, removed)")
    parser.add_argument("--reuse", action="store_true", help="with --keep: reuse the shards made last time")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="rdfgen-bench-load-"))
    work.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    try:
        base_out, full_out = prepare(work, args)
        store = work / "store"
        shutil.rmtree(store, ignore_errors=True)
        load = [sys.executable, "-m", "rdfgen", "load", "-q", "--store", str(store)]
        if args.group_quads:
            load += ["--group-quads", str(args.group_quads)]
        print(f"machine: {cores} cores, load average {os.getloadavg()[0]:.1f} at the start")
        report("a. baseline shards into a fresh store (bulk loader path)", run_child([*load, str(base_out)]), cores)
        report("b. the update shard (records replaced by SPARQL updates, deletions)", run_child([*load, str(full_out)]),
               cores)
        rerun = run_child([*load, str(full_out)])
        print(f"\nc. rerun (no-op): wall {rerun.wall:.2f} s, CPU {rerun.cpu:.2f} s\n  {rerun.output.strip()}")
        size = sum(f.stat().st_size for f in store.iterdir()) / 1e6
        print(f"\nload average {os.getloadavg()[0]:.1f} at the end; the store takes {size:,.0f} MB on disk")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
