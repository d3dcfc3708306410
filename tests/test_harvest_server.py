"""Issue 13 on the server: citation formats by content negotiation on the article IRI (as Crossref answers a DOI),
the article page's meta tags and Signposting ``Link`` header, checked on the real server process on 127.0.0.1, and
the same in-process (httpx over ASGI) for the cases a real client cannot easily make.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rdfgen.iris import Iris
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.publish.documents import publish
from rdfgen.resources import seed_path
from rdfgen.serialize.citation import CITATION_FORMATS
from rdfgen.server.app import create_app
from rdfgen.server.negotiation import parameters
from rdfgen.sources import read_inputs

from .conftest import DATA, SEED_PMID
from .test_harvest import Head
from .test_server import Client
from .test_server_process import ServerProcess

ORCID_PMID = "39166619"  # 48 authors, most with an ORCID iD, 395 references
CITATION_TYPES = {f.name: f.media_type for f in CITATION_FORMATS}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, enricher: MeshEnricher) -> Path:
    out = tmp_path_factory.mktemp("harvest-out")
    inputs = [str(seed_path()), str(DATA / "xml" / f"metapub_{ORCID_PMID}.xml")]
    report = publish(read_inputs(inputs), out, enricher=enricher)
    assert report.ok, report.errors
    return out


@pytest.fixture(scope="module")
def server(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(built, tmp_path_factory.mktemp("harvest-server") / "server.log")
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture(scope="module")
def client(built: Path) -> Client:
    return Client(create_app(built))


def _links(header: str) -> set[tuple[str, str, str | None]]:
    """A Link header's links as (rel, target, type); the values rdfgen writes hold no commas inside <>."""
    found = set()
    for part in header.split(", <"):
        target, *params = part.split(";")
        attrs = dict(p.strip().split("=", 1) for p in params)
        found.add((attrs["rel"].strip('"'), target.strip().strip("<>"), attrs.get("type", "").strip('"') or None))
    return found


# --- the real server process ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["csl", "bibtex", "ris"])
def test_article_iri_answers_each_citation_format_as_built(server: ServerProcess, built: Path, name: str) -> None:
    r = httpx.get(f"{server.url}/pubmed/{ORCID_PMID}", headers={"Accept": CITATION_TYPES[name]},
                  follow_redirects=True)
    assert r.status_code == 200 and r.history[0].status_code == 303, r.text
    assert r.headers["content-type"].split(";")[0] == CITATION_TYPES[name]
    ext = {"csl": "csl.json", "bibtex": "bib", "ris": "ris"}[name]
    assert r.content == (built / "pubmed" / f"{ORCID_PMID}.{ext}").read_bytes()


def test_formatted_reference_takes_style_and_locale_as_crossref_does(server: ServerProcess) -> None:
    accept = "text/x-bibliography; style=vancouver; locale=en-GB"
    r = httpx.get(f"{server.url}/pubmed/{SEED_PMID}", headers={"Accept": accept}, follow_redirects=True)
    assert r.status_code == 200
    assert r.history[0].headers["location"] == f"./{SEED_PMID}.txt?style=vancouver&locale=en-GB"
    assert r.headers["content-type"].startswith("text/x-bibliography")
    assert "Pirasteh A. Imaging of neuroendocrine tumors" in r.text
    apa = httpx.get(f"{server.url}/pubmed/{SEED_PMID}", headers={"Accept": "text/x-bibliography"},
                    follow_redirects=True)
    assert apa.text.startswith("Pirasteh, A. (2021).")


