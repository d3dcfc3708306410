"""The article page's longest lists (meta tags, authors, MeSH headings, references) are written in Python
(rdfgen.serialize.html: meta_tags, author_items, mesh_items, reference_items), the rest of the page by its template.
These tests hold the Python to the template's own loops: the page is rendered again from ``article.html`` with each
list put back as the Jinja loop it was, in the same environment, and the two pages must be the same bytes, for
records with hostile, Unicode, control and empty text, with and without references, and for any text at all."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.model import Affiliation, Author, Keyword, MeshHeading, MeshQualifier, Record, Reference
from rdfgen.serialize import html
from rdfgen.serialize.graph import to_graph
from rdfgen.serialize.html import (
    ArticleView,
    AuthorView,
    HeadingView,
    HeadView,
    ItemView,
    Link,
    _finalize,
    environment,
    render_article,
    written,
)
from rdfgen.serialize.ntriples import nt_term
from rdfgen.server.pages import article_page as server_article_page

from .sparql_fixtures import multi_records

LOOPS = {
    "{{ meta_tags -}}\n": """{% for name, value in head.meta %}
<meta name="{{ name }}" content="{{ value }}">
{% endfor %}
""",
    "{{ author_items -}}\n": "{% for p in a.authors %}\n"
                              '<li id="author-{{ loop.index }}">{% if p.href %}<a href="{{ p.href }}">{{ p.name }}</a>'
                              "{% else %}{{ p.name }}{% endif %}\n"
                              '{%- for href, text in p.orcids %} <a class="orcid" href="{{ href }}">{{ text }}</a>'
                              "{% endfor %}\n"
                              '{%- if p.affiliations %} <span class="meta">({{ p.affiliations|join("; ") }})</span>'
                              "{% endif %}</li>\n{% endfor %}\n",
    "{{ mesh_items }}": '{% for (href, text), qualifiers in a.mesh %}<li>{% if href %}<a href="{{ href }}">{{ text }}'
                        "</a>{% else %}{{ text }}{% endif %}{% for q in qualifiers %} / {{ q }}{% endfor %}</li>"
                        "{% endfor %}",
    "{{ reference_items -}}\n": "{% for number, text, links in a.references %}\n"
                                 '<li id="ref-{{ number }}">{{ text }} <span class="meta">'
                                 '<a href="{{ links[0][0] }}">{{ links[0][1] }}</a>{% for href, label in links[1:] %}'
                                 ' <a href="{{ href }}">{{ label }}</a>{% endfor %}</span></li>\n{% endfor %}\n',
}
"""Each list the template takes written (its placeholder in article.html), and the Jinja loop that wrote it."""


@functools.cache
def loops_template() -> jinja2.Template:
    """article.html as it is, but with the lists written by its own loops (in the one environment)."""
    source = (html.TEMPLATES / "article.html").read_text(encoding="utf-8")
    for placeholder, loop in LOOPS.items():
        assert source.count(placeholder) == 1, placeholder
        source = source.replace(placeholder, loop)
    return environment().from_string(source)


def by_loops(view: ArticleView, head: HeadView, home: str = "/") -> str:
    return loops_template().render(title=view.title, a=view, head=head, home=home)


def assert_pages_equal(page: str, expected: str) -> None:
    if page != expected:  # the first difference, not two pages of text
        at = next(i for i, (x, y) in enumerate(zip(page, expected, strict=False)) if x != y) if page[:len(
            expected)] != expected[:len(page)] else min(len(page), len(expected))
        raise AssertionError(f"pages differ at {at}: {page[at - 80:at + 80]!r} != {expected[at - 80:at + 80]!r}")


def rendered_pairs(make_page: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(the page, the page by the template's loops) of each page ``make_page()`` renders through render_article."""
    pairs: list[tuple[str, str]] = []
    real = html.render_article

    def both(view: ArticleView, head: HeadView, home: str = "/") -> str:
        page = real(view, head, home)
        pairs.append((page, by_loops(view, head, home)))
        return page

    monkeypatch.setattr(html, "render_article", both)
    monkeypatch.setattr("rdfgen.server.pages.render_article", both)
    make_page()
    assert pairs
    return pairs


TRICKY = "<b>&amp;</b> \"quoted\" 'single' & Ünïcødé 漢字 \U0001f9ec \x00\x07\x7f\x85\ufdd0\U0010ffff tab\there"


