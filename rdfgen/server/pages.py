"""What the server's pages show, read from the graphs and handed to the templates (rdfgen/templates/, rendered by
:func:`rdfgen.serialize.html.render`): the article page (the same ``article.html`` the build writes, from the
record's RDF graph), a page for any other resource, the index without a catalog, the SPARQL results table, the
downloads list and the not-found page.

Pages are made from the graphs, not from the Record, because the server only has RDF (a --store has no files).
The templates escape every text and attribute; the embeddable JSON-LD goes in through
:func:`rdfgen.serialize.html.script_json`, which makes it safe inside ``<script>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from rdfgen.serialize.citation import NEGOTIATED, Work, work
from rdfgen.serialize.formats import FORMATS
from rdfgen.serialize.harvest import Signpost, signposts
from rdfgen.serialize.html import (
    CITATION_LABELS,
    FORMAT_LABELS,
    LICENSE,
    Link,
    article_head,
    render,
    render_article,
    script_json,
)
from rdfgen.serialize.ntriples import nt_term
from rdfgen.server.article_view import terms_view
from rdfgen.sparql.results import Result
from rdfgen.vocab import C4O, PREFIXES, RDFGEN, SDO

LinkFn = Callable[[str], str]
"""How a page links to an IRI: our own IRIs to this server's paths (Site.local), others as they are."""
_LABELS = (SDO.name, SDO.headline, RDFGEN.sectionLabel, C4O.hasContent)


def _label(graph: Graph, node: Node) -> str:
    for p in _LABELS:
        value = graph.value(node, p)
        if value is not None:
            return str(value)
    return str(node)


def reference_chart(years: Sequence[int]) -> Markup:
    """The references per publication year, only when they span three years or more (one or two bars say nothing
    a sentence does not), one labelled column a year (rdfgen.server.charts)."""
    if len(set(years)) < 3:
        return Markup("")
    from rdfgen.server.charts import Chart, figure

    lo, hi = min(years), max(years)
    return figure(Chart("reference-years", "References by publication year",
                        [(str(y), years.count(y)) for y in range(lo, hi + 1)], unit="references", columns=True))


def alternates(link_base: str) -> list[tuple[str, str]]:
    """(media type, href) of each RDF document of a resource (``link_base`` + ``.ext``), for ``rel="alternate"``."""
    return [(f.media_type, f"{link_base}.{f.extension}") for f in FORMATS if f.name != "trig"]


def formats_links(link_base: str) -> tuple[Link, ...]:
    """The "Linked data" line: a link to each RDF document of a resource."""
    return tuple(Link(f"{link_base}.{f.extension}", FORMAT_LABELS[f.name]) for f in FORMATS if f.name != "trig")


CITATION_LINKS = tuple((f.extension, CITATION_LABELS[f.name]) for f in NEGOTIATED)
"""The citation documents an article page links to (extension, label): every format the article IRI negotiates."""