def test_page_meta_tags_and_signposting_on_the_wire(server: ServerProcess, built: Path) -> None:
    r = httpx.get(f"{server.url}/pubmed/{ORCID_PMID}", headers={"Accept": "text/html"}, follow_redirects=True)
    assert r.status_code == 200
    article = Iris().article_iri(ORCID_PMID)
    links = _links(r.headers["link"])
    assert [t for rel, t, _k in links if rel == "cite-as"] == ["https://doi.org/10.36660/abc.20240478"]
    assert {(t, k) for rel, t, k in links if rel == "describedby"} == {
        (f"{article}.ttl", "text/turtle"), (f"{article}.nt", "application/n-triples"),
        (f"{article}.nq", "application/n-quads"), (f"{article}.jsonld", "application/ld+json"),
        (f"{article}.rdf", "application/rdf+xml")}
    assert {t for rel, t, _k in links if rel == "type"} == {"https://schema.org/ScholarlyArticle",
                                                            "https://schema.org/AboutPage"}
    static = Head((built / "pubmed" / f"{ORCID_PMID}.html").read_text(encoding="utf-8"))
    orcids = set(static.values("citation_author_orcid"))
    assert len(orcids) > 20 and {t for rel, t, _k in links if rel == "author"} == orcids
    assert len([rel for rel, _t, _k in links if rel == "license"]) == 1
    page = Head(r.text)
    assert {(rel, t, k) for rel, t, k in page.links if rel in ("cite-as", "describedby", "type", "author",
                                                                "license")} == links
    assert page.meta == static.meta  # the server's page and the build's page say the same to Scholar and Zotero
    assert len(page.values("citation_reference")) == 395


# --- in-process ---------------------------------------------------------------------------------------------------

def test_accept_parameters_are_read() -> None:
    accept = 'application/json;q=0.5, text/x-bibliography; style="apa"; locale=de-DE; q=0.9'
    assert parameters(accept, "text/x-bibliography") == {"style": "apa", "locale": "de-DE"}
    assert parameters("*/*", "text/x-bibliography") == {}
    assert parameters("text/x-bibliography;style=ieee;q=0", "text/x-bibliography") == {}


@given(st.text(max_size=200))
def test_any_accept_header_gives_parameters_without_error(header: str) -> None:
    assert isinstance(parameters(header, "text/x-bibliography"), dict)


def test_unknown_style_or_locale_is_400_naming_it(client: Client) -> None:
    r = client.get(f"/pubmed/{SEED_PMID}.txt?style=no-such-style")
    assert r.status_code == 400 and "no-such-style" in r.text
    r = client.get(f"/pubmed/{SEED_PMID}.txt?locale=xx-YY")
    assert r.status_code == 400 and "xx-YY" in r.text


def test_citations_are_offered_for_articles_only(client: Client) -> None:
    journal = "/journal/rev-endocr-metab-disord"
    assert client.get(journal, headers={"Accept": "application/x-bibtex"}).status_code == 406
    assert client.get(f"{journal}.bib").status_code == 404
    r = client.get(f"/pubmed/{SEED_PMID}", headers={"Accept": "application/x-bibtex"})
    assert r.status_code == 303 and r.headers["location"] == f"./{SEED_PMID}.bib" and "Accept" in r.headers["vary"]
    assert client.get(f"/pubmed/{SEED_PMID}", headers={"Accept": "*/*"}).headers["location"].endswith(".ttl")


def test_citations_without_build_files_come_from_the_store(built: Path, tmp_path: Path) -> None:
    """A --store server has no files: the citation is made from the record's graph, the same as the build's."""
    from rdfgen.sparql.store import load

    store, _ = load([built / "dataset.nq.gz"])
    bare = Client(create_app(store=store))
    for ext in ("csl.json", "bib", "ris"):
        r = bare.get(f"/pubmed/{ORCID_PMID}.{ext}")
        assert r.status_code == 200
        want = (built / "pubmed" / f"{ORCID_PMID}.{ext}").read_text(encoding="utf-8")
        if ext == "csl.json":
            assert json.loads(r.text) == json.loads(want)
        else:
            assert r.text == want
    page = bare.get(f"/pubmed/{ORCID_PMID}.html")
    static = Head((built / "pubmed" / f"{ORCID_PMID}.html").read_text(encoding="utf-8"))
    assert Head(page.text).meta == static.meta


