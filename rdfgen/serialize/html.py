"""A readable HTML page per record, carrying the embeddable JSON-LD in ``<script type="application/ld+json">``.

Rendered from the Record (what a person reads) plus the embedding object (what a crawler reads); every text is
escaped, and the JSON is made safe inside ``<script>`` (no ``</script>`` or ``<!--`` can close it early).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from rdfgen import iris as iri
from rdfgen.iris import Iris
from rdfgen.model import Record

_CSS = """body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem;line-height:1.3}.meta{color:#555}.kw li,.mesh li{display:inline;margin-right:.6em}
ol.refs li{margin-bottom:.5em}nav a{margin-right:1em}dt{font-weight:600}.label{font-weight:600}
.retracted{background:#fde8e8;border-left:4px solid #b00;padding:.5em 1em}"""


_RETRACTED = ('<p class="retracted" role="alert"><strong>Retracted:</strong> PubMed records a retraction of this '
              "article.</p>")


def script_json(obj: dict[str, Any]) -> str:
    """JSON for an inline script: ``<``, ``>`` and ``&`` as \\u escapes so nothing in a title can end the script."""
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _authors(record: Record, iris: Iris) -> str:
    items = []
    for n, a in enumerate(record.authors, start=1):
        name = escape(a.display_name)
        if a.orcid:
            name += f' <a href="{escape(str(iri.orcid_url(a.orcid)))}">ORCID</a>'
        affs = "; ".join(escape(x.name) for x in a.affiliations)
        items.append(f'<li id="author-{n}">{name}' + (f' <span class="meta">({affs})</span>' if affs else "") + "</li>")
    more = "" if record.authors_complete else '<li class="meta">et al. (the source lists only these)</li>'
    return f'<ol class="authors">{"".join(items)}{more}</ol>' if items or more else ""


def _journal_line(record: Record) -> str:
    j = record.journal.display_name if record.journal else None
    parts = [escape(j)] if j else []
    if record.pub_date:
        parts.append(escape(record.pub_date.raw or record.pub_date.iso()))
    vol = escape(record.volume or "")
    if record.issue:
        vol += f"({escape(record.issue)})"
    if record.pages:
        vol += f":{escape(record.pages.raw)}"
    if vol:
        parts.append(vol)
    return ". ".join(parts)


def _abstract(record: Record) -> str:
    if record.abstract is None:
        return ""
    paras = "".join(
        f'<p>{f"<span class=label>{escape(s.label)}:</span> " if s.label else ""}{escape(s.text)}</p>'
        for s in record.abstract.sections
    )
    return f"<h2>Abstract</h2>{paras}"


def _subjects(record: Record) -> str:
    out = ""
    if record.keywords:
        out += "<h2>Keywords</h2><ul class=kw>" + "".join(f"<li>{escape(k.text)}</li>" for k in record.keywords)
        out += "</ul>"
    if record.mesh_headings:
        items = []
        for h in record.mesh_headings:
            name = escape(h.descriptor_name) + ("*" if h.is_major else "")
            if h.descriptor_ui:
                name = f'<a href="{escape(str(iri.mesh(h.descriptor_ui)))}">{name}</a>'
            quals = " / ".join(escape(q.name) for q in h.qualifiers)
            items.append(f"<li>{name}{' / ' + quals if quals else ''}</li>")
        out += "<h2>MeSH terms</h2><ul class=mesh>" + "".join(items) + "</ul>"
    return out


def _references(record: Record, iris: Iris) -> str:
    if not record.references:
        return ""
    items = []
    for ref in record.references:
        links = []
        if ref.doi:
            links.append(f'<a href="{escape(str(iri.doi_url(ref.doi)))}">DOI</a>')
        if ref.pmid:
            links.append(f'<a href="{escape(str(iris.article(ref.pmid)))}">PubMed {escape(ref.pmid)}</a>')
        work = escape(str(iris.reference_work(record.pmid, ref)))
        items.append(f'<li id="ref-{ref.position}"><a href="{work}">{escape(ref.citation)}</a> {" ".join(links)}</li>')
    return "<h2>References</h2><ol class=refs>" + "".join(items) + "</ol>"


def article_page(record: Record, iris: Iris, embedding: dict[str, Any]) -> str:
    """The article page: title, authors, journal, abstract, keywords, MeSH, references; JSON-LD in the head."""
    article = str(iris.article(record.pmid))
    alternates = "".join(
        f'<link rel="alternate" type="{mt}" href="{escape(str(iris.document(record.pmid, ext)))}">'
        for ext, mt in (("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"))
    )
    ids = [f'<a href="{escape(str(iri.pubmed_url(record.pmid)))}">PubMed {escape(record.pmid)}</a>']
    if record.doi:
        ids.append(f'<a href="{escape(str(iri.doi_url(record.doi)))}">doi:{escape(record.doi)}</a>')
    types = ", ".join(escape(p.name) for p in record.publication_types)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(record.title)}</title>
<link rel="canonical" href="{escape(article)}">
{alternates}
<script type="application/ld+json">
{script_json(embedding)}
</script>
<style>{_CSS}</style>
</head>
<body>
<article>
{_RETRACTED if record.is_retracted else ""}
<p class="meta">{types}</p>
<h1>{escape(record.title)}</h1>
{_authors(record, iris)}
<p class="meta">{_journal_line(record)}</p>
<p class="meta">{" · ".join(ids)}</p>
{_abstract(record)}
{_subjects(record)}
{_references(record, iris)}
</article>
<footer class="meta"><p>Linked data: <a href="{escape(str(iris.document(record.pmid, "ttl")))}">Turtle</a>
<a href="{escape(str(iris.document(record.pmid, "nt")))}">N-Triples</a>
<a href="{escape(str(iris.document(record.pmid, "jsonld")))}">JSON-LD</a>. Source: NLM PubMed.</p></footer>
</body>
</html>
"""
