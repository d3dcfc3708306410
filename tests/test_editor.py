"""The SPARQL page's parts (rdfgen.server.editor): what /static/ may serve, the library as the page's script reads
it, and the page itself (the plain form for a browser without JavaScript, the query kept after an error)."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from rdfgen.server.editor import STATIC, editor_page, library_json, library_query_page, static_file
from rdfgen.sparql.library import bind, list_queries, load_query


def test_static_serves_only_its_own_files() -> None:
    found = static_file("yasgui/yasgui.min.js")
    assert found is not None and found[0] == STATIC / "yasgui" / "yasgui.min.js" and "javascript" in found[1]
    assert static_file("editor.css") is not None and static_file("yasgui/LICENSE") is not None
    for bad in ("", "../app.py", "yasgui/../../app.py", "/etc/passwd", "yasgui//yasgui.min.js", ".hidden",
                "yasgui/", "missing.js", "yasgui", "%2e%2e/app.py", "..\\app.py"):
        assert static_file(bad) is None, bad


@given(st.text(max_size=40))
def test_no_name_reaches_outside_static(name: str) -> None:
    found = static_file(name)
    if found is not None:
        assert found[0].resolve().is_relative_to(STATIC) and found[0].is_file()


def test_the_vendored_editor_needs_no_network() -> None:
    """No CDN, no source map the package does not ship, no prefix.cc fetch configured."""
    script = (STATIC / "yasgui" / "yasgui.min.js").read_text(encoding="utf-8")
    assert "sourceMappingURL" not in script
    page = editor_page(list_queries())
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page)


def test_the_library_as_the_page_reads_it() -> None:
    queries = list_queries()
    data = json.loads(library_json(queries))
    assert [q["name"] for q in data] == [q.name for q in queries]
    card = next(q for q in data if q["name"] == "article-card")
    assert card["params"] == [{"name": "pmid", "default": "33783695", "optional": False, "kind": "literal",
                               "description": "PubMed ID of the article; several values give several cards"}]
    orcid = next(q for q in data if q["name"] == "authors-by-orcid")
    assert orcid["params"][0]["optional"] is True and orcid["params"][0]["default"] is None
    assert "</" not in library_json(queries)  # cannot close the <script> element it sits in


def test_the_page_keeps_a_refused_query_and_escapes_it() -> None:
    page = editor_page(list_queries(), "SELECT ?x WHERE { ?x </script><b>", "malformed query: line 1")
    assert "</script><b>" not in page.split('<script type="application/json"')[0]
    assert "SELECT ?x WHERE { ?x &lt;/script&gt;&lt;b&gt;" in page
    assert 'role="alert">malformed query: line 1</p>' in page
    assert 'data-kept="1"' in page and 'data-kept="0"' in editor_page(list_queries())
    assert '<form id="plain-form" action="/sparql" method="post">' in page


def test_a_library_query_page_without_javascript() -> None:
    info = load_query("article-card")
    page = library_query_page(info, bind(info, {"pmid": ["12345"]}), {"pmid": "12345"})
    assert 'name="pmid" value="12345"' in page and '"12345"' in page
