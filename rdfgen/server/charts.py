"""Pictures of the dataset, drawn on the server as inline SVG (no script, no library, readable by a screen reader):
articles per year, the top journals, the top MeSH topics, how often works are cited, and references per year.

Each chart is a figure with a caption and the numbers as a table that screen readers and text browsers get (the
template ``_chart.html``); the SVG is marked as an image described by the caption. Only the shape of the data is
drawn: a bar per value, labelled.

The SVG itself is written here, not in the template, for speed: an article page draws its references' years on
every cold render, and a column is half a dozen coordinates that are numbers we format. Through a template each
would be finalized and escaped one by one (several hundred calls a chart, as much as all the rest of the article
page); here only the labels, which come from the data, are escaped, by markupsafe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from rdfgen.serialize.html import render

if TYPE_CHECKING:
    import pyoxigraph as ox

    from rdfgen.sparql.catalog import Catalog


@dataclass(frozen=True)
class Chart:
    """A titled series of (label, value) to draw as bars; ``columns`` for a time series (years left to right)."""

    key: str
    title: str
    rows: Sequence[tuple[str, int]]
    unit: str = "articles"
    columns: bool = False


def figure(chart: Chart) -> Markup:
    """The chart as ``<figure>``: caption, SVG, and the same numbers as a collapsed table. Empty when no row has a
    value, and no chart for a single value (one bar says nothing a sentence does not)."""
    rows = [(label, value) for label, value in chart.rows if value > 0]
    if not rows:
        return Markup("")
    svg = (_columns if chart.columns else _bars)(rows, chart.title) if len(rows) > 1 else Markup("")
    return Markup(render("_chart.html", chart=chart, svg=svg, heading=chart.title.split(" per ")[-1],
                         rows=[(label, f"{value:,}") for label, value in rows]))


def _svg(width: int, height: int, title: str, shapes: list[str]) -> Markup:
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} '
                  f'{height}" role="img" aria-label="{escape(title)}">{"".join(shapes)}</svg>')


def _bars(rows: Sequence[tuple[str, int]], title: str, width: int = 640, bar: int = 18) -> Markup:
    """Horizontal bars, one per row, the label on the left (cut at 38 characters) and the value at the bar's end."""
    top = max(value for _, value in rows)
    label_w, room = 250, width - 250 - 60
    shapes = []
    for i, (label, value) in enumerate(rows):
        y = 6 + i * (bar + 6)
        w = max(1.0, room * value / top)
        shown = label if len(label) <= 38 else label[:37] + "\u2026"
        shapes.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end"><title>{escape(label)}</title>'
                      f'{escape(shown)}</text><rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" '
                      f'fill="#4a6fa5"/><text x="{label_w + w + 4:.1f}" y="{y + 13}">{value:,}</text>')
    return _svg(width, len(rows) * (bar + 6) + 6, title, shapes)


def _columns(rows: Sequence[tuple[str, int]], title: str, width: int = 640, height: int = 180) -> Markup:
    """Vertical columns left to right (a time series), labels thinned out to one in every few when crowded."""
    top = max(value for _, value in rows)
    plot_h, base = height - 40, height - 22
    step = width / len(rows)
    every = max(1, round(len(rows) / 12))
    shapes = []
    for i, (label, value) in enumerate(rows):
        h = max(1.0, plot_h * value / top)
        x = i * step
        shapes.append(f'<rect x="{x + step * 0.1:.1f}" y="{base - h:.1f}" width="{step * 0.8:.1f}" height="{h:.1f}" '
                      f'fill="#4a6fa5"><title>{escape(label)}: {value:,}</title></rect>')
        if i % every == 0:
            shapes.append(f'<text x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle">{escape(label)}</text>')
    shapes.append(f'<text x="2" y="12">{top:,}</text>')
    return _svg(width, height, title, shapes)


def dataset_charts(catalog: Catalog | None, store: ox.Store) -> list[Chart]:
    """The dataset page's charts: per-record facts from the catalog (when the store has one), citation facts from
    the library's aggregates (their fast forms read the statistics graph)."""
    from rdfgen.sparql.run import run

    charts: list[Chart] = []
    if catalog is not None:
        years = sorted(catalog.facet_counts("year", limit=500))
        charts.append(Chart("articles-per-year", "Articles per year", years, columns=True))
        charts.append(Chart("top-journals", "Top journals", catalog.facet_counts("journal", limit=10)))
        charts.append(Chart("top-mesh", "Top MeSH major topics", catalog.facet_counts("mesh", limit=10)))
    cited = run("citation-distribution", data=store).values()
    charts.append(Chart("citation-counts", "Works by number of citations",
                        [(f"cited {c}" if c != "1" else "cited once", int(n)) for _least, c, n in cited],
                        unit="works"))
    by_year = [(str(y), int(n)) for y, n, _works in run("references-by-year", data=store).values()
               if y is not None and str(y).isdigit()]
    charts.append(Chart("references-per-year", "References per year of the cited work", by_year, unit="references",
                        columns=True))
    return charts
