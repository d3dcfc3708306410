"""HTML the server renders: the article page (from the record's RDF graph), a page for any other resource, the
index with search, the SPARQL form and results table, the downloads list and the error pages.

Pages are made from the graphs, not from the Record, because the server only has RDF (a --store has no files).
Every text and attribute is escaped; the embeddable JSON-LD goes in through :func:`rdfgen.html.script_json`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlencode

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from rdfgen.serialize.citation import NEGOTIATED, Work, work
from rdfgen.serialize.formats import FORMATS
from rdfgen.serialize.harvest import Signpost, signposts
from rdfgen.serialize.html import CITATION_LABELS, LICENSE, cite_links, escape, harvest_head, safe_html, script_json
from rdfgen.serialize.ntriples import nt_term
from rdfgen.sparql.library import QueryInfo
from rdfgen.sparql.results import Result
from rdfgen.vocab import BIBO, BIRO, C4O, FABIO, PREFIXES, RDFGEN, SDO

Link = Callable[[str], str]
_CSS = """body{font:16px/1.5 system-ui,sans-serif;max-width:56rem;margin:1rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem;line-height:1.3}.meta{color:#555}.kw li,.mesh li{display:inline;margin-right:.8em}
ol.refs li{margin-bottom:.5em}li.etal{list-style:none}nav{border-bottom:1px solid #ddd;padding-bottom:.5rem}
nav a{margin-right:1em}
.label{font-weight:600}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;
vertical-align:top}textarea{width:100%;font-family:monospace}svg text{font:11px sans-serif}"""


def layout(title: str, body: str, head: str = "") -> str:
    """Every page: the same head, navigation and style."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{escape(title)}</title>
{head}<style>{_CSS}</style>
</head>
<body>
<nav><a href="/">Records</a><a href="/sparql">SPARQL</a><a href="/download/">Downloads</a></nav>
{body}
</body>
</html>
"""


def _a(href: str, text: str) -> str:
    return f'<a href="{escape(href, quote=True)}">{escape(text)}</a>'


def _label(graph: Graph, node: Node) -> str:
    for p in (SDO.name, SDO.headline, RDFGEN.sectionLabel, C4O.hasContent):
        value = graph.value(node, p)
        if value is not None:
            return str(value)
    return str(node)


def _by_position(graph: Graph, nodes: Iterable[Node], prop: URIRef) -> list[Node]:
    return sorted(nodes, key=lambda n: (int(str(graph.value(n, prop) or 0)), str(n)))


# --- the article page ---------------------------------------------------------------------------------------------

def _authors(graph: Graph, article: URIRef, link: Link) -> str:
    items = []
    ships = _by_position(graph, graph.objects(article, RDFGEN.authorship), RDFGEN.position)
    for ship in ships:
        agent = graph.value(ship, RDFGEN.agent)
        if agent is None:
            continue
        name = _a(link(str(agent)), _label(graph, agent)) if not str(agent).startswith("https://orcid.org/") \
            else escape(_label(graph, agent))
        orcids = {str(o) for o in graph.objects(agent, SDO.sameAs) if str(o).startswith("https://orcid.org/")}
        if str(agent).startswith("https://orcid.org/"):
            orcids.add(str(agent))
        name += "".join(f' <a class="orcid" href="{escape(o, quote=True)}">ORCID {escape(o.rsplit("/", 1)[-1])}</a>'
                        for o in sorted(orcids))
        affs = "; ".join(escape(_label(graph, org)) for org in sorted(graph.objects(agent, SDO.affiliation), key=str))
        items.append(f"<li>{name}" + (f' <span class="meta">({affs})</span>' if affs else "") + "</li>")
    etal = graph.value(article, RDFGEN.authorListComplete) == Literal(False)
    more = '<p class="meta etal">et al. (the source lists only these)</p>' if etal else ""
    return f'<ol class="authors">{"".join(items)}</ol>{more}' if items else more


def _journal_line(graph: Graph, article: URIRef, link: Link) -> str:
    parts, volume, issue, periodical = [], None, None, None
    node = graph.value(article, SDO.isPartOf)
    while node is not None:
        kinds = set(graph.objects(node, RDF.type))
        if SDO.PublicationIssue in kinds:
            issue = graph.value(node, SDO.issueNumber)
        elif SDO.PublicationVolume in kinds:
            volume = graph.value(node, SDO.volumeNumber)
        else:
            periodical = node
        node = graph.value(node, SDO.isPartOf)
    if periodical is not None:
        name = graph.value(periodical, SDO.name) or graph.value(periodical, SDO.alternateName) or periodical
        parts.append(_a(link(str(periodical)), str(name)))
    if (date := graph.value(article, SDO.datePublished)) is not None:
        parts.append(escape(str(date)))
    where = escape(str(volume or "")) + (f"({escape(str(issue))})" if issue else "")
    if (pages := graph.value(article, SDO.pagination)) is not None:
        where += f":{escape(str(pages))}"
    return ". ".join(parts + ([where] if where else []))


def _abstract(graph: Graph, article: URIRef) -> str:
    sections = _by_position(graph, graph.objects(article, RDFGEN.abstractSection), SDO.position)
    if sections:
        paras = []
        for s in sections:
            label = graph.value(s, RDFGEN.sectionLabel)
            head = f'<span class="label">{escape(str(label))}:</span> ' if label else ""
            marked = graph.value(s, RDFGEN.abstractHtml)  # the section's inline markup (sup, sub, i...), made safe
            body = safe_html(str(marked)) if marked else escape(str(graph.value(s, SDO.text) or ""))
            paras.append(f"<p>{head}{body}</p>")
        return "<h2>Abstract</h2>" + "".join(paras)
    text = graph.value(article, SDO.abstract)
    marked = graph.value(article, RDFGEN.abstractHtml)
    if marked:
        return "<h2>Abstract</h2>" + "".join(f"<p>{safe_html(p)}</p>" for p in str(marked).split("\n") if p.strip())
    return f"<h2>Abstract</h2><p>{escape(str(text))}</p>" if text else ""


def _subjects(graph: Graph, article: URIRef) -> str:
    out = ""
    keywords = sorted(str(k) for k in graph.objects(article, SDO.keywords))
    if keywords:
        out += '<h2>Keywords</h2><ul class="kw">' + "".join(
            f"<li>{_a('/keyword/' + quote(k, safe=''), k)}</li>" for k in keywords) + "</ul>"
    major = set(graph.objects(article, FABIO.hasPrimarySubjectTerm))
    terms = sorted(graph.objects(article, SDO.about), key=lambda t: _label(graph, t).casefold())
    if terms:
        items = [f"<li>{_a(_mesh_page(str(t)), _label(graph, t) + ('*' if t in major else ''))}</li>" for t in terms]
        out += '<h2>MeSH terms</h2><ul class="mesh">' + "".join(items) + "</ul>"
    return out


_MESH = "http://id.nlm.nih.gov/mesh/"


def _mesh_page(iri: str) -> str:
    """A MeSH descriptor's local page (its articles here, broader and narrower terms, the link to NLM)."""
    ui = iri[len(_MESH):] if iri.startswith(_MESH) else ""
    return f"/mesh/{ui}" if ui[:1] == "D" and ui[1:].isdigit() else iri


def _references(graph: Graph, article: URIRef, link: Link) -> tuple[str, list[int]]:
    """The numbered reference list, and the publication year of each cited work that has one (for the chart)."""
    entries = _by_position(graph, graph.objects(article, RDFGEN.reference), SDO.position)
    items, years = [], []
    for entry in entries:
        n = graph.value(entry, SDO.position)
        work = graph.value(entry, BIRO.references)
        text = str(graph.value(entry, C4O.hasContent) or _label(graph, entry))
        links = [_a(link(str(entry)), f"reference {n}")]
        if work is not None:
            links.append(_a(link(str(work)), "the cited work here"))
            links += [_a(str(s), _outside(str(s))) for s in sorted(graph.objects(work, SDO.sameAs), key=str)]
            date = str(graph.value(work, SDO.datePublished) or "")
            if date[:4].isdigit():
                years.append(int(date[:4]))
        items.append(f'<li id="ref-{escape(str(n))}">{escape(text)} <span class="meta">{" ".join(links)}</span></li>')
    html = "<h2>References</h2><ol class=\"refs\">" + "".join(items) + "</ol>" if items else ""
    return html, years


def _outside(iri: str) -> str:
    """What a link to another site opens, said in its text: "DOI 10.1000/x at doi.org", "PubMed 123"."""
    if iri.startswith("https://doi.org/"):
        return f"DOI {iri[len('https://doi.org/'):]} at doi.org"
    if iri.startswith("https://pubmed.ncbi.nlm.nih.gov/"):
        return f"PubMed {iri.rstrip('/').rsplit('/', 1)[-1]}"
    if "/pmc/articles/" in iri:
        return f"PubMed Central {iri.rstrip('/').rsplit('/', 1)[-1]}"
    return iri


def reference_chart(years: Sequence[int]) -> str:
    """The references per publication year, only when they span three years or more (one or two bars say nothing
    a sentence does not), one labelled column a year (rdfgen.server.charts)."""
    if len(set(years)) < 3:
        return ""
    from rdfgen.server.charts import Chart, figure

    lo, hi = min(years), max(years)
    return figure(Chart("reference-years", "References by publication year",
                        [(str(y), years.count(y)) for y in range(lo, hi + 1)], unit="references", columns=True))


def year_chart(years: Sequence[int], width: int = 640, height: int = 160) -> str:
    """Inline SVG bars: how many references were published each year (accessible: title and per-bar labels)."""
    if not years:
        return ""
    lo, hi = min(years), max(years)
    counts = [years.count(y) for y in range(lo, hi + 1)]
    top, span = max(counts), hi - lo + 1
    bar = (width - 40) / span
    bars = []
    for k, count in enumerate(counts):
        if count:
            h = (height - 40) * count / top
            x, y = 30 + k * bar, height - 20 - h
            bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 2, 1):.1f}" height="{h:.1f}" fill="#4a7ab5">'
                        f"<title>{lo + k}: {count}</title></rect>")
    labels = (f'<text x="30" y="{height - 5}">{lo}</text>'
              f'<text x="{width - 10}" y="{height - 5}" text-anchor="end">{hi}</text>'
              f'<text x="0" y="14">{top}</text>')
    return (f'<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" aria-labelledby="chart-title"><title id="chart-title">References by '
            f"publication year, {lo} to {hi}</title>{''.join(bars)}{labels}</svg>"
            f"<figcaption>References by publication year ({len(years)} dated)</figcaption></figure>")


