"""What Google Scholar, Zotero and FAIR Signposting clients read in an article page (issue 13): the Highwire
``citation_*`` and Dublin Core meta tags, read back from every fixture record's rendered page and compared with the
Record itself, and the Signposting ``<link>`` elements. The server's pages and headers: tests/test_harvest_server.py.
"""

from __future__ import annotations

import html
from collections import defaultdict
from functools import cache
from html.parser import HTMLParser

import pytest

import rdfgen
from rdfgen.iris import Iris
from rdfgen.mapping.article import LANGUAGES
from rdfgen.mesh import load_enricher
from rdfgen.model import Record
from rdfgen.publish.documents import DOCUMENT_EXTENSIONS, render_documents
from rdfgen.serialize.citation import work
from rdfgen.serialize.harvest import Signpost, link_header
from rdfgen.serialize.html import escape

from .test_embedding import SOURCES


class Head(HTMLParser):
    """The ``<meta name content>`` tags in order, and the ``<link>`` elements (rel, href, type), of a page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.links: list[tuple[str, str, str | None]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and a.get("name"):
            self.meta.append((a["name"] or "", a.get("content") or ""))
        elif tag == "link":
            self.links.append((a.get("rel") or "", a.get("href") or "", a.get("type")))

    def values(self, name: str) -> list[str]:
        return [v for n, v in self.meta if n == name]


def shown(values: list[str]) -> list[str]:
    """Values as a page can carry them: characters HTML forbids (controls, noncharacters) are left out."""
    return [html.unescape(escape(v)) for v in values]


@cache
def pages(name: str) -> tuple[tuple[Record, dict[str, str]], ...]:
    """Each record of a fixture file with its documents, as a build renders them (MeSH-enriched)."""
    path, options = SOURCES[name]
    out = []
    for record in rdfgen.read(path, errors="skip", **options):
        if isinstance(record, Record):
            mapped, found = rdfgen.publish.records.map_record(record, Iris(), load_enricher())
            out.append((mapped, render_documents(mapped, found, Iris())))
    return tuple(out)


def _expected_authors(r: Record) -> list[str]:
    """Authors as a citation names them: "Family, Given" (Given is the initials when PubMed has no given name), an
    organisation by its name."""
    names = []
    for a in r.authors:
        if a.role != "author" or not a.valid:
            continue
        if a.collective_name or not a.family_name:
            names.append(a.collective_name or a.family_name or "")
        else:
            given = " ".join(x for x in (a.given_name or a.initials, a.suffix) if x)
            names.append(f"{a.family_name}, {given}" if given else a.family_name)
    return names


@pytest.mark.parametrize("name", SOURCES)
def test_meta_tags_say_what_the_record_says(name: str) -> None:
    for r, docs in pages(name):
        head = Head(docs["html"])
        article = Iris().article_iri(r.pmid)
        assert head.values("citation_title") == shown([r.title]), r.pmid
        assert head.values("citation_pmid") == [r.pmid]
        assert head.values("citation_doi") == ([r.doi] if r.doi else []), r.pmid
        assert head.values("citation_author") == shown(_expected_authors(r)), r.pmid
        orcids = [f"https://orcid.org/{a.orcid}" for a in r.authors if a.role == "author" and a.valid and a.orcid]
        assert head.values("citation_author_orcid") == orcids, r.pmid
        institutions = [x.name for a in r.authors if a.role == "author" and a.valid for x in a.affiliations]
        assert sorted(head.values("citation_author_institution")) == sorted(shown(institutions)), r.pmid
        assert head.values("citation_volume") == ([r.volume] if r.volume else []), r.pmid
        assert head.values("citation_issue") == ([r.issue] if r.issue else []), r.pmid
        if r.pages and r.pages.start:
            assert head.values("citation_firstpage") == [r.pages.start], r.pmid
            assert head.values("citation_lastpage") == ([r.pages.end] if r.pages.end else []), r.pmid
        if r.journal and r.kind == "article":
            assert head.values("citation_journal_title") == ([r.journal.title] if r.journal.title else
                                                             head.values("citation_journal_abbrev")), r.pmid
            issns = {r.journal.issn_print, r.journal.issn_electronic, r.journal.issn_linking} - {None}
            assert set(head.values("citation_issn")) <= issns and (issns == set() or head.values("citation_issn"))
        date = head.values("citation_publication_date")
        if r.pub_date:
            assert date and date[0].startswith(f"{r.pub_date.year:04d}"), r.pmid
        assert head.values("citation_keywords") == shown(sorted({k.text for k in r.keywords})), r.pmid
        assert head.values("citation_language") == [LANGUAGES.get(c, c) for c in r.languages[:1]], r.pmid
        assert head.values("citation_reference") == shown([ref.citation for ref in r.references]), r.pmid
        assert head.values("citation_abstract_html_url") == [f"{article}.html"]
        assert head.values("DC.title") == shown([r.title]) and head.values("DC.creator") == shown(_expected_authors(r))
        assert f"pmid:{r.pmid}" in head.values("DC.identifier")


def test_meta_tags_keep_scholars_order() -> None:
    """Each author's ORCID and institutions follow that author (Scholar and Zotero pair them by position)."""
    (r, docs), = [p for p in pages("metapub_39166619.xml")]
    head = Head(docs["html"]).meta
    first = next(i for i, (n, _v) in enumerate(head) if n == "citation_author")
    assert head[first + 1][0] in ("citation_author_orcid", "citation_author_institution", "citation_author")
    authors = [v for n, v in head if n == "citation_author"]
    assert len(authors) == 48
    by_author: dict[str, list[str]] = defaultdict(list)
    current = ""
    for n, v in head:
        if n == "citation_author":
            current = v
        elif n == "citation_author_orcid":
            by_author[current].append(v)
    expected = {f"{a.family_name}, {a.given_name}": f"https://orcid.org/{a.orcid}" for a in r.authors if a.orcid}
    assert {k: v[0] for k, v in by_author.items()} == expected


