"""The SPARQL page: YASGUI (vendored in static/yasgui/, served by this server, no CDN) over the endpoint, with the
query library as examples whose parameters are form fields, results as a table or a chart, CSV/JSON/TSV downloads
and YASGUI's shareable links; and, for a browser without JavaScript, a plain form that posts to the same endpoint.

The library's parameters are bound on the server (``/sparql/library/{name}?param=value``, by
:func:`rdfgen.sparql.library.bind`, which escapes and types the values), so the page never builds SPARQL by string
concatenation in JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from rdfgen.server.pages import escape, layout
from rdfgen.sparql.library import QueryInfo

STATIC = Path(__file__).resolve().parent / "static"
"""Files served under /static/: the vendored YASGUI and the page's own script and style."""

STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".md": "text/plain; charset=utf-8", "": "text/plain; charset=utf-8"}

DEFAULT_QUERY = "SELECT ?article ?title WHERE {\n  ?article <https://schema.org/headline> ?title\n} LIMIT 10"


def static_file(name: str) -> tuple[Path, str] | None:
    """A file under /static/ and its media type; None for any name that is not a file of the folder (no path of a
    request reaches outside it)."""
    parts = name.split("/")
    if not name or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    path = STATIC.joinpath(*parts)
    try:
        path.resolve().relative_to(STATIC)
    except ValueError:
        return None
    suffix = path.suffix if path.suffix in STATIC_TYPES else ""
    if not path.is_file() or (path.suffix and suffix != path.suffix):
        return None
    return path, STATIC_TYPES[suffix]


def library_json(queries: Sequence[QueryInfo]) -> str:
    """The library as the page's script reads it: name, title, description, what it returns, and parameters."""
    return json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                        "params": [{"name": p.name, "default": None if p.default in (None, "*") else p.default,
                                    "optional": p.default == "*", "kind": p.kind, "description": p.description}
                                   for p in q.params]}
                       for q in queries], ensure_ascii=True).replace("</", "<\\/")


def editor_page(queries: Sequence[QueryInfo], query: str = "", error: str = "") -> str:
    """The SPARQL page. ``query`` fills both editors (the plain form and YASGUI); ``error`` (a syntax error of a
    query posted from the plain form) is shown above it, with the query kept."""
    text = query or DEFAULT_QUERY
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    examples = "".join(
        f'<li><a href="/sparql/library/{escape(q.name, quote=True)}">{escape(q.name)}</a>: {escape(q.title)}</li>'
        for q in queries)
    body = f"""<h1>SPARQL</h1>
<p>SPARQL 1.1 query endpoint (read-only) at <code>/sparql</code>: GET or POST with <code>query=</code>, or POST
<code>application/sparql-query</code>. Results as JSON, XML, CSV or TSV; graphs in any RDF format, by Accept.</p>
{problem}
<section id="library-picker" hidden aria-label="query library">
<h2>Query library</h2>
<label for="library-query">Example</label>
<select id="library-query"><option value="">(choose a query)</option></select>
<p id="library-description" class="meta"></p>
<form id="library-params"></form>
</section>
<div id="yasgui" hidden data-endpoint="/sparql" data-query="{escape(text, quote=True)}"
 data-kept="{1 if query else 0}"></div>
<div id="downloads" hidden class="meta">Download the results:
<form method="post" action="/sparql" class="download"><input type="hidden" name="query">
<input type="hidden" name="format" value="csv"><button>CSV</button></form>
<form method="post" action="/sparql" class="download"><input type="hidden" name="query">
<input type="hidden" name="format" value="json"><button>JSON</button></form>
<form method="post" action="/sparql" class="download"><input type="hidden" name="query">
<input type="hidden" name="format" value="tsv"><button>TSV</button></form>
</div>
<form id="plain-form" action="/sparql" method="post">
<label for="plain-query">Query</label>
<textarea id="plain-query" name="query" rows="12">{escape(text)}</textarea>
<button>Run</button></form>
<section id="plain-library"><h2>Examples from the query library</h2>
<p>Each opens as a query with its parameters filled in with their examples.</p><ul>{examples}</ul></section>
<script type="application/json" id="library">{library_json(queries)}</script>"""
    head = ('<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">\n'
            '<link rel="stylesheet" href="/static/editor.css">\n'
            '<script src="/static/yasgui/yasgui.min.js" defer></script>\n'
            '<script src="/static/editor.js" defer></script>\n')
    return layout("SPARQL", body, head)


def library_query_page(info: QueryInfo, bound: str, values: dict[str, str], error: str = "") -> str:
    """One library query for a browser without JavaScript: its parameters as a form, and the bound query in the plain
    editor, ready to run."""
    fields = "".join(
        f'<p><label for="p-{escape(p.name, quote=True)}">{escape(p.name)}</label> '
        f'<input id="p-{escape(p.name, quote=True)}" name="{escape(p.name, quote=True)}" '
        f'value="{escape(values.get(p.name, ""), quote=True)}" '
        f'placeholder="{escape("" if p.default in (None, "*") else p.default, quote=True)}"> '
        f'<span class="meta">{escape(p.description)}</span></p>' for p in info.params)
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    body = f"""<h1>{escape(info.title)}</h1>
<p>{escape(info.description)}</p>
{problem}<form action="/sparql/library/{escape(info.name, quote=True)}" method="get">{fields}
<button>Fill in</button></form>
<form action="/sparql" method="post"><label for="plain-query">Query</label>
<textarea id="plain-query" name="query" rows="16">{escape(bound)}</textarea><button>Run</button></form>
<p><a href="/sparql">All queries</a></p>"""
    return layout(info.title, body)
