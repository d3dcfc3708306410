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

from markupsafe import Markup

from rdfgen.serialize.html import render
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
    """The library as the page's script reads it: name, title, description, what it returns, and parameters; safe
    inside the ``<script>`` element the page puts it in (no ``</`` can close it)."""
    return json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                        "params": [{"name": p.name, "default": None if p.default in (None, "*") else p.default,
                                    "optional": p.default == "*", "kind": p.kind, "description": p.description}
                                   for p in q.params]}
                       for q in queries], ensure_ascii=True).replace("</", "<\\/")


def editor_page(queries: Sequence[QueryInfo], query: str = "", error: str = "") -> str:
    """The SPARQL page. ``query`` fills both editors (the plain form and YASGUI); ``error`` (a syntax error of a
    query posted from the plain form) is shown above it, with the query kept."""
    return render("sparql.html", title="SPARQL", query=query or DEFAULT_QUERY, kept=1 if query else 0, error=error,
                  queries=queries, library=Markup(library_json(queries)))


def library_query_page(info: QueryInfo, bound: str, values: dict[str, str], error: str = "") -> str:
    """One library query for a browser without JavaScript: its parameters as a form, and the bound query in the plain
    editor, ready to run."""
    params = [{"name": p.name, "value": values.get(p.name, ""), "description": p.description,
               "example": "" if p.default in (None, "*") else p.default} for p in info.params]
    return render("library_query.html", title=info.title, info=info, params=params, bound=bound, error=error)