def alternates(link_base: str) -> str:
    """``<link rel="alternate">`` to each RDF document of a resource (``link_base`` + ``.ext``)."""
    return "".join(f'<link rel="alternate" type="{f.media_type}" href="{escape(link_base)}.{f.extension}">\n'
                   for f in FORMATS if f.name != "trig")


def _formats_line(link_base: str) -> str:
    return "Linked data: " + " ".join(_a(f"{link_base}.{f.extension}", f.name) for f in FORMATS if f.name != "trig")


CITATION_LINKS = tuple((f.extension, CITATION_LABELS[f.name]) for f in NEGOTIATED)
"""The citation documents an article page links to (extension, label): every format the article IRI negotiates."""


def harvest_of(graph: Graph, article: URIRef) -> tuple[Work, list[Signpost]]:
    """The record's Work (citations, meta tags) and its page's Signposting links, each RDF document of the record
    linked ``describedby`` with its media type."""
    return harvest_from([(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in graph], article)


def harvest_from(triples: Sequence[tuple[str, str, str]], article: URIRef) -> tuple[Work, list[Signpost]]:
    """:func:`harvest_of` from the record's triples as N-Triples terms (no Graph to walk)."""
    cite = work(triples, str(article))
    described = [(f"{article}.{f.extension}", f.media_type) for f in FORMATS if f.name != "trig"]
    return cite, signposts(cite, str(article), described, LICENSE)


def article_page(graph: Graph, article: URIRef, embedding: dict[str, Any], link: Link,
                 harvest: tuple[Work, Sequence[Signpost]] | None = None) -> str:
    """The article: title, authors with affiliations and ORCID, journal, abstract, keywords, MeSH, references with
    a chart of their years, links to its citation documents; in the head, for crawlers and reference managers, the
    embeddable JSON-LD, the Signposting links and the Highwire and Dublin Core meta tags (``harvest``: the Work and
    links of :func:`harvest_of`, when the caller has them)."""
    cite, posts = harvest or harvest_of(graph, article)
    citations = [(f"{link(str(article))}.{ext}", label) for ext, label in CITATION_LINKS]
    title = str(graph.value(article, SDO.headline) or graph.value(article, SDO.name) or article)
    doc = link(str(article))
    pmid, doi = graph.value(article, BIBO.pmid), graph.value(article, BIBO.doi)
    ids = []
    if pmid:
        ids.append(_a(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", f"PubMed {pmid}"))
    if doi:
        ids.append(_a(f"https://doi.org/{doi}", f"doi:{doi}"))
    types = ", ".join(escape(str(t)) for t in sorted(graph.objects(article, RDFGEN.publicationTypeName), key=str))
    refs, years = _references(graph, article, link)
    head = (f'<link rel="canonical" href="{escape(str(article), quote=True)}">\n{alternates(doc)}'
            f'{harvest_head(cite, f"{article}.html", posts)}'
            f'<script type="application/ld+json">\n{script_json(embedding)}\n</script>\n')
    retracted = (article, RDFGEN.retracted, Literal(True)) in graph
    banner = '<p class="retracted" role="alert"><strong>Retracted:</strong> PubMed records a retraction of this ' \
             "article.</p>" if retracted else ""
    body = f"""<article>
{banner}
<p class="meta">{types}</p>
<h1>{escape(title)}</h1>
{_authors(graph, article, link)}
<p class="meta">{_journal_line(graph, article, link)}</p>
<p class="meta">{" · ".join(ids)}</p>
<p class="meta">{cite_links(citations)} · {_formats_line(doc)}</p>
{_abstract(graph, article)}
{_subjects(graph, article)}
{reference_chart(years)}
{refs}
</article>
<footer class="meta"><p>{_formats_line(doc)}. {cite_links(citations)}. Source: NLM PubMed.</p></footer>"""
    return layout(title, body, head)


# --- other pages --------------------------------------------------------------------------------------------------

def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def _term(node: Node, graph: Graph, link: Link) -> str:
    if isinstance(node, URIRef):
        label = _label(graph, node)
        return _a(link(str(node)), label if label != str(node) else _curie(str(node)))
    if isinstance(node, Literal):
        return escape(str(node))
    return f'<span class="meta">{escape(_label(graph, node))}</span>'


def _more_links(iri: URIRef, shown: int, links: int) -> str:
    """"First N of M" and a query for all of them, when the page lists only the first statements pointing here."""
    if links <= shown:
        return ""
    query = f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} ORDER BY ?p ?s"
    return (f'<p class="meta">The first {shown} of {links:,} statements; '
            f'{_a("/sparql?" + urlencode({"query": query}), "query them all")}.</p>')


def resource_page(graph: Graph, iri: URIRef, link: Link, links: int = 0, extra: str = "",
                  inverse: str | None = None) -> str:
    """Any resource other than an article: its statements, then what points at it: ``inverse`` (grouped by
    property, :func:`inverse_section`) when the caller has it, else the graph's incoming statements (``links`` of
    them in all, of which the graph holds the first: a page never grows with the popularity of what it describes)."""
    own = sorted(((p, o) for p, o in graph.predicate_objects(iri)), key=lambda x: (_curie(str(x[0])), str(x[1])))
    rows = "".join(f"<tr><th>{_a(str(p), _curie(str(p)))}</th><td>{_term(o, graph, link)}</td></tr>" for p, o in own)
    if inverse is None:
        back = sorted(((s, p) for s, p in graph.subject_predicates(iri) if s != iri),
                      key=lambda x: (str(x[1]), str(x[0])))
        back_rows = "".join(f"<tr><td>{_term(s, graph, link)}</td><th>{_a(str(p), _curie(str(p)))}</th></tr>"
                            for s, p in back)
        inverse = (f"<h2>Referred to by</h2><table>{back_rows}</table>" if back_rows else "") \
            + _more_links(iri, len(back), links)
    title = _label(graph, iri)
    doc = link(str(iri))
    body = (f"<h1>{escape(title)}</h1><p class=\"meta\">{escape(str(iri))}</p><table>{rows}</table>"
            + inverse + extra
            + f'<footer class="meta"><p>{_formats_line(doc)}</p></footer>')
    return layout(title, body, alternates(doc))


def inverse_section(groups: Sequence[Any], page_url: str, link: Link, per: int) -> str:
    """What points at a resource, one list per property with its count: its first ``per`` subjects by label, and
    links to the next and previous pages of one property (``?rel=PROPERTY&page=N``)."""
    if not groups:
        return ""
    parts = ["<h2>Referred to by</h2>"]
    for g in groups:
        items = "".join(f"<li>{_a(link(s), label)}</li>" for s, label in g.subjects)
        nav = []
        if g.page > 1:
            nav.append(_a(f"{page_url}?{urlencode({'rel': g.predicate, 'page': g.page - 1})}", "previous"))
        if g.page * per < g.total:
            nav.append(_a(f"{page_url}?{urlencode({'rel': g.predicate, 'page': g.page + 1})}",
                          f"next {min(per, g.total - g.page * per):,} of {g.total:,}"))
        pager = f'<nav class="pages" aria-label="pages of {escape(_curie(g.predicate), quote=True)}">' \
                f'{" ".join(nav)}</nav>' if nav else ""
        parts.append(f'<h3>{_a(g.predicate, _curie(g.predicate))} ({g.total:,})</h3>'
                     f'<ol start="{(g.page - 1) * per + 1}">{items}</ol>{pager}')
    return "".join(parts)


def dataset_script(dataset: dict[str, Any] | None) -> str:
    """The dataset's schema.org ``Dataset`` (rdfgen.serialize.void.dataset_object) for a landing page's head."""
    return f'<script type="application/ld+json">\n{script_json(dataset)}\n</script>\n' if dataset else ""


def index_page(entries: Sequence[Any], query: str, total: int, shown: int,
               dataset: dict[str, Any] | None = None) -> str:
    """The records, newest first, with a search over title, authors and MeSH terms/keywords; the dataset's
    schema.org description in the head."""
    items = "".join(
        f'<li>{_a(f"/pubmed/{e.pmid}", e.title)} <span class="meta">{escape(", ".join(e.authors[:3]))}'
        f'{" et al." if len(e.authors) > 3 else ""} {escape(e.date)} PMID {escape(e.pmid)}</span></li>'
        for e in entries[:shown])
    found = (f"{len(entries)} of {total} records match {escape(json.dumps(query))}" if query
             else f"{total} records")
    more = f'<p class="meta">showing the first {shown}</p>' if len(entries) > shown else ""
    body = f"""<h1>PubMed records as linked data</h1>
<form action="/" method="get"><input type="search" name="q" value="{escape(query, quote=True)}" size="50"
 placeholder="title, author or MeSH term" aria-label="search"> <button>Search</button></form>
<p class="meta">{found}. Query them all at <a href="/sparql">/sparql</a>; download them at
<a href="/download/">/download/</a>.</p>
<ol>{items}</ol>{more}"""
    return layout("rdfgen dataset", body, '<link rel="alternate" type="text/turtle" href="/.well-known/void">\n'
                  + dataset_script(dataset))


def sparql_form(queries: Sequence[QueryInfo], query: str = "") -> str:
    """A query box, and the query library as examples (each fills the box)."""
    examples = "".join(
        f"<details><summary>{escape(q.name)}: {escape(q.title)}</summary><p>{escape(q.description)}</p>"
        f'<form action="/sparql" method="get"><textarea name="query" rows="8">{escape(q.text)}</textarea>'
        f"<button>Run</button></form></details>" for q in queries)
    default = query or "SELECT ?article ?title WHERE {\n  ?article <https://schema.org/headline> ?title\n} LIMIT 10"
    body = f"""<h1>SPARQL</h1>
<p>SPARQL 1.1 query endpoint (read-only): GET or POST <code>/sparql</code> with <code>query=</code>, or POST
<code>application/sparql-query</code>. Results as JSON, XML, CSV or TSV; graphs as any RDF format, by Accept.</p>
<form action="/sparql" method="get"><textarea name="query" rows="10">{escape(default)}</textarea>
<button>Run</button></form>
<h2>Examples from the query library</h2>{examples}"""
    return layout("SPARQL", body)


def results_page(result: Result, query: str, truncated: bool, link: Link) -> str:
    if result.kind == "boolean":
        table = f"<p>{str(result.boolean).lower()}</p>"
    else:
        graph = Graph()
        head = "".join(f"<th>{escape(c)}</th>" for c in result.columns)
        rows = "".join("<tr>" + "".join(f"<td>{'' if t is None else _term(t, graph, link)}</td>" for t in row)
                       + "</tr>" for row in result.rows)
        table = f"<p class=\"meta\">{len(result.rows)} rows{' (truncated)' if truncated else ''}</p>" \
                f"<table><tr>{head}</tr>{rows}</table>"
    body = f'<h1>Results</h1>{table}<form action="/sparql" method="get"><textarea name="query" rows="8">' \
           f"{escape(query)}</textarea><button>Run</button></form>"
    return layout("SPARQL results", body)


def downloads_page(files: Sequence[tuple[str, int]], dataset: dict[str, Any] | None = None, charts: str = "",
                   facts: str = "") -> str:
    """The dumps with their sizes: the dataset's landing page, with its schema.org description in the head, its
    VoID/DCAT ``facts`` (:func:`dataset_facts`) and ``charts`` (rdfgen.server.charts) below."""
    items = "".join(f"<li>{_a(f'/download/{name}', name)} <span class=\"meta\">{size:,} bytes</span></li>"
                    for name, size in files)
    text = f"<ul>{items}</ul>" if items else "<p>No dumps here: this server runs on a store, not a build folder.</p>"
    pictures = f"<h2>The dataset in pictures</h2>{charts}" if charts else ""
    return layout("Downloads", f"<h1>Downloads</h1>{text}{facts}<p>Dataset description: "
                               f'{_a("/.well-known/void", "VoID")}.</p>{pictures}', dataset_script(dataset))


def dataset_facts(void_turtle: str, dataset_iri: str) -> str:
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

    rows = [("Title", escape(one(dct.title))), ("Description", escape(one(dct.description)))]
    if one(dct.license):
        rows.append(("Licence", _a(one(dct.license), one(dct.license))))
    if one(dct.source):
        rows.append(("Source", _a(one(dct.source), one(dct.source))))
    if one(void.triples):
        rows.append(("Statements", f"{int(one(void.triples)):,} triples, {one(void.properties) or '?'} properties, "
                                   f"{one(void.classes) or '?'} classes"))
    dumps = sorted((str(graph.value(d, dcat.mediaType) or ""), str(d)) for d in graph.objects(ds, dcat.distribution))
    if dumps:
        rows.append(("Dumps", ", ".join(f"{_a(url, url.rsplit('/', 1)[-1])} ({escape(kind)})" for kind, url in dumps)))
    if one(void.sparqlEndpoint):
        rows.append(("SPARQL endpoint", _a(one(void.sparqlEndpoint), one(void.sparqlEndpoint))))
    names = {str(ns): prefix for prefix, ns in PREFIXES.items()}
    vocabularies = sorted(names.get(str(v), str(v)) for v in graph.objects(ds, void.vocabulary))
    if vocabularies:
        rows.append(("Vocabularies", escape(", ".join(vocabularies))))
    classes = sorted(((int(graph.value(part, void.entities) or 0), _curie(str(graph.value(part, void["class"]))))
                      for part in graph.objects(ds, void.classPartition)), key=lambda x: (-x[0], x[1]))
    table = "".join(f"<tr><td>{escape(name)}</td><td>{count:,}</td></tr>" for count, name in classes)
    listed = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows if value)
    return (f"<h2>About the dataset</h2><dl>{listed}</dl>"
            + (f"<details><summary>Entities by class</summary><table><thead><tr><th>class</th><th>entities</th>"
               f"</tr></thead><tbody>{table}</tbody></table></details>" if table else ""))


def not_found_page(iri: str, total: int) -> str:
    return layout("Not found", f"<h1>Not found</h1><p>Nothing is known about {escape(iri)}.</p>"
                               f'<p>This dataset has {total} records: see {_a("/", "the index")}, '
                               f'{_a("/sparql", "query it")} or {_a("/download/", "download it")}.</p>')