def harvest_of(graph: Graph, article: URIRef) -> tuple[Work, list[Signpost]]:
    """The record's Work (citations, meta tags) and its page's Signposting links, each RDF document of the record
    linked ``describedby`` with its media type."""
    return harvest_from([(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in graph], article)


def harvest_from(triples: Sequence[tuple[str, str, str]], article: str) -> tuple[Work, list[Signpost]]:
    """:func:`harvest_of` from the record's triples as N-Triples terms (no Graph to walk)."""
    cite = work(triples, str(article))
    described = [(f"{article}.{f.extension}", f.media_type) for f in FORMATS if f.name != "trig"]
    return cite, signposts(cite, str(article), described, LICENSE)


def article_page(terms: Sequence[tuple[str, str, str]], article: str, embedding: dict[str, Any], link: LinkFn,
                 harvest: tuple[Work, Sequence[Signpost]] | None = None) -> str:
    """The article's page, from the build's template: title, authors with affiliations and ORCID, journal, abstract,
    comments and corrections, keywords, MeSH, references with a chart of their years, links to its citation
    documents; in the head, for crawlers and reference managers, the embeddable JSON-LD, the Signposting links and
    the Highwire and Dublin Core meta tags (``harvest``: the Work and links of :func:`harvest_from`, when the caller
    has them). ``terms`` are the record's triples as N-Triples terms (rdfgen.server.article_view)."""
    cite, posts = harvest or harvest_from(terms, article)
    doc = link(article)
    head = article_head(cite, article, f"{article}.html", alternates(doc), posts, script_json(embedding))
    return render_article(terms_view(terms, article, link), head)


# --- other pages --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term as a page shows it: a link (an IRI, by its label), text (a literal), or a blank node's label."""

    href: str
    text: str
    blank: bool = False


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def _term(node: Node, graph: Graph, link: LinkFn) -> Term:
    if isinstance(node, URIRef):
        label = _label(graph, node)
        return Term(link(str(node)), label if label != str(node) else _curie(str(node)))
    if isinstance(node, Literal):
        return Term("", str(node))
    return Term("", _label(graph, node), blank=True)


def _property(iri: Node) -> Term:
    return Term(str(iri), _curie(str(iri)))


def _more_links(iri: URIRef, shown: int, links: int) -> dict[str, Any] | None:
    """"First N of M" and a query for all of them, when the page lists only the first statements pointing here."""
    if links <= shown:
        return None
    query = f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} ORDER BY ?p ?s"
    return {"shown": shown, "total": links, "href": "/sparql?" + urlencode({"query": query})}


def resource_page(graph: Graph, iri: URIRef, link: LinkFn, links: int = 0, extra: str = "",
                  inverse: str | None = None) -> str:
    """Any resource other than an article: its statements, then what points at it: ``inverse`` (grouped by
    property, :func:`inverse_section`) when the caller has it, else the graph's incoming statements (``links`` of
    them in all, of which the graph holds the first: a page never grows with the popularity of what it describes).
    ``extra`` (the articles of a journal or person, rdfgen.server.resources) is a fragment rendered by a template."""
    own = sorted(((p, o) for p, o in graph.predicate_objects(iri)), key=lambda x: (_curie(str(x[0])), str(x[1])))
    back, more = [], None
    if inverse is None:
        incoming = sorted(((s, p) for s, p in graph.subject_predicates(iri) if s != iri),
                          key=lambda x: (str(x[1]), str(x[0])))
        back = [(_term(s, graph, link), _property(p)) for s, p in incoming]
        more = _more_links(iri, len(incoming), links)
    doc = link(str(iri))
    return render("resource.html", title=_label(graph, iri), iri=str(iri), alternates=alternates(doc),
                  rows=[(_property(p), _term(o, graph, link)) for p, o in own], back=back, more=more,
                  inverse=Markup(inverse or ""), extra=Markup(extra), formats=formats_links(doc))


def inverse_section(groups: Sequence[Any], page_url: str, link: LinkFn, per: int) -> Markup:
    """What points at a resource, one list per property with its count: its first ``per`` subjects by label, and
    links to the next and previous pages of one property (``?rel=PROPERTY&page=N``)."""
    views = []
    for g in groups:
        previous = f"{page_url}?{urlencode({'rel': g.predicate, 'page': g.page - 1})}" if g.page > 1 else ""
        following = f"{page_url}?{urlencode({'rel': g.predicate, 'page': g.page + 1})}" \
            if g.page * per < g.total else ""
        views.append({"property": _property(URIRef(g.predicate)), "total": g.total,
                      "start": (g.page - 1) * per + 1, "subjects": [Link(link(s), label) for s, label in g.subjects],
                      "previous": previous, "next": following,
                      "next_text": f"next {min(per, g.total - g.page * per):,} of {g.total:,}"})
    return Markup(render("_inverse.html", groups=views)) if views else Markup("")


def dataset_script(dataset: dict[str, Any] | None) -> Markup:
    """The dataset's schema.org ``Dataset`` (rdfgen.serialize.void.dataset_object) for a landing page's head, made
    safe for its ``<script>`` element."""
    return Markup(script_json(dataset)) if dataset else Markup("")


