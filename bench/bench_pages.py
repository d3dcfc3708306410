"""Time every page type of the site on a store, in-process and cold: each page fetched once.

    python bench/bench_pages.py --store STORE [--pages 5]

For the site issue's "all pages render from a store of 30,000 articles within the serving budget": article pages of
random records, index pages (by date and by title), searches, and the pages of the journals, MeSH descriptors and
keywords with the most articles (the worst cases: a list that grows with a shared node's popularity must stay
paged), the dataset page and the SPARQL editor. The store is one ``rdfgen load`` made (or bench_queries.py's, with a
catalog built for it). Prints the median and the worst wall time per page type; the page cache never helps, as
no page is fetched twice.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from urllib.parse import quote

from starlette.testclient import TestClient

from rdfgen.server.app import create_app
from rdfgen.sparql.store import open_store

_TOP = {
    "journal": """SELECT ?x (COUNT(?a) AS ?n)
                  WHERE { ?a <https://schema.org/isPartOf>/<https://schema.org/isPartOf>? ?x .
                          ?x a <https://schema.org/Periodical> } GROUP BY ?x ORDER BY DESC(?n) LIMIT 20""",
    "mesh": """SELECT ?x (COUNT(?h) AS ?n) WHERE { ?h <https://w3id.org/rdfgen/vocab#descriptor> ?x }
               GROUP BY ?x ORDER BY DESC(?n) LIMIT 20""",
    "keyword": """SELECT ?x (COUNT(?a) AS ?n) WHERE { ?a <https://schema.org/keywords> ?x }
                  GROUP BY ?x ORDER BY DESC(?n) LIMIT 20""",
}


def page_paths(store: Path, n: int) -> dict[str, list[str]]:
    """n distinct paths per page type, drawn from the store (fixed seed)."""
    st = open_store(store, read_only=True)

    def column(query: str) -> list[str]:
        solutions = st.query(query, use_default_graph_as_union=True)
        return [s[0].value for s in solutions]  # type: ignore[union-attr]

    pmids = column("SELECT ?p WHERE { ?a <http://purl.org/ontology/bibo/pmid> ?p } LIMIT 5000")
    top = {name: column(query)[:n] for name, query in _TOP.items()}
    words = [w for t in column("SELECT ?t WHERE { ?a <https://schema.org/headline> ?t } LIMIT 200") for w in t.split()]
    rnd = random.Random(3)
    return {
        "article": [f"/pubmed/{p}.html" for p in rnd.sample(pmids, min(n, len(pmids)))],
        "index": ["/"] + [f"/?page={i}" for i in range(2, n + 1)],
        "index by title": [f"/?sort=title&page={i}" for i in range(1, n + 1)],
        "search": [f"/?q={quote(w)}" for w in rnd.sample(words, min(n, len(words)))],
        "journal (most articles)": ["/" + j.split("/", 3)[3] + ".html" for j in top["journal"]],
        "MeSH (most articles)": ["/mesh/" + d.rsplit("/", 1)[1] for d in top["mesh"]],
        "keyword (most articles)": ["/keyword/" + quote(k.lower()) for k in top["keyword"]],
        "dataset": ["/dataset"],
        "SPARQL editor": ["/sparql"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a store made by `rdfgen load`")
    parser.add_argument("--pages", type=int, default=5, help="distinct pages per page type")
    args = parser.parse_args()
    paths = page_paths(args.store, args.pages)
    client = TestClient(create_app(store=args.store))
    print(f"{'page type':26} {'pages':>5} {'median ms':>10} {'worst ms':>9}  statuses")
    for name, todo in paths.items():
        times, statuses = [], set()
        for path in todo:
            began = time.perf_counter()
            statuses.add(client.get(path, headers={"Accept": "text/html"}).status_code)
            times.append((time.perf_counter() - began) * 1000)
        print(f"{name:26} {len(times):5} {statistics.median(times):10.1f} {max(times):9.1f}  {sorted(statuses)}",
              flush=True)


if __name__ == "__main__":
    main()
