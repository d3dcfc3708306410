"""The dataset page's pictures (rdfgen.server.charts): one bar per value with its numbers in a table, nothing drawn
for one value or none, labels escaped, and the series read from the catalog and the statistics of a real load."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from rdfgen.publish.build import publish_items
from rdfgen.server.charts import Chart, dataset_charts, figure
from rdfgen.sparql.catalog import Catalog
from rdfgen.sparql.store import load_shards

from .sparql_fixtures import multi_records


def test_bars_and_columns_draw_each_value() -> None:
    rows = [("Journal <A> & B", 30), ("Another journal", 10), ("A third", 1)]
    for columns in (False, True):
        html = figure(Chart("j", "Top journals", rows, columns=columns))
        svg = etree.fromstring(re.search(r"<svg.*</svg>", html, re.S).group(0))  # type: ignore[union-attr]
        assert svg.get("role") == "img" and svg.get("aria-label") == "Top journals"
        assert len(svg.findall("{http://www.w3.org/2000/svg}rect")) == 3
        assert "Journal &lt;A&gt; &amp; B" in html and "<td>30</td>" in html
    bars = figure(Chart("j", "Top journals", rows))
    widths = [float(w) for w in re.findall(r'<rect x="\d+" y="\d+" width="([\d.]+)"', bars)]
    assert widths[0] > widths[1] > widths[2] and abs(widths[0] / widths[1] - 3) < 0.01


def test_one_value_is_a_sentence_and_none_is_nothing() -> None:
    assert figure(Chart("y", "Articles per year", [("2020", 0)])) == ""
    one = figure(Chart("y", "Articles per year", [("2020", 4), ("2021", 0)], columns=True))
    assert "<svg" not in one and "2020: 4 articles" in one


def test_the_dataset_charts_from_a_load(tmp_path: Path) -> None:
    out, store_dir = tmp_path / "out", tmp_path / "store"
    assert publish_items(multi_records(), out, documents=False).ok
    store = load_shards([out], store_dir)[0]
    with Catalog.of_store(store_dir, read_only=True) as catalog:  # type: ignore[union-attr]
        charts = {c.key: c for c in dataset_charts(catalog, store)}
    assert list(charts["articles-per-year"].rows) == [("2020", 3), ("2021", 1)]
    assert list(charts["top-journals"].rows) == [("Journal of Tests", 4)]
    # shared works A and B are cited 3 times each; record 1000003, a book and "other work" once each
    assert list(charts["citation-counts"].rows) == [("cited once", 3), ("cited 3-5", 2)]
    assert ("2010", 3) in charts["references-per-year"].rows
