"""Benchmark rdfgen.mesh: import cost, table load, index build and keyword mapping speed against baselines, and the
quality of keyword links on the judged set (tests/data/keywords-judged.tsv): wrong links, recall, coverage by method.

Run from a checkout: `python bench/bench_mesh.py [--runs N]`. Baselines are measured in the same run on the same
machine, so the ratios travel better than the absolute figures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdfgen import mesh  # noqa: E402
from rdfgen.mesh import MeshEnricher, MeshVocabulary, judged, map_keyword, vocabulary  # noqa: E402


def python_env(bytecode: Path | None) -> dict[str, str]:
    """This checkout importable; with `bytecode`, .pyc files cached there (as an installed wheel has them)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if bytecode is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)
    return env


def wall(code: str, runs: int, bytecode: Path | None) -> float:
    """Median wall time of a fresh interpreter running `code`: what a CLI user waits for."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=python_env(bytecode), capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def self_reported_import_ms(runs: int, bytecode: Path | None) -> dict[str, float]:
    """Median cumulative ms `python -X importtime` reports for rdfgen.mesh and for dataclasses, which it pulls in."""
    samples: dict[str, list[float]] = {"rdfgen.mesh": [], "dataclasses": []}
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import rdfgen.mesh"], check=True,
                              env=python_env(bytecode), capture_output=True, text=True)
        for line in done.stderr.splitlines():
            name = line.rsplit("|", 1)[-1].strip()
            if name in samples:
                samples[name].append(float(line.split("|")[1]) / 1000)
    return {name: statistics.median(values) if values else 0.0 for name, values in samples.items()}


def report_import(runs: int) -> None:
    with tempfile.TemporaryDirectory() as cache:
        for label, bytecode in (("as run here", None), ("with cached bytecode", Path(cache))):
            if bytecode is not None:
                wall("import rdfgen.mesh", 1, bytecode)
            baseline = wall("pass", runs, bytecode)
            importing = wall("import rdfgen.mesh", runs, bytecode)
            reported = self_reported_import_ms(runs, bytecode)
            print(f"import rdfgen.mesh ({label}): {1000 * (importing - baseline):.1f} ms over `python -c pass` "
                  f"({1000 * importing:.1f} vs {1000 * baseline:.1f} ms, median of {runs}); -X importtime: "
                  f"{reported['rdfgen.mesh']:.1f} ms, of which dataclasses {reported['dataclasses']:.1f} ms")


def median_time(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rate(action: Callable[[str], object], keywords: list[str]) -> float:
    """Keywords per second over the whole list, after the index exists."""
    start = time.perf_counter()
    for keyword in keywords:
        action(keyword)
    return len(keywords) / (time.perf_counter() - start)


def naive_exact(vocab: MeshVocabulary) -> Callable[[str], object]:
    """Baseline for exact hits: compare the keyword with every label and entry term in turn."""
    terms = [(t.casefold(), d.ui) for d in vocab for t in (d.label, *d.entry_terms)]

    def find(keyword: str) -> str | None:
        folded = keyword.casefold()
        return next((ui for term, ui in terms if term == folded), None)

    return find


def head_keywords(vocab: MeshVocabulary, count: int, rng: random.Random) -> list[str]:
    """Keywords that miss every exact and normal form, so the head tiers run: labels with a word added in front."""
    fillers = ["selected", "novel", "pediatric", "severe", "experimental", "chronic"]
    labels = [d.label for d in vocab if "," not in d.label and len(d.label.split()) >= 2]
    return [f"{rng.choice(fillers)} {label}" for label in rng.sample(labels, count)]


def report_judged() -> None:
    """Precision, recall and coverage on the judged set, split by method."""
    enricher = MeshEnricher(MeshVocabulary.bundled())
    print(judged.measure(ROOT, enricher.link).summary())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="repetitions for medians (default 7)")
    args = parser.parse_args()
    rng = random.Random(20240101)

    report_import(args.runs)

    table = ROOT / "rdfgen" / "data" / mesh.BUNDLED_TABLE

    def load() -> MeshVocabulary:
        vocabulary._bundled.cache_clear()
        return MeshVocabulary.bundled()

    load_time = median_time(load, args.runs)
    vocab = MeshVocabulary.bundled()
    print(f"table load: {1000 * load_time:.0f} ms for {len(vocab)} descriptors "
          f"({table.stat().st_size / 1e6:.2f} MB gzipped), median of {args.runs}")

    start = time.perf_counter()
    vocab._keyword_index()
    print(f"keyword index build (first mapping only): {time.perf_counter() - start:.2f} s")

    exact = [d.label.lower() for d in rng.sample(list(vocab), 5000)]
    indexed, naive = rate(lambda k: map_keyword(k, vocab), exact), rate(naive_exact(vocab), exact[:200])
    print(f"exact hits: {indexed:,.0f} keywords/s; naive scan of all terms {naive:,.0f}/s; "
          f"ratio {indexed / naive:,.0f}x")

    heads = head_keywords(vocab, 2000, rng)
    decided = sum(1 for k in heads if map_keyword(k, vocab) is not None)
    print(f"keywords through the head tiers ({len(heads)}, {decided} linked): "
          f"{rate(lambda k: map_keyword(k, vocab), heads):,.0f} keywords/s uncached")

    report_judged()


if __name__ == "__main__":
    main()
