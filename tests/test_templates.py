"""One renderer (issue 15, item 6): every HTML page comes from the Jinja2 templates in rdfgen/templates, autoescaped,
with one layout. The build's article page and the server's are one template filled from the Record and from the
record's graph, so they list the same authors ("et al." is never one of them), and every page type escapes what a
record holds."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

import rdfgen
from rdfgen.cli import main
from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.model import Author, Keyword, MeshHeading, Record
from rdfgen.publish.documents import publish
from rdfgen.serialize import html
from rdfgen.serialize.html import _NOT_IN_HTML, TEMPLATES, environment
from rdfgen.serialize.ntriples import nt_term
from rdfgen.server.app import create_app
from rdfgen.server.pages import article_page as server_article_page

from .sparql_fixtures import multi_records
from .test_server import Client

pytest_plugins = ["tests.sparql_fixtures"]  # multi_build: the four test articles, built with pages

DATA = Path(__file__).parent / "data"
HOSTILE = "<script>alert(1)</script> \"quoted\" & 'co'"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
NAV = ["Records", "SPARQL", "Downloads"]


@functools.cache
def client(out: Path) -> Client:
    """One app a build: its query workers open the build's store once, not once a test."""
    return Client(create_app(out))


def body(page: str) -> dict[str, object]:
    """What a reader gets from an article page's body, link targets aside: the server links its own pages."""
    doc = lxml.html.fromstring(page)
    (article,) = doc.xpath("//article")

    def texts(path: str) -> list[str]:
        return [" ".join(e.text_content().split()) for e in article.xpath(path)]

    return {"title": texts("h1"), "authors": texts('ol[@class="authors"]/li'),
            "etal": texts('p[contains(@class, "etal")]'), "abstract": texts("h2[.='Abstract']/following-sibling::p"),
            "keywords": texts('ul[@class="kw"]/li'), "mesh": texts('ul[@class="mesh"]/li'),
            "references": [(li.text or "").strip() for li in article.xpath('ol[@class="refs"]/li')],
            "related": [li.text_content().split(":")[0] for li in article.xpath('ul[@class="related"]/li')]}


# (a) the build's page and the server's page of a record show the same article -----------------------------------


@pytest.fixture(scope="module")
def partial_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real record (PMID 38534005) whose author list is marked incomplete, as PubMed marks one (CompleteYN="N")."""
    tmp = tmp_path_factory.mktemp("partial")
    source = (DATA / "xml" / "metapub_38534005.xml").read_text(encoding="utf-8")
    partial = tmp / "partial.xml"
    partial.write_text(source.replace('<AuthorList CompleteYN="Y">', '<AuthorList CompleteYN="N">'), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-q", "--documents", "--out", str(tmp / "out"), str(partial)])
    assert result.exit_code == 0, result.output
    return tmp / "out"


def _pairs(out: Path) -> Iterator[tuple[str, str, str]]:
    """(PMID, the build's page, the server's page) of every record of a build."""
    served = client(out)
    for file in sorted((out / "pubmed").glob("*.html")):
        pmid = file.name.split(".")[0]
        response = served.get(f"/pubmed/{pmid}.html")
        assert response.status_code == 200
        yield pmid, file.read_text(encoding="utf-8"), response.text


@pytest.mark.parametrize("build", ["seed", "multi", "partial"])
def test_the_build_and_the_server_show_the_same_article(build: str, seed_build: tuple[Path, object],
                                                        multi_build: Path, partial_build: Path) -> None:
    out = {"seed": seed_build[0], "multi": multi_build, "partial": partial_build}[build]
    pairs = list(_pairs(out))
    assert pairs
    for pmid, static, server in pairs:
        built, served = body(static), body(server)
        assert built == served, pmid
        assert not any("et al" in name for name in built["authors"])  # type: ignore[union-attr]
    if build == "partial":
        (_, static, _), = pairs
        authors = body(static)["authors"]
        assert len(authors) == 9 and body(static)["etal"] == ["et al. (the source lists only these)"]  # type: ignore[arg-type]


def test_the_article_page_is_one_template(seed_record: Record, seed_graph: Graph,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Both pages render article.html (through render_article), and no other template draws an article."""
    rendered: list[str] = []
    real = html.render
    monkeypatch.setattr(html, "render", lambda name, **context: rendered.append(name) or real(name, **context))
    html.article_page(seed_record, Iris(), {})
    terms = [(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in seed_graph]
    server_article_page(terms, Iris().article_iri(seed_record.pmid), {}, lambda i: i)
    assert rendered == ["article.html", "article.html"]
    drawn = [p.name for p in TEMPLATES.glob("*.html") if "<article>" in p.read_text(encoding="utf-8")]
    assert drawn == ["article.html"]


# (b) autoescaping on every page type -----------------------------------------------------------------------------


def _hostile(record: Record) -> Record:
    author = Author("Evil" + HOSTILE, "Eve", "E")
    return dataclasses.replace(record, pmid="7000001", title="Title " + HOSTILE, authors=(author,),
                               keywords=(Keyword("kw " + HOSTILE),), title_html=None,
                               mesh_headings=(MeshHeading("D009369", "Neoplasms " + HOSTILE, major=True),),
                               comments_corrections=())


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    report = publish([_hostile(multi_records()[0])], out, validate=False)
    assert report.ok, report.errors
    return out


def _check_escaped(page: str, where: str) -> None:
    """The hostile text is shown as text: never as markup, never a script the page did not mean to carry."""
    assert "<script>alert" not in page, where
    doc = lxml.html.fromstring(page)
    for script in doc.iter("script"):
        assert script.get("src") or script.get("type") in ("application/ld+json", "application/json"), where
    assert not doc.xpath("//*[@onerror or @onload]"), where


def test_every_page_type_escapes_what_a_record_holds(hostile_build: Path) -> None:
    c = client(hostile_build)
    article = c.get("/pubmed/7000001.html").text
    links = lxml.html.fromstring(article).xpath("//article//a/@href")
    author = next(h for h in links if "/author/" in h)
    journal = next(h for h in links if h.startswith("/journal/"))
    keyword = next(h for h in links if h.startswith("/keyword/"))
    html = {"Accept": "text/html"}
    select = "SELECT ?t WHERE { ?a <https://schema.org/headline> ?t }"
    pages = {
        "static article": (hostile_build / "pubmed" / "7000001.html").read_text(encoding="utf-8"),
        "article": article, "index": c.get("/").text, "search": c.get("/?" + urlencode({"q": "alert"})).text,
        "facet": c.get("/?" + urlencode({"keyword": "kw " + HOSTILE})).text,
        "keyword": c.get(keyword).text, "mesh": c.get("/mesh/D009369").text,
        "author": c.get(author + ".html").text, "journal": c.get(journal + ".html").text,
        "results": c.get("/sparql?" + urlencode({"query": select}), headers=html).text,
        "editor error": c.post("/sparql", data={"query": "SELECT " + HOSTILE}, headers=html).text,
        "library": c.get("/sparql/library/article-card?" + urlencode({"pmid": HOSTILE}), headers=html).text,
        "downloads": c.get("/download/").text,
    }
    for where, page in pages.items():
        _check_escaped(page, where)
    for where in ("static article", "article", "index", "search", "keyword", "mesh", "journal", "author", "results"):
        assert ESCAPED in pages[where], where
    for where in ("static article", "article", "author"):
        assert "Evil" + ESCAPED in pages[where].replace("Eve Evil", "Evil"), where
    assert "kw " + ESCAPED in pages["keyword"] and "Neoplasms " + ESCAPED in pages["mesh"]
    assert f'href="/keyword/{quote("kw " + HOSTILE, safe="")}"' in article


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
PIECES = st.lists(st.one_of(TEXT, st.sampled_from(["<script>", "</script>", '"', "&", "'", "<!--", "&amp;", "\x00"])),
                  min_size=1, max_size=6).map("".join)


def _shown(text: str) -> str:
    """What a browser shows of a text: without the characters a page must not carry, line ends as the parser
    makes them."""
    return _NOT_IN_HTML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=PIECES, name=PIECES, keyword=PIECES)