def tricky_records() -> list[Record]:
    """Records whose lists hold what must be escaped or dropped, Unicode, empty text, or nothing."""
    base = multi_records()[0]
    authors = (Author("O'Brien" + TRICKY, "Zoë <i>", "Z", orcid="0000-0002-1825-0097",
                      affiliations=(Affiliation("Dept. of R&D \"Lab\""), Affiliation(TRICKY), Affiliation(""))),
               Author(collective_name="The <Group> & 'Co'"),
               Author("Plain", "Pat", "P", affiliations=()))
    mesh = (MeshHeading("D009369", "Neoplasms <&> " + TRICKY, major=True,
                        qualifiers=(MeshQualifier("Q000000981", "diagnostic & 'imaging'", major=True),
                                    MeshQualifier(None, TRICKY))),
            MeshHeading(None, "No UI \"quoted\""), MeshHeading("D000001", "Änder"))
    references = (Reference(1, "Smith & Jones. \"Title\" <i>J</i>. 2001;1:1. " + TRICKY, doi="10.1002/(SICI)1<2>3"),
                  Reference(2, "", pmid="123"), Reference(3, "Ünïcødé only", doi="10.1/a'b&c", pmid="456"),
                  Reference(4, " "))
    tricky = dataclasses.replace(base, pmid="7000002", title="Title " + TRICKY, title_html=None, authors=authors,
                                 keywords=(Keyword("kw " + TRICKY), Keyword("")), mesh_headings=mesh,
                                 references=references)
    empty = dataclasses.replace(base, pmid="7000003", title="", title_html=None, authors=(), keywords=(),
                                mesh_headings=(), references=(), comments_corrections=(), abstract=None)
    return [tricky, empty, *multi_records()]


@pytest.mark.parametrize("index", range(6))
def test_the_build_page_is_what_the_templates_loops_write(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    record = tricky_records()[index]
    for page, expected in rendered_pairs(lambda: html.article_page(record, Iris(), {"name": TRICKY}), monkeypatch):
        assert_pages_equal(page, expected)


@pytest.mark.parametrize("index", range(6))
def test_the_server_page_is_what_the_templates_loops_write(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    record = tricky_records()[index]
    graph = to_graph(record_triples(record))
    terms = [(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in graph]
    article = Iris().article_iri(record.pmid)
    pairs = rendered_pairs(lambda: server_article_page(terms, article, {"name": TRICKY}, lambda i: i), monkeypatch)
    for page, expected in pairs:
        assert_pages_equal(page, expected)


def test_the_tricky_records_fill_every_list() -> None:
    """The records above do reach each list, with text that must be escaped and text that must be dropped."""
    page = html.article_page(tricky_records()[0], Iris(), {})
    for needle in ('<li id="author-3">', "O&#39;Brien", "(Dept. of R&amp;D &#34;Lab&#34;; ", '<li id="ref-4">',
                   "<li>No UI &#34;quoted&#34;</li>", " / diagnostic &amp; &#39;imaging&#39;*",
                   'content="Title &lt;b&gt;&amp;amp;&lt;/b&gt;', '<li id="ref-2"> <span class="meta">'):
        assert needle in page, needle
    assert "\x00" not in page and "\ufdd0" not in page and "\U0010ffff" not in page


# Any text at all: views made directly, every value drawn from all of Unicode ------------------------------------

text = st.text(max_size=12)
links = st.builds(Link, text, text)
views = st.builds(
    ArticleView, title=text, title_html=st.none(), types=st.tuples(text), retracted=st.booleans(),
    authors=st.lists(st.builds(AuthorView, text, text, st.lists(links, max_size=2).map(tuple),
                               st.lists(text, max_size=3).map(tuple)), max_size=3).map(tuple),
    complete=st.booleans(), journal=st.tuples(links), ids=st.tuples(links), citations=st.tuples(links),
    formats=st.tuples(links), abstract=st.just(()), related=st.just(()),
    keywords=st.lists(links, max_size=2).map(tuple),
    mesh=st.lists(st.builds(HeadingView, links, st.lists(text, max_size=2).map(tuple)), max_size=3).map(tuple),
    references=st.lists(st.builds(ItemView, st.one_of(text, st.integers(1, 999)), text,
                                  st.lists(links, min_size=1, max_size=4).map(tuple)), max_size=3).map(tuple))
heads = st.builds(HeadView, canonical=text, alternates=st.just(()), signposts=st.just(()),
                  meta=st.lists(st.tuples(text, text), max_size=4).map(tuple), json_ld=st.just(Markup("{}")))


@settings(max_examples=300, deadline=None)
@given(views, heads)
def test_any_text_in_the_lists_is_written_as_the_templates_loops_write_it(view: ArticleView, head: HeadView) -> None:
    assert_pages_equal(render_article(view, head), by_loops(view, head))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="<>&\"'\x00\x1f\x7f\x9f\ud800\ufdd0\uffff\U0010ffff ab\u00e9"),
                 st.integers(), st.none(), st.builds(Markup, st.text())))
def test_written_is_what_autoescape_writes(value: object) -> None:
    """``{{ value }}`` in the environment: escape of finalize, for text (escaped or not, controls or not) and not."""
    assert written(value) == str(escape(_finalize(value)))
    assert written(value) == environment().from_string("{{ v }}").render(v=value)