@pytest.mark.parametrize("name", SOURCES)
def test_signposting_links_in_every_page(name: str) -> None:
    for r, docs in pages(name):
        links = Head(docs["html"]).links
        article = Iris().article_iri(r.pmid)
        cite_as = [href for rel, href, _t in links if rel == "cite-as"]
        assert cite_as == [f"https://doi.org/{r.doi}" if r.doi else article], r.pmid
        assert {(href, t) for rel, href, t in links if rel == "describedby"} == {
            (f"{article}.ttl", "text/turtle"), (f"{article}.nt", "application/n-triples"),
            (f"{article}.jsonld", "application/ld+json")}
        assert {href for rel, href, _t in links if rel == "type"} == {
            "https://schema.org/ScholarlyArticle", "https://schema.org/AboutPage"}
        orcids = {f"https://orcid.org/{a.orcid}" for a in r.authors if a.role == "author" and a.valid and a.orcid}
        assert {href for rel, href, _t in links if rel == "author"} == orcids, r.pmid
        assert [rel for rel, _h, _t in links].count("license") == 1


def test_the_page_links_the_citation_files_it_is_built_with() -> None:
    (r, docs), = pages("pubmed-33783695.txt")
    article = Iris().article_iri(r.pmid)
    for ext in ("csl.json", "bib", "ris"):
        assert ext in DOCUMENT_EXTENSIONS
        assert f'href="{article}.{ext}"' in docs["html"]
    assert docs["bib"].startswith("@article{pmid33783695,")
    assert docs["ris"].startswith("TY  - JOUR\n")
    assert '"PMID": "33783695"' in docs["csl.json"]


def test_without_a_work_the_page_reads_one_from_the_record() -> None:
    """rdfgen.serialize(..., "html") hands no Work to the page: it reads the same one from the record's triples."""
    (r, docs), = pages("pubmed-33783695.txt")
    page = rdfgen.serialize([r], "html")
    assert Head(page).meta == Head(docs["html"]).meta


def test_link_header_syntax() -> None:
    posts = [Signpost("cite-as", "https://doi.org/10.1/x"), Signpost("describedby", "http://x/a.ttl", "text/turtle")]
    assert link_header(posts) == ('<https://doi.org/10.1/x>; rel="cite-as", '
                                  '<http://x/a.ttl>; rel="describedby"; type="text/turtle"')


def test_work_reads_references_and_revision() -> None:
    (r, _docs), = pages("pubmed-33783695.txt")
    mapped = list(rdfgen.triples(r, validate=False))
    w = work(mapped, Iris().article_iri(r.pmid))
    assert w.references == tuple(ref.citation for ref in r.references)
    if r.date_revised:
        assert w.modified[0] == r.date_revised.year
