"""Conversion at PubMed scale: time and peak memory of `rdfgen build --dumps-only` on generated files.

Generates PubMed XML files of N articles (real records from tests/data/xml repeated under fresh PMIDs, gzipped like
the baseline files), converts each in a fresh process and reads that process's peak RSS. The baseline, measured in
the same run on the smaller file, is the naive way: every triple of the file added to one rdflib Graph.

    python bench/bench_convert.py                 # 3,000 and 30,000 articles
    python bench/bench_convert.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "tests" / "data" / "xml"
CHILD = r"""
import json, resource, sys, time
from click.testing import CliRunner
t = time.perf_counter()
mode, src, out = sys.argv[1:4]
if mode == "stream":
    from rdfgen.cli import main
    result = CliRunner().invoke(main, ["build", "--dumps-only", "--no-validate", "-q", "--out", out, src])
    ok = result.exit_code == 0
    summary = result.output.strip().splitlines()[0] if result.output.strip() else ""
else:
    from rdfgen.mesh.enrich import load_enricher
    from rdfgen.mapping import record_triples
    from rdfgen.model import Record
    from rdfgen.serialize.graph import to_graph
    from rdfgen.sources import read_inputs
    enricher = load_enricher()
    graph = to_graph(())
    for item in read_inputs([src]):
        if isinstance(item, Record):
            item = enricher(item)
            for triple in record_triples(item, linker=enricher.link):
                graph.add(triple)
    ok, summary = True, f"{len(graph)} triples in one Graph"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": peak, "ok": ok, "summary": summary}))
"""


def templates() -> list[etree._Element]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    out = []
    for path in sorted(TEMPLATES.glob("*.xml")):
        if path.name.startswith(("hostile", "broken")):
            continue
        out += etree.parse(str(path), parser).getroot().findall("PubmedArticle")
    return out


def generate(path: Path, n: int) -> None:
    """A gzipped PubmedArticleSet of n articles with PMIDs 90000001... (written one article at a time)."""
    pool = templates()
    with gzip.open(path, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n')
        for i in range(n):
            article = copy.deepcopy(pool[i % len(pool)])
            pmid = str(90_000_001 + i)
            for el in article.iter("PMID"):
                if el.getparent() is not None and el.getparent().tag == "MedlineCitation":
                    el.text = pmid
            for el in article.iterfind("PubmedData/ArticleIdList/ArticleId[@IdType='pubmed']"):
                el.text = pmid
            f.write(etree.tostring(article) + b"\n")
        f.write(b"</PubmedArticleSet>\n")


def run(mode: str, src: Path, out: Path) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", CHILD, mode, str(src), str(out)], capture_output=True, text=True,
                          check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[3000, 30000], metavar=("SMALL", "LARGE"))
    args = parser.parse_args()
    small, large = args.sizes
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = {}
        for n in (small, large):
            src = work / f"generated-{n}.xml.gz"
            t = time.perf_counter()
            generate(src, n)
            print(f"generated {n:,} articles ({src.stat().st_size / 1e6:.1f} MB gz) in {time.perf_counter() - t:.1f} s")
            results[n] = run("stream", src, work / f"out-{n}")
            r = results[n]
            print(f"stream  {n:>7,} articles: {r['seconds']:7.1f} s  peak {r['peak_mb']:7.1f} MB  "
                  f"{n / float(r['seconds']):7.0f} articles/s  [{r['summary']}]")
        baseline = run("graph", work / f"generated-{small}.xml.gz", work / "unused")
        print(f"baseline {small:>6,} articles into one rdflib Graph: {baseline['seconds']:7.1f} s  "
              f"peak {baseline['peak_mb']:7.1f} MB  [{baseline['summary']}]")
        ratio = float(results[large]["peak_mb"]) / float(results[small]["peak_mb"])
        print(f"peak memory ratio stream {large:,} / {small:,} articles: {ratio:.2f} (goal: <= 1.5)")
        print(f"peak memory ratio baseline Graph / stream at {small:,} articles: "
              f"{float(baseline['peak_mb']) / float(results[small]['peak_mb']):.2f}")


if __name__ == "__main__":
    main()