def test_page_links_every_citation_format(client: Client) -> None:
    page = client.get(f"/pubmed/{SEED_PMID}.html").text
    for ext in ("csl.json", "bib", "ris", "txt"):
        assert f'href="/pubmed/{SEED_PMID}.{ext}"' in page


# --- sitemap, robots.txt, the dataset's landing page ----------------------------------------------------------------

def _locs(xml: str, tag: str) -> list[str]:
    import xml.etree.ElementTree as ET

    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.fromstring(xml)
    return [e.findtext(f"{ns}loc") or "" for e in root.iter(f"{ns}{tag}")]


def test_robots_points_at_the_sitemap_of_every_article(server: ServerProcess) -> None:
    import xml.etree.ElementTree as ET

    robots = httpx.get(f"{server.url}/robots.txt")
    assert robots.status_code == 200 and "Sitemap: http://localhost:8000/sitemap.xml" in robots.text.splitlines()
    r = httpx.get(f"{server.url}/sitemap.xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in ET.fromstring(r.text).iter(f"{ns}url")}
    assert urls == {Iris().article_iri(SEED_PMID): None,  # a saved PubMed page has no revision date
                    Iris().article_iri(ORCID_PMID): "2026-05-06"}  # the record's DateRevised


def test_sitemap_is_paged_past_its_size_with_bounded_queries(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(built)
    server = app.state.server
    server.sitemap_size = 1
    asked: list[tuple[int, int]] = []
    page_of = server.site.sitemap_page
    monkeypatch.setattr(server.site, "sitemap_page", lambda offset, limit: asked.append((offset, limit))
                        or page_of(offset, limit))
    c = Client(app)
    index = c.get("/sitemap.xml")
    assert _locs(index.text, "sitemap") == ["http://localhost:8000/sitemap-1.xml", "http://localhost:8000/sitemap-2.xml"]
    pages = [_locs(c.get(f"/sitemap-{n}.xml").text, "url") for n in (1, 2)]
    assert all(len(p) == 1 for p in pages)
    assert sorted(p[0] for p in pages) == sorted(Iris().article_iri(p) for p in (SEED_PMID, ORCID_PMID))
    assert asked == [(0, 1), (1, 1)]  # one page a request, never the whole list
    assert c.get("/sitemap-3.xml").status_code == 404 and c.get("/sitemap-0.xml").status_code == 404


def test_dataset_landing_page_embeds_a_schema_org_dataset(client: Client, built: Path) -> None:
    from pyld import jsonld
    from rdflib import Graph, URIRef

    r = client.get("/dataset", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"] == "/download/"
    assert client.get("/dataset", headers={"Accept": "text/turtle"}).headers["location"] == "/.well-known/void"
    page = client.get("/download/").text
    script = page.split('<script type="application/ld+json">\n', 1)[1].split("\n</script>", 1)[0]
    obj = json.loads(script)
    assert obj["@type"] == "Dataset" and obj["@id"] == "http://localhost:8000/dataset"
    assert obj["name"] and len(obj["description"]) >= 50
    assert {d["contentUrl"]["@id"] for d in obj["distribution"]} == {
        f"http://localhost:8000/{n}" for n in ("dataset.nt.gz", "dataset.nq.gz", "dataset.ttl")}
    assert all(d["@type"] == "DataDownload" and d["encodingFormat"] for d in obj["distribution"])

    def refuse(url: str, options: object = None) -> dict[str, object]:
        raise AssertionError(f"fetched {url}")

    expanded = Graph().parse(data=jsonld.to_rdf(obj, {"documentLoader": refuse, "format": "application/n-quads"}),
                             format="nquads")
    void = Graph().parse(built / "void.ttl", format="turtle")
    assert len(expanded) > 10 and all(t in void for t in expanded)  # says what the VoID says, in its terms
    assert (URIRef(obj["@id"]), URIRef("https://schema.org/license"), None) in void
    assert "application/ld+json" in client.get("/").text