def test_any_text_is_shown_as_written_on_both_article_pages(seed_record: Record, title: str, name: str,
                                                            keyword: str) -> None:
    record = dataclasses.replace(seed_record, title=title, title_html=None, authors=(Author(name, None, None),),
                                 keywords=(Keyword(keyword),))
    iris = Iris()
    pages = {"static": rdfgen.serialize([record], "html"),
             "server": server_article_page(list(record_triples(record, iris)), iris.article_iri(record.pmid), {},
                                           lambda i: i)}
    for where, page in pages.items():
        _check_escaped(page, where)
        got = body(page)
        assert got["title"] == [" ".join(_shown(title).split())], where
        assert got["authors"] == [" ".join(_shown(name).split())], where
        assert got["keywords"] == [" ".join(_shown(keyword).split())], where


# (c) one layout --------------------------------------------------------------------------------------------------


def _layout(page: str) -> tuple[list[str], str, bool, bool]:
    doc = lxml.html.fromstring(page)
    (nav,) = doc.xpath('//nav[@class="site"]')
    (style,) = doc.xpath("//head/style")
    return ([a.text_content() for a in nav.iter("a")], style.text_content(), bool(doc.xpath("//body/main")),
            bool(doc.xpath('//body/footer[contains(@class, "site")]')))


def test_every_page_type_has_the_one_layout(multi_build: Path) -> None:
    c = client(multi_build)
    html = {"Accept": "text/html"}
    article = c.get("/pubmed/1000001.html").text
    journal = next(h for h in lxml.html.fromstring(article).xpath("//article//a/@href") if h.startswith("/journal/"))
    pages = {
        "static article": (multi_build / "pubmed" / "1000001.html").read_text(encoding="utf-8"),
        "article": article, "index": c.get("/").text, "search": c.get("/?q=imaging").text,
        "keyword": c.get("/keyword/PET").text, "mesh": c.get("/mesh/D009369").text,
        "resource": c.get(journal + ".html").text, "reference": c.get("/pubmed/1000001/reference/1.html").text,
        "sparql": c.get("/sparql", headers=html).text,
        "results": c.get("/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"}), headers=html).text,
        "library": c.get("/sparql/library/article-card", headers=html).text,
        "downloads": c.get("/download/").text, "not found": c.get("/nothing-here", headers=html).text,
    }
    layouts = {where: _layout(page) for where, page in pages.items()}
    style = layouts["article"][1]
    for where, (nav, css, has_main, has_footer) in layouts.items():
        assert nav == NAV and css == style and has_main and has_footer, where
    static_nav = lxml.html.fromstring(pages["static article"]).xpath('//nav[@class="site"]/a/@href')
    assert static_nav == [Iris().base, Iris().base + "sparql", Iris().base + "download/"]


def test_the_environment_is_made_once_and_escapes() -> None:
    env = environment()
    assert env is environment() and env.autoescape("x.html") and env.autoescape("x.xml")
    assert env.get_template("_macros.html").module.link(  # type: ignore[attr-defined]
        type("L", (), {"href": "/x?a=1&b=2", "text": "<b>"})()) == '<a href="/x?a=1&amp;b=2">&lt;b&gt;</a>'
    assert re.fullmatch(r"[^\x00-\x08]*", env.get_template("base.html").render(title="t\x00", home="/"))