def index_page(entries: Sequence[Any], query: str, total: int, shown: int,
               dataset: dict[str, Any] | None = None) -> str:
    """The records, newest first, with a search over title, authors and MeSH terms/keywords (a server without a
    catalog); the dataset's schema.org description in the head."""
    items = [{"pmid": e.pmid, "title": e.title,
              "details": ", ".join(e.authors[:3]) + (" et al." if len(e.authors) > 3 else "")
              + f" {e.date} PMID {e.pmid}"} for e in entries[:shown]]
    found = f"{len(entries)} of {total} records match {json.dumps(query)}" if query else f"{total} records"
    return render("index.html", title="rdfgen dataset", query=query, found=found, items=items,
                  more=len(entries) > shown, shown=shown, dataset=dataset_script(dataset))


def results_page(result: Result, query: str, truncated: bool, link: LinkFn) -> str:
    """A SELECT or ASK result as an HTML table, with the query to edit and run again."""
    graph = Graph()
    rows = [[None if t is None else _term(t, graph, link) for t in row] for row in result.rows] \
        if result.kind != "boolean" else []
    return render("results.html", title="SPARQL results", result=result, rows=rows, truncated=truncated, query=query)


def downloads_page(files: Sequence[tuple[str, int]], dataset: dict[str, Any] | None = None, charts: str = "",
                   facts: str = "") -> str:
    """The dumps with their sizes: the dataset's landing page, with its schema.org description in the head, its
    VoID/DCAT ``facts`` (:func:`dataset_facts`) and ``charts`` (rdfgen.server.charts) below."""
    return render("downloads.html", title="Downloads", files=files, dataset=dataset_script(dataset),
                  charts=Markup(charts), facts=Markup(facts))


def dataset_facts(void_turtle: str, dataset_iri: str) -> Markup:
    """What the build's VoID and DCAT description says, for people: title, description, licence, source, triples,
    the dumps' formats, the SPARQL endpoint, the vocabularies, and the entities of each class."""
    from rdflib import Namespace

    void, dcat, dct = (Namespace("http://rdfs.org/ns/void#"), Namespace("http://www.w3.org/ns/dcat#"),
                       Namespace("http://purl.org/dc/terms/"))
    graph = Graph().parse(data=void_turtle, format="turtle")
    ds = URIRef(dataset_iri)

    def one(p: URIRef) -> str:
        value = graph.value(ds, p)
        return "" if value is None else str(value)

    rows: list[tuple[str, list[Link]]] = [("Title", [Link("", one(dct.title))]),
                                          ("Description", [Link("", one(dct.description))])]
    for label, prop in (("Licence", dct.license), ("Source", dct.source)):
        if one(prop):
            rows.append((label, [Link(one(prop), one(prop))]))
    if one(void.triples):
        rows.append(("Statements", [Link("", f"{int(one(void.triples)):,} triples, {one(void.properties) or '?'} "
                                             f"properties, {one(void.classes) or '?'} classes")]))
    dumps = sorted((str(graph.value(d, dcat.mediaType) or ""), str(d)) for d in graph.objects(ds, dcat.distribution))
    if dumps:
        rows.append(("Dumps", [Link(url, f"{url.rsplit('/', 1)[-1]} ({kind})") for kind, url in dumps]))
    if one(void.sparqlEndpoint):
        rows.append(("SPARQL endpoint", [Link(one(void.sparqlEndpoint), one(void.sparqlEndpoint))]))
    names = {str(ns): prefix for prefix, ns in PREFIXES.items()}
    vocabularies = sorted(names.get(str(v), str(v)) for v in graph.objects(ds, void.vocabulary))
    if vocabularies:
        rows.append(("Vocabularies", [Link("", ", ".join(vocabularies))]))
    classes = sorted(((int(graph.value(part, void.entities) or 0), _curie(str(graph.value(part, void["class"]))))
                      for part in graph.objects(ds, void.classPartition)), key=lambda x: (-x[0], x[1]))
    return Markup(render("_facts.html", rows=[(label, links) for label, links in rows if any(x.text for x in links)],
                         classes=classes))


def not_found_page(iri: str, total: int) -> str:
    """A 404 for a browser: what was asked for, and where to go instead."""
    return render("not_found.html", title="Not found", iri=iri, total=total)
